package org.daxfs.format;

import org.daxfs.FsException;

/**
 * How format structures reach their blocks: through the journal transaction that is changing them.
 *
 * <p>The journal layer implements this. {@link #read} returns the block as this transaction sees it (its
 * own change if it made one, else the committed block); {@link #modify} returns a private copy that the
 * transaction will commit atomically with every other block it modified. Callers seal (CRC) blocks they
 * modify before the transaction commits: {@link Block#seal()}.
 *
 * <p>Context: the caller holds the journal's transaction (see the journal package); nothing here takes a
 * lock of its own beyond that.
 */
public interface MetadataBlocks {
    /** The block as this transaction sees it. Do not modify the result. */
    Block read(long blockNo) throws FsException;

    /** A writable copy of the block, committed with this transaction. */
    Block modify(long blockNo) throws FsException;

    /**
     * Allocates a new metadata block near {@code goal} for inode {@code owner} and returns it zero-filled
     * and writable. The block counts against the file system's free space (it may use the reserve kept for
     * metadata).
     *
     * @throws FsException ENOSPC when nothing is left
     */
    Block allocate(long owner, long goal) throws FsException;

    /** Frees a metadata block; it becomes reusable once this transaction has committed. */
    void free(long blockNo) throws FsException;
}
