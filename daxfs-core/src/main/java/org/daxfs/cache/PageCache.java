package org.daxfs.cache;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;

/**
 * The page cache of one mounted file system: for files that are not DAX, their pages live here, in a pool
 * of fixed size (the memory limit), between the file's users and its blocks.
 *
 * <h2>Memory limit and eviction</h2>
 * When no slot is free, a clock sweeps the pool (second chance: a page read or written since the last
 * sweep is skipped once) and evicts pages that are clean, unlocked, unused and not shown in a mapping.
 * Dirty pages are never evicted; they are written back, by the writer itself once more than half the
 * pool is dirty (Linux's balance_dirty_pages), by {@link #sync} and fsync, and by a background thread
 * ({@link WritebackThread}) every second or when a page is wanted and none can be evicted. If every page
 * stays dirty, locked or mapped for {@link #SLOT_WAIT_NANOS}, a new page fails with ENOMEM.
 *
 * <h2>Locking</h2>
 * Eviction takes page locks only with tryLock (so it can run from any context, even with other page
 * locks held) under {@code clock}, a leaf monitor. {@code slotLock} only signals freed slots.
 */
public final class PageCache implements AutoCloseable {
    /** How long a new page waits for a slot before failing with ENOMEM. */
    static final long SLOT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Pages evicted per sweep. */
    private static final int EVICT_BATCH = 32;
    /** Smallest pool: enough for a readahead window and a few writers. */
    public static final long MIN_BYTES = 256L * CachedPage.SIZE;

    private final PagePool pool;
    private final AtomicReferenceArray<CachedPage> bySlot;
    private final Object clock = new Object();
    private int hand; // guarded by clock
    private final AtomicLong dirty = new AtomicLong();
    private final Set<FilePages> files = ConcurrentHashMap.newKeySet();
    private final ReentrantLock slotLock = new ReentrantLock();
    private final Condition slotFreed = slotLock.newCondition();
    private final WritebackThread writeback;
    private final AtomicLong evictions = new AtomicLong();

    /**
     * @param bytes the memory limit, rounded down to pages; at least {@link #MIN_BYTES}
     * @param name the file system's name, for the writeback thread
     */
    public PageCache(long bytes, String name) throws FsException {
        if (bytes < MIN_BYTES || bytes / CachedPage.SIZE > Integer.MAX_VALUE) {
            throw FsException.atOffset(Errno.EINVAL, -1, "page cache size " + bytes + " outside [" + MIN_BYTES + ", "
                    + (long) Integer.MAX_VALUE * CachedPage.SIZE + "]");
        }
        this.pool = new PagePool((int) (bytes / CachedPage.SIZE));
        this.bySlot = new AtomicReferenceArray<>(pool.capacity() + 1);
        this.writeback = new WritebackThread(this, name);
        writeback.start();
    }

    /** The pages of {@code file}, an empty cache to start with. */
    public FilePages open(CachedFile file) {
        FilePages p = new FilePages(this, file);
        files.add(p);
        return p;
    }

    /** Forgets a file whose pages are all gone for good (freed, or switched to DAX and dropped). */
    void closed(FilePages p) {
        files.remove(p);
    }

    /** The pool as a device: cached files are mapped from it (block n is slot n). */
    public Device device() {
        return pool.device();
    }

    /** Pages the cache can hold. */
    public int capacity() {
        return pool.capacity();
    }

    /** Pages in use. */
    public int residentPages() {
        return pool.capacity() - pool.freeSlots();
    }

    /** Dirty pages, over all files. */
    public long dirtyPages() {
        return dirty.get();
    }

    /** Pages evicted since the cache was made. */
    public long evictions() {
        return evictions.get();
    }

    /** True once more than half the pool is dirty: writers write back their own pages. */
    boolean overDirtyLimit() {
        return dirty.get() > pool.capacity() / 2;
    }

    void dirtied() {
        dirty.incrementAndGet();
    }

    void cleaned(int pages) {
        dirty.addAndGet(-pages);
    }

    /**
     * A new page of {@code owner} at {@code index}, locked by the caller, not yet in any index, nothing
     * valid. Evicts if the pool is full, and waits for writeback if nothing can be evicted.
     *
     * @throws FsException ENOMEM if no page could be had for {@link #SLOT_WAIT_NANOS}
     */
    CachedPage newPage(FilePages owner, long index) throws FsException {
        int slot = pool.allocate();
        long deadline = 0;
        while (slot < 0) {
            evict(EVICT_BATCH);
            slot = pool.allocate();
            if (slot >= 0) {
                break;
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + SLOT_WAIT_NANOS;
            } else if (now - deadline > 0) {
                throw FsException.atOffset(Errno.ENOMEM, index * CachedPage.SIZE, "page cache full ("
                        + pool.capacity() + " pages): every page is dirty, locked or mapped");
            }
            writeback.kick();
            awaitSlot();
            slot = pool.allocate();
        }
        return page(owner, index, slot);
    }

    /**
     * A new page as {@link #newPage}, but only if one can be had without waiting: a free slot, or one that
     * an eviction sweep frees; else null (and the background writeback is woken). For pages nobody waits
     * for yet: readahead beyond the page asked for stops short rather than wait with the pages it holds.
     */
    CachedPage tryNewPage(FilePages owner, long index) {
        int slot = pool.allocate();
        if (slot < 0) {
            evict(EVICT_BATCH);
            slot = pool.allocate();
        }
        if (slot < 0) {
            writeback.kick();
            return null;
        }
        return page(owner, index, slot);
    }

    /** True if a slot is free, or an eviction sweep freed one: a new page need not wait now. */
    boolean makeRoom() {
        return pool.freeSlots() > 0 || evict(EVICT_BATCH) > 0;
    }

    private CachedPage page(FilePages owner, long index, int slot) {
        CachedPage p = new CachedPage(owner, index, slot, pool.memory(slot));
        p.lock(); // nobody else can see it yet
        bySlot.set(slot, p);
        return p;
    }

    /**
     * Waits a little for a slot to be freed. Not interruptible: a page is wanted by a read or write that
     * must not fail for a stray interrupt (closing a shared arena can leave one set on threads that were
     * reading through its segments); the wait is bounded, and the interrupt is kept for the caller.
     */
    private void awaitSlot() {
        boolean interrupted = Thread.interrupted();
        slotLock.lock();
        try {
            if (pool.freeSlots() == 0) {
                // Bounded: a slot freed by eviction elsewhere signals nobody, so look again soon.
                slotFreed.await(20, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            slotLock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Gives a dead page's slot back. Context: the page is out of its file's index. */
    void free(CachedPage p) {
        bySlot.compareAndSet(p.slot, p, null);
        pool.release(p.slot);
        if (slotLock.tryLock()) {
            try {
                slotFreed.signalAll();
            } finally {
                slotLock.unlock();
            }
        }
    }

    /**
     * Evicts up to {@code want} clean, unused, unmapped pages, second chance for recently used ones.
     *
     * @return pages evicted
     */
    int evict(int want) {
        int done = 0;
        synchronized (clock) {
            int n = pool.capacity();
            for (int scanned = 0; scanned < 2 * n && done < want; scanned++) {
                int s = hand + 1; // slots are 1..n
                hand = (hand + 1) % n;
                CachedPage p = bySlot.get(s);
                if (p == null || p.dirty || p.isLocked()) {
                    continue;
                }
                if (p.referenced) {
                    p.referenced = false;
                    continue;
                }
                if (!p.tryLock()) {
                    continue;
                }
                boolean killed;
                try {
                    killed = p.tryKill();
                } finally {
                    p.unlock();
                }
                if (killed) {
                    p.owner.forget(p);
                    free(p);
                    done++;
                }
            }
        }
        evictions.addAndGet(done);
        return done;
    }

    /** Files with dirty pages, for the writeback thread. */
    Iterable<FilePages> files() {
        return files;
    }

    /** Wakes the writeback thread (a page is wanted and none could be evicted). */
    public void kickWriteback() {
        writeback.kick();
    }

    /**
     * Has the background thread write back every file whose locks are free, and waits for it.
     *
     * @return false if the thread is stopped (unmounting) or the caller was interrupted
     */
    public boolean writeBackInBackgroundAndWait() {
        return writeback.kickAndAwaitRound();
    }

    /**
     * Stops the background writeback (unmount: the file system writes everything back itself, then closes
     * the journal). Idempotent.
     */
    public void stopWriteback() {
        writeback.shutdown();
    }

    /** Stops the writeback thread and releases the pool. Context: every mapping of a cached file is gone. */
    @Override
    public void close() {
        writeback.shutdown();
        pool.close();
    }
}
