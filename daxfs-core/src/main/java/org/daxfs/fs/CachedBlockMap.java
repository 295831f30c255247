package org.daxfs.fs;

import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.cache.FilePages;
import org.daxfs.dax.BlockMap;
import org.daxfs.format.Block;
import org.daxfs.format.Extent;

/**
 * A file that is not DAX as its address space sees it: each page lives in a slot of the page cache's
 * pool, so an "extent" here is one page long and its "physical block" is the slot. Mapping such a file
 * shows its cached pages themselves (zero-copy, coherent with reads and writes through the cache); a
 * fault fills the page under the invalidate lock shared, as every fill path does.
 */
final class CachedBlockMap implements BlockMap {
    private final DaxFileSystem fs;
    private final Inode in;
    private final FilePages pages;

    CachedBlockMap(DaxFileSystem fs, Inode in, FilePages pages) {
        this.fs = fs;
        this.in = in;
        this.pages = pages;
    }

    @Override
    public long size() {
        return in.record.size;
    }

    @Override
    public Extent extentAt(long index) throws FsException {
        return new Extent(index, pages.slotForMapping(index), 1, false);
    }

    /** Reserves blocks for the pages (so writeback cannot run out of space) and dirties them. */
    @Override
    public void allocateWritten(long from, long to) throws FsException {
        fs.data().allocate(in, from * Block.SIZE, (to - from) * Block.SIZE, true, fs.now());
        pages.prepareWritable(from, to);
    }

    /** A page's slot is only known while a mapping or entry covers it: no plain views. */
    @Override
    public boolean blocksStayPut() {
        return false;
    }

    @Override
    public void beginWrite(boolean durable) throws FsException {
        if (durable) {
            // Not reached: FileHandle refuses sync mappings of cached files first, as Linux does.
            throw FsException.of(Errno.EOPNOTSUPP, null, "sync mappings need a DAX file");
        }
        long now = fs.now();
        in.record.mtime = now;
        in.record.ctime = now;
        in.dirty = true;
    }
}
