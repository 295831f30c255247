package org.daxfs.fs;

import java.lang.foreign.MemorySegment;
import org.daxfs.FsException;
import org.daxfs.cache.CachedFile;
import org.daxfs.cache.FilePages;
import org.daxfs.dax.AddressSpace;

/** A regular file as the page cache sees it: its blocks through {@link FileData}, its locks, its mappings. */
final class InodePages implements CachedFile {
    private final DaxFileSystem fs;
    private final Inode in;

    InodePages(DaxFileSystem fs, Inode in) {
        this.fs = fs;
        this.in = in;
    }

    @Override
    public long size() {
        return in.record.size;
    }

    @Override
    public void readBlocks(long pos, MemorySegment dst) throws FsException {
        fs.data().readForCache(in, pos, dst);
    }

    @Override
    public void writeBlocks(long pos, MemorySegment src) throws FsException {
        fs.data().writeBehind(in, pos, src);
    }

    @Override
    public void grownTo(long end) {
        if (end > in.record.size) {
            in.record.size = end;
            in.dirty = true;
        }
    }

    @Override
    public boolean tryWriteBackInBackground() throws FsException {
        if (!in.lock.writeLock().tryLock()) {
            return false;
        }
        try {
            if (!in.invalidateLock.tryLockShared()) {
                return false;
            }
            try {
                FilePages pages = in.pages;
                if (pages != null && !in.freed && fs.isWritableNow()) {
                    fs.data().cachedExtents(in);
                    pages.writeBack();
                }
                return true;
            } finally {
                in.invalidateLock.unlockShared();
            }
        } finally {
            in.lock.writeLock().unlock();
        }
    }

    @Override
    public boolean pageShown(long index) {
        AddressSpace s = in.space;
        return s != null && s.mayShow(index);
    }

    @Override
    public boolean writablyMapped(long index) {
        AddressSpace s = in.space;
        return s != null && s.hasWritableMapping(index);
    }

    @Override
    public String describe() {
        return in.toString();
    }
}
