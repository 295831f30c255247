package org.daxfs.dax;

import org.daxfs.locking.LockRank;
import org.daxfs.locking.RankedReadWriteLock;

/**
 * A file's invalidate lock (rule 1 of DESIGN.md, Linux's {@code mapping->invalidate_lock}): every path that
 * fills a mapping or reads blocks through the file's extents holds it shared; every path that takes
 * blocks away from the file holds it exclusive across revoke, change extents and free. So nothing can
 * show or read a block between the moment it is revoked and the moment it is freed and reused.
 *
 * <p>Lock order: inside the inode lock, outside journal transactions, entry locks and device sections
 * ({@link org.daxfs.locking.LockOrder} checks it in debug mode). Reentrant; a thread holding it exclusive
 * may take it shared again.
 */
public final class InvalidateLock {
    private final RankedReadWriteLock lock;
    private final String name;

    /** @param name what the lock protects, for messages (e.g. "inode 12") */
    public InvalidateLock(String name) {
        this.name = name;
        this.lock = new RankedReadWriteLock(LockRank.INVALIDATE, this::toString);
    }

    /** Fill paths: read, write, fault, map, pin. */
    public void lockShared() {
        lock.readLock().lock();
    }

    /** Takes the lock shared if that needs no waiting (non-blocking reads). */
    public boolean tryLockShared() {
        return lock.readLock().tryLock();
    }

    public void unlockShared() {
        lock.readLock().unlock();
    }

    /** Block-removing paths: punch, truncate, collapse, insert and zero range, mode switch, freeing. */
    public void lockExclusive() {
        lock.writeLock().lock();
    }

    public void unlockExclusive() {
        lock.writeLock().unlock();
    }

    /** True when the calling thread holds the lock exclusive. */
    public boolean isHeldExclusively() {
        return lock.isWriteLockedByCurrentThread();
    }

    /** True when the calling thread holds the lock, shared or exclusive. */
    public boolean isHeld() {
        return lock.getReadHoldCount() > 0 || lock.isWriteLockedByCurrentThread();
    }

    @Override
    public String toString() {
        return "invalidate lock of " + name;
    }
}
