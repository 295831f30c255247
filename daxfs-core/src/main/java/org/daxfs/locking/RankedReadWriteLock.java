package org.daxfs.locking;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A {@link ReentrantReadWriteLock} with a place in the {@link LockOrder}. {@link #readLock()} and
 * {@link #writeLock()} return locks that report to the checker as {@link RankedLock} does (checked before
 * waiting, try-locks recorded, unlocks recorded), so call sites such as {@code in.lock.readLock().lock()}
 * stay as they are. Both halves are one lock to the checker: taking the read lock while holding the write
 * lock is reentrancy, not an inversion. With the checker off it behaves exactly as a ReentrantReadWriteLock.
 */
public final class RankedReadWriteLock extends ReentrantReadWriteLock {
    private static final long serialVersionUID = 1L;

    private final LockRank rank;
    private final transient Object name;
    private final RankedReadLock reader;
    private final RankedWriteLock writer;

    /** A lock of {@code rank} called {@code name} in messages. */
    public RankedReadWriteLock(LockRank rank, String name) {
        this(rank, (Object) name);
    }

    /** A lock of {@code rank} whose name for messages {@code name} gives, asked only when a message needs it. */
    public RankedReadWriteLock(LockRank rank, Supplier<String> name) {
        this(rank, (Object) name);
    }

    private RankedReadWriteLock(LockRank rank, Object name) {
        this.rank = rank;
        this.name = name;
        this.reader = new RankedReadLock(this);
        this.writer = new RankedWriteLock(this);
    }

    public LockRank rank() {
        return rank;
    }

    /** The name used in lock-order messages. */
    public String name() {
        return LockOrderChecker.nameOf(name);
    }

    @Override
    public ReentrantReadWriteLock.ReadLock readLock() {
        return reader;
    }

    @Override
    public ReentrantReadWriteLock.WriteLock writeLock() {
        return writer;
    }

    @Override
    public String toString() {
        return rank + " lock " + name() + " " + super.toString();
    }

    /** The shared half. */
    private static final class RankedReadLock extends ReentrantReadWriteLock.ReadLock {
        private static final long serialVersionUID = 1L;
        private final RankedReadWriteLock owner;

        RankedReadLock(RankedReadWriteLock owner) {
            super(owner);
            this.owner = owner;
        }

        @Override
        public void lock() {
            LockOrder.acquired(owner.rank, owner, true);
            super.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            RankedAcquire.interruptibly(owner.rank, owner, true, super::lockInterruptibly);
        }

        @Override
        public boolean tryLock() {
            return RankedAcquire.tried(owner.rank, owner, true, super.tryLock());
        }

        @Override
        public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
            return RankedAcquire.tried(owner.rank, owner, true, super.tryLock(timeout, unit));
        }

        @Override
        public void unlock() {
            super.unlock();
            LockOrder.released(owner.rank, owner);
        }
    }

    /** The exclusive half. */
    private static final class RankedWriteLock extends ReentrantReadWriteLock.WriteLock {
        private static final long serialVersionUID = 1L;
        private final RankedReadWriteLock owner;

        RankedWriteLock(RankedReadWriteLock owner) {
            super(owner);
            this.owner = owner;
        }

        @Override
        public void lock() {
            LockOrder.acquired(owner.rank, owner, false);
            super.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            RankedAcquire.interruptibly(owner.rank, owner, false, super::lockInterruptibly);
        }

        @Override
        public boolean tryLock() {
            return RankedAcquire.tried(owner.rank, owner, false, super.tryLock());
        }

        @Override
        public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
            return RankedAcquire.tried(owner.rank, owner, false, super.tryLock(timeout, unit));
        }

        @Override
        public void unlock() {
            super.unlock();
            LockOrder.released(owner.rank, owner);
        }
    }
}
