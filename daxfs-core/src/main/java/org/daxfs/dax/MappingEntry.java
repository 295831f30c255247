package org.daxfs.dax;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.daxfs.device.Device;
import org.daxfs.locking.LockRank;
import org.daxfs.locking.RankedBitLock;

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

    private final RankedBitLock lockBit = new RankedBitLock(LockRank.MAPPING_ENTRY, this);

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
        lockBit.lock();
    }

    void unlock() {
        lockBit.unlock();
    }

    boolean isLockedByMe() {
        return lockBit.isHeldByCurrentThread();
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
}
