package org.daxfs.dax;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import org.daxfs.device.Device;
import org.daxfs.locking.LockOrder;
import org.daxfs.locking.LockRank;

/**
 * What one small (4 KiB) or huge (2 MiB) run of a file's pages is mapped to: a run of device blocks, or a
 * hole shown as read-only zeros. Like an entry of Linux's DAX xarray it carries a lock bit, dirty state
 * for flush, and a count of pins.
 *
 * <h2>Locking</h2>
 * The lock bit serialises faults on the same index; entries of different indexes are locked
 * independently, so faults on them proceed in parallel. Waiters are parked in a queue, not spinning. The
 * lock is not reentrant. Every field except {@link #pins} is read and changed only with the entry locked;
 * {@link #pins} is also read without it by range operations waiting for pins to go.
 */
final class MappingEntry {
    /** Pages of a small entry. */
    static final int SMALL_PAGES = 1;
    /** Pages of a huge entry (2 MiB). */
    static final int HUGE_PAGES = 512;

    /** What the entry shows. */
    enum Kind {
        /** Just created, not looked up yet. */
        EMPTY,
        /** A hole or unwritten blocks, shown read-only as zeros. */
        HOLE,
        /** Written device blocks starting at {@link #block}. */
        DEVICE
    }

    /** First page index covered. */
    final long index;
    /** True for a 2 MiB entry. */
    final boolean huge;

    private final LockBit lockBit = new LockBit();

    /** Guarded by the entry lock. */
    Kind kind = Kind.EMPTY;
    /** First device block shown, when {@link Kind#DEVICE}. */
    long block;
    /** Stores may have reached the blocks since the last flush (it is mapped, or was, writable). */
    boolean dirty;
    /** Mappings showing this entry writable. */
    int writableMaps;
    /** Mappings showing this entry. */
    final List<FileMapping> mappers = new ArrayList<>(1);
    /** Removed from the index; a thread that locked it after must look again. */
    boolean dead;
    /** Pins held on this entry by pinned mappings. */
    final AtomicInteger pins = new AtomicInteger();

    MappingEntry(long index, boolean huge) {
        this.index = index;
        this.huge = huge;
    }

    long pages() {
        return huge ? HUGE_PAGES : SMALL_PAGES;
    }

    long end() {
        return index + pages();
    }

    long bytes() {
        return pages() * Device.BLOCK_SIZE;
    }

    /** Takes the lock bit, parking while another thread holds it. */
    void lock() {
        LockOrder.acquired(LockRank.MAPPING_ENTRY, this, false); // checked before waiting: an inversion throws
        lockBit.acquire(1);
    }

    void unlock() {
        lockBit.release(1);
        LockOrder.released(LockRank.MAPPING_ENTRY, this);
    }

    boolean isLockedByMe() {
        return lockBit.heldByMe();
    }

    /** True when nothing needs the entry any more: no mapping, no pin, nothing to flush. */
    boolean unused() {
        return mappers.isEmpty() && !dirty && pins.get() == 0;
    }

    @Override
    public String toString() {
        return (huge ? "huge" : "small") + " entry at page " + index + " (" + kind
                + (kind == Kind.DEVICE ? " block " + block : "") + ")";
    }

    /** The lock bit: state 0 free, 1 held. */
    private static final class LockBit extends AbstractQueuedSynchronizer {
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
                throw new IllegalMonitorStateException("entry lock released by a thread that does not hold it");
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
    }
}
