package org.daxfs.cache;

import java.lang.foreign.MemorySegment;
import org.daxfs.FsException;

/**
 * How the page cache reaches a file's blocks and locks: the file system's side of a cached file, as
 * Linux's page cache reaches a file system through its address_space_operations.
 */
public interface CachedFile {
    /** The file's size in bytes. Context: invalidate lock held (shared is enough). */
    long size();

    /**
     * Reads the file's bytes at {@code pos} into all of {@code dst} from its blocks: holes, unwritten
     * blocks and bytes past EOF read as zeros. Context: invalidate lock held (shared is enough), the
     * pages being filled locked; no transaction is begun.
     */
    void readBlocks(long pos, MemorySegment dst) throws FsException;

    /**
     * Writes {@code src} to the file's blocks at {@code pos}, allocating where needed (new blocks are
     * written and flushed before the transaction that maps them), without changing the size or the times.
     * Context: inode lock exclusive, invalidate lock held, no page lock (this begins transactions).
     */
    void writeBlocks(long pos, MemorySegment src) throws FsException;

    /**
     * The bytes up to {@code end} now hold written data in the cache: the size grows to {@code end} if it
     * is smaller, page by page as a write goes (as Linux's generic_perform_write does), so that writeback in
     * the middle of a large write finds the pages already written inside the size. Context: inode lock
     * exclusive.
     */
    void grownTo(long end);

    /**
     * Writes the file's dirty pages back from a background thread: takes the inode lock and the invalidate
     * lock without waiting and calls {@link FilePages#writeBack()}; gives up if either is busy (the holder
     * writes back itself, or the next round will).
     *
     * @return false if the locks were busy
     */
    boolean tryWriteBackInBackground() throws FsException;

    /**
     * True while a mapping or a mapping entry of the file may show its cached page {@code index}: the page
     * is then kept (neither evicted nor its slot reused). Only that page: a mapping of a few pages must not
     * keep the rest of a large file in the cache. Context: the page's lock held (a fault that is about to
     * show the page takes a reference to it first, which keeps it too).
     */
    boolean pageShown(long index);

    /**
     * True while a mapping that can store into page {@code index} exists: the page stays dirty when written
     * back. Context: inode lock exclusive (no writable mapping can be made meanwhile).
     */
    boolean writablyMapped(long index);

    /** The file, for messages (e.g. "inode 12"). */
    String describe();
}
