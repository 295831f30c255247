package org.daxfs.cache;

import java.lang.foreign.MemorySegment;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceSection;
import org.daxfs.device.Devices;

/**
 * The memory of the page cache: a fixed number of 4 KiB slots in one anonymous memory file (memfd), off
 * the Java heap. Being a file, a slot can also be mapped again into a mapping's window, so a mapping of a
 * cached file is its cached pages themselves, stitched into one range exactly as device blocks are for
 * DAX files: {@link #device()} is a memory device whose block {@code n} is slot {@code n}.
 *
 * <p>Memory is used as slots are first touched; the limit is the number of slots.
 *
 * <p>Locks: the free list is guarded by this object's monitor, a leaf (nothing is called under it).
 */
final class PagePool implements AutoCloseable {
    private final Device memory;
    private final MemorySegment all;
    private final int[] free;
    private int freeCount; // guarded by this

    /**
     * @param slots how many pages the pool holds (the cache's memory limit in pages). Slot 0 is never
     *     used: as a "block number" in a mapping it would read as no block at all.
     */
    PagePool(int slots) throws FsException {
        this.memory = Devices.memory((long) (slots + 1) * CachedPage.SIZE);
        try (DeviceSection _ = memory.enter()) {
            // The pool lives as long as the cache; its memory is never revoked under a running reader.
            this.all = memory.directAccess(0, memory.size());
        } catch (FsException | RuntimeException e) {
            memory.close();
            throw e;
        }
        this.free = new int[slots];
        for (int i = 0; i < slots; i++) {
            free[i] = slots - i; // low slots first
        }
        this.freeCount = slots;
    }

    int capacity() {
        return free.length;
    }

    synchronized int freeSlots() {
        return freeCount;
    }

    /** A free slot, or -1 if every slot is in use. */
    synchronized int allocate() {
        return freeCount == 0 ? -1 : free[--freeCount];
    }

    synchronized void release(int slot) {
        free[freeCount++] = slot;
    }

    /** The slot's 4 KiB. */
    MemorySegment memory(int slot) {
        return all.asSlice((long) slot * CachedPage.SIZE, CachedPage.SIZE);
    }

    /** The pool as a device, for mappings of cached files (block n is slot n). */
    Device device() {
        return memory;
    }

    @Override
    public void close() {
        memory.close();
    }
}
