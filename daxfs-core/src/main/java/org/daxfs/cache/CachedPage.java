package org.daxfs.cache;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import org.daxfs.locking.LockRank;
import org.daxfs.locking.RankedBitLock;

/**
 * One cached 4 KiB page of a file: a slot of the {@link PagePool} (off the Java heap), the page lock, and
 * what is known of its bytes: which of them are valid (up to date with the file), whether they are dirty
 * (newer than the file's blocks), whether a reader used them lately (for eviction).
 *
 * <h2>States and who changes them</h2>
 * <ul>
 *   <li>{@link #refs}: readers and writers using the page's memory count themselves in; a page is
 *       <em>dead</em> (−1) once evicted or dropped, and a thread that finds it dead looks it up again. Only a
 *       page with no reference, not locked, clean and not shown in a mapping may die (see {@link #tryKill}).
 *   <li>The valid range {@code [validFrom, validTo)} and {@link #dirty}: changed with the page lock held.
 *       A page is up to date when all of it is valid. A write to part of a page that was never read makes
 *       just that part valid; whoever needs the rest completes it from the file's blocks, under the page
 *       lock and the invalidate lock shared (a fill path).
 *   <li>{@link #referenced}, {@link #readaheadMark}: hints, set and cleared without a lock.
 * </ul>
 *
 * <h2>Locking</h2>
 * The page lock is {@link LockRank#PAGE}: inside the journal lock, outside device sections. Never begin a
 * transaction with a page lock held.
 */
final class CachedPage {
    static final int SIZE = 4096;

    final FilePages owner;
    /** Page index in the file (file offset / 4096). */
    final long index;
    /** Slot in the pool. */
    final int slot;
    /** The slot's 4 KiB. */
    final MemorySegment memory;

    private final RankedBitLock lock = new RankedBitLock(LockRank.PAGE, this);
    private final AtomicInteger refs = new AtomicInteger();
    private volatile int validFrom;
    private volatile int validTo;
    /** Newer than the file's blocks. Guarded by the page lock. */
    volatile boolean dirty;
    /** Used since the eviction clock last passed. */
    volatile boolean referenced = true;
    /** Reaching this page should start the next readahead window (Linux's PG_readahead). */
    volatile boolean readaheadMark;

    CachedPage(FilePages owner, long index, int slot, MemorySegment memory) {
        this.owner = owner;
        this.index = index;
        this.slot = slot;
        this.memory = memory;
    }

    long position() {
        return index * SIZE;
    }

    void lock() {
        lock.lock();
    }

    boolean tryLock() {
        return lock.tryLock();
    }

    void unlock() {
        lock.unlock();
    }

    boolean isLocked() {
        return lock.isLocked();
    }

    /** Counts a user of the page's memory in; false if the page is dead (look it up again). */
    boolean tryRef() {
        int r;
        do {
            r = refs.get();
            if (r < 0) {
                return false;
            }
        } while (!refs.compareAndSet(r, r + 1));
        return true;
    }

    void unref() {
        refs.decrementAndGet();
    }

    boolean isDead() {
        return refs.get() < 0;
    }

    /**
     * Makes the page dead if nobody uses it, it is clean and nothing may show it. Context: the page lock
     * held, so no fill or write is under way.
     */
    boolean tryKill() {
        return !dirty && !owner.file().pageShown(index) && refs.compareAndSet(0, -1);
    }

    /**
     * Makes the page dead whatever its state, for a range being taken away. Context: the file's invalidate
     * lock exclusive (no reader, writer or fault holds the page), page lock held.
     */
    void kill() {
        refs.set(-1);
        dirty = false;
    }

    boolean upToDate() {
        return validFrom == 0 && validTo == SIZE;
    }

    /** True if bytes {@code [from, to)} of the page are valid. */
    boolean valid(int from, int to) {
        return validFrom <= from && to <= validTo;
    }

    /** The whole page is now valid. Context: page locked. */
    void markUpToDate() {
        validFrom = 0;
        validTo = SIZE;
    }

    /**
     * True if bytes {@code [from, to)}, once written, leave one valid range: nothing is valid yet, or they
     * touch the valid range. Otherwise the page must be completed before the write.
     */
    boolean canAdd(int from, int to) {
        return validFrom == validTo || (to >= validFrom && from <= validTo);
    }

    /** Records that bytes {@code [from, to)} were just written. Context: page locked, {@link #canAdd} true. */
    void addValid(int from, int to) {
        if (validFrom == validTo) {
            validFrom = from;
            validTo = to;
        } else {
            validFrom = Math.min(validFrom, from);
            validTo = Math.max(validTo, to);
        }
    }

    int validFrom() {
        return validFrom;
    }

    int validTo() {
        return validTo;
    }

    @Override
    public String toString() {
        return "page " + index + " of " + owner.file().describe();
    }
}
