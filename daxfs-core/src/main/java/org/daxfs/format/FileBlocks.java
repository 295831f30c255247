package org.daxfs.format;

import org.daxfs.FsException;

/**
 * The blocks of one file that holds metadata (a directory), addressed by logical block index. The file
 * system implements it over the file's {@link ExtentTree} and the current transaction's
 * {@link MetadataBlocks}; {@link DirectoryIndex} uses it.
 *
 * <p>Context: the caller holds the journal transaction and the directory's lock exclusively for
 * {@link #modify}, {@link #allocate} and {@link #free}, at least shared for {@link #read}.
 */
public interface FileBlocks {
    /** The block at {@code logical}, or null if that part of the file is a hole. Do not modify it. */
    Block read(long logical) throws FsException;

    /** A writable copy of the block at {@code logical}, which must be mapped. */
    Block modify(long logical) throws FsException;

    /** Allocates and maps a zero-filled writable block at {@code logical}, which must be a hole. */
    Block allocate(long logical) throws FsException;

    /** Unmaps and frees the block at {@code logical}, which must be mapped. */
    void free(long logical) throws FsException;

    /** The inode number of the file. */
    long owner();
}
