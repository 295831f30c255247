package org.daxfs.device;

import java.lang.foreign.MemorySegment;

/**
 * A device whose bytes are one memory segment (a mapping, or memory standing in for one): direct access
 * is a slice of it, and reads, writes and zeroing are plain memory copies. Subclasses say how stores
 * become durable.
 *
 * <p>Locks and context: as {@link AbstractDevice}; the primitives run inside a section.
 */
abstract class MemoryBackedDevice extends AbstractDevice {
    MemoryBackedDevice(long size, boolean readOnly) {
        super(size, readOnly);
    }

    /** The device's bytes, as accesses see them. */
    abstract MemorySegment memory();

    @Override
    MemorySegment sliceAt(long offset, long length) {
        return memory().asSlice(offset, length);
    }

    @Override
    void readAt(long offset, MemorySegment dst) {
        MemorySegment.copy(memory(), offset, dst, 0, dst.byteSize());
    }

    @Override
    void writeAt(long offset, MemorySegment src) {
        MemorySegment.copy(src, 0, memory(), offset, src.byteSize());
    }

    @Override
    void zeroAt(long offset, long length) {
        memory().asSlice(offset, length).fill((byte) 0);
    }
}
