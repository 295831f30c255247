package org.daxfs.locking;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A lock bit with a place in the {@link LockOrder}: the lock of a mapping entry or of a cached page. Like
 * the kernel's page lock it is one bit of state, not reentrant, held by one thread; waiters park in a
 * queue instead of spinning. Cheap enough to have one per 4 KiB page.
 */
public final class RankedBitLock {
    private final LockRank rank;
    private final Object owner;
    private final Bit bit = new Bit();

    /**
     * @param rank where the lock sits in the order ({@link LockRank#MAPPING_ENTRY} or {@link LockRank#PAGE})
     * @param owner what the lock protects: its identity and toString name the lock in order violations
     */
    public RankedBitLock(LockRank rank, Object owner) {
        this.rank = rank;
        this.owner = owner;
    }

    /** Takes the bit, parking while another thread holds it. Checked against the order before waiting. */
    public void lock() {
        LockOrder.acquired(rank, owner, false); // an inversion throws before the wait could deadlock
        bit.acquire(1);
    }

    /** Takes the bit if it is free, without waiting. */
    public boolean tryLock() {
        if (bit.tryAcquire(1)) {
            LockOrder.tryAcquired(rank, owner, false);
            return true;
        }
        return false;
    }

    public void unlock() {
        bit.release(1);
        LockOrder.released(rank, owner);
    }

    public boolean isHeldByCurrentThread() {
        return bit.heldByMe();
    }

    /** True if some thread holds the bit (a snapshot). */
    public boolean isLocked() {
        return bit.locked();
    }

    /** The bit: state 0 free, 1 held. */
    private static final class Bit extends AbstractQueuedSynchronizer {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean tryAcquire(int ignored) {
            if (compareAndSetState(0, 1)) {
                setExclusiveOwnerThread(Thread.currentThread());
                return true;
            }
            return false;
        }

        @Override
        protected boolean tryRelease(int ignored) {
            if (getExclusiveOwnerThread() != Thread.currentThread()) {
                throw new IllegalMonitorStateException("lock bit released by a thread that does not hold it");
            }
            setExclusiveOwnerThread(null);
            setState(0);
            return true;
        }

        @Override
        protected boolean isHeldExclusively() {
            return getExclusiveOwnerThread() == Thread.currentThread();
        }

        boolean heldByMe() {
            return isHeldExclusively();
        }

        boolean locked() {
            return getState() != 0;
        }
    }
}
