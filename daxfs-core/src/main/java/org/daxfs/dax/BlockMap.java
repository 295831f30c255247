package org.daxfs.dax;

import org.daxfs.FsException;
import org.daxfs.format.Extent;

/**
 * How the address space asks the file system where a file's pages live and to allocate them, as Linux's
 * DAX code asks the file system through iomap. Page indexes are 4 KiB blocks of the file.
 */
public interface BlockMap {
    /** The file's size in bytes. Context: invalidate lock held (shared is enough). */
    long size();

    /**
     * The extent containing page {@code index}, else the next one, else null. Context: invalidate lock
     * held shared: the blocks of the answer stay the file's until it is released (blocks may be added
     * meanwhile, never taken away).
     */
    Extent extentAt(long index) throws FsException;

    /**
     * Makes every page of {@code [from, to)} a written block: holes get new blocks and unwritten blocks are
     * converted, both zeroed and flushed before the transaction that makes them written commits. Context:
     * inode lock exclusive, invalidate lock shared, no entry lock (this begins transactions).
     */
    void allocateWritten(long from, long to) throws FsException;

    /**
     * Records that the file is being modified through a mapping (mtime), and with {@code durable} makes the
     * metadata that maps its blocks durable,
     * before write access is granted. Context: inode lock exclusive, invalidate
     * lock shared, no entry lock.
     */
    void beginWrite(boolean durable) throws FsException;

    /**
     * True if a page's block stays the same until the invalidate lock is taken exclusive (device blocks).
     * False for cached pages, whose slot is known only while a mapping or entry covers the page: such a
     * file gets no plain view (which would show memory fixed before the mapping exists to protect it), only
     * windows whose pages are shown by the faults, under their entry locks.
     */
    default boolean blocksStayPut() {
        return true;
    }
}
