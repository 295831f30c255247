package org.daxfs.locking;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link ReentrantLock} with a place in the {@link LockOrder}: {@link #lock()} and
 * {@link #lockInterruptibly()} are checked before they wait; a successful {@link #tryLock()} is recorded;
 * {@link #unlock()} is recorded. With the checker off it behaves exactly as a ReentrantLock.
 *
 * <p>Waiting on a {@link #newCondition() condition} gives the lock back and takes it again without the
 * checker seeing it: the lock counts as held throughout.
 */
public final class RankedLock extends ReentrantLock {
    private static final long serialVersionUID = 1L;

    private final LockRank rank;
    private final transient Object name;

    /** A lock of {@code rank} called {@code name} in messages. */
    public RankedLock(LockRank rank, String name) {
        this.rank = rank;
        this.name = name;
    }

    /** A lock of {@code rank} whose name for messages {@code name} gives, asked only when a message needs it. */
    public RankedLock(LockRank rank, Supplier<String> name) {
        this.rank = rank;
        this.name = name;
    }

    public LockRank rank() {
        return rank;
    }

    /** The name used in lock-order messages. */
    public String name() {
        return LockOrderChecker.nameOf(name);
    }

    @Override
    public void lock() {
        LockOrder.acquired(rank, this, false);
        super.lock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        RankedAcquire.interruptibly(rank, this, false, super::lockInterruptibly);
    }

    @Override
    public boolean tryLock() {
        return RankedAcquire.tried(rank, this, false, super.tryLock());
    }

    @Override
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        return RankedAcquire.tried(rank, this, false, super.tryLock(timeout, unit));
    }

    @Override
    public void unlock() {
        super.unlock();
        LockOrder.released(rank, this);
    }

    @Override
    public String toString() {
        return rank + " lock " + name() + " " + super.toString();
    }
}
