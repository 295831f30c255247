package org.daxfs.locking;

/**
 * What {@link RankedLock} and both halves of {@link RankedReadWriteLock} do around the JDK's acquisitions,
 * written once: check before waiting, forget a wait that was interrupted, record a try-lock that succeeded.
 */
final class RankedAcquire {
    /** An acquisition that may be interrupted. */
    @FunctionalInterface
    interface Interruptible {
        void run() throws InterruptedException;
    }

    private RankedAcquire() {}

    /** Checks, then waits; an interrupted wait leaves nothing recorded. */
    static void interruptibly(LockRank rank, Object lock, boolean shared, Interruptible acquire)
            throws InterruptedException {
        LockOrder.acquired(rank, lock, shared);
        boolean locked = false;
        try {
            acquire.run();
            locked = true;
        } finally {
            if (!locked) {
                LockOrder.released(rank, lock);
            }
        }
    }

    /** Records a try-lock that got the lock (it did not wait, so it needs no check); returns {@code got}. */
    static boolean tried(LockRank rank, Object lock, boolean shared, boolean got) {
        if (got) {
            LockOrder.tryAcquired(rank, lock, shared);
        }
        return got;
    }
}
