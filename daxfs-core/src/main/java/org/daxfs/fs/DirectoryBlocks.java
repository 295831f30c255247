package org.daxfs.fs;

import org.daxfs.FsException;
import org.daxfs.format.Block;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.format.FileBlocks;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.MetadataBlocks;

/**
 * The blocks of a directory, by logical index, over its extent tree: what {@code DirectoryIndex} stands
 * on. Directory blocks are metadata: they are reached through the journal ({@code mb}) like any other.
 *
 * <p>Context: as {@link FileBlocks}; {@code record} belongs to the directory and is changed in place
 * (block count, size), so the caller writes it in the same transaction.
 */
final class DirectoryBlocks implements FileBlocks {
    private final MetadataBlocks mb;
    private final long ino;
    private final InodeRecord record;
    private final ExtentTree tree;

    DirectoryBlocks(MetadataBlocks mb, long ino, InodeRecord record) {
        this.mb = mb;
        this.ino = ino;
        this.record = record;
        this.tree = new ExtentTree(mb, record.root, ino);
    }

    @Override
    public Block read(long logical) throws FsException {
        Extent e = tree.find(logical);
        return e == null ? null : mb.read(e.physicalOf(logical));
    }

    @Override
    public Block modify(long logical) throws FsException {
        Extent e = tree.find(logical);
        if (e == null) {
            throw FsException.atOffset(org.daxfs.Errno.EUCLEAN, -1,
                    "directory " + ino + " has no block " + logical);
        }
        return mb.modify(e.physicalOf(logical));
    }

    @Override
    public Block allocate(long logical) throws FsException {
        Extent before = logical > 0 ? tree.find(logical - 1) : null;
        Block b = mb.allocate(ino, before == null ? 0 : before.physicalOf(logical - 1) + 1);
        tree.insert(new Extent(logical, b.number(), 1, false));
        record.blocks++;
        record.size = directorySize();
        return b;
    }

    @Override
    public void free(long logical) throws FsException {
        Extent e = tree.find(logical);
        if (e == null) {
            throw FsException.atOffset(org.daxfs.Errno.EUCLEAN, -1,
                    "directory " + ino + " has no block " + logical);
        }
        tree.remove(logical, logical + 1);
        mb.free(e.physicalOf(logical));
        record.blocks--;
        record.size = directorySize();
    }

    /** A directory's size is its own blocks, not counting its extended-attribute block. */
    private long directorySize() {
        return (record.blocks - (record.xattrBlock != 0 ? 1 : 0)) * Block.SIZE;
    }

    @Override
    public long owner() {
        return ino;
    }
}
