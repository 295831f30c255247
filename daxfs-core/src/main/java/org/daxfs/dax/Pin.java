package org.daxfs.dax;

import java.lang.foreign.MemorySegment;

/**
 * A pinned mapping of a file range, for long-lived direct use (the analogue of pinning user pages for
 * DMA, rule 7 of DESIGN.md). While it is open, truncate, punch, collapse, insert and zero range over the
 * range wait for it, and fail with EBUSY after their timeout rather than take its blocks away. Device
 * removal and unmount still revoke it. Closing it unpins and unmaps.
 *
 * <p>Thread safe; {@link #close} is idempotent.
 */
public final class Pin implements AutoCloseable {
    private final AddressSpace space;
    private final FileMapping mapping;
    private final MemorySegment segment;
    private final long offset;
    private final long length;

    Pin(AddressSpace space, FileMapping mapping, MemorySegment segment, long offset, long length) {
        this.space = space;
        this.mapping = mapping;
        this.segment = segment;
        this.offset = offset;
        this.length = length;
    }

    /** The pinned range, mapped (read-only unless pinned writable). */
    public MemorySegment segment() {
        return segment;
    }

    /** File offset of the first byte of {@link #segment()}. */
    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    /** Unpins and unmaps; range operations waiting for the pin proceed. */
    @Override
    public void close() {
        space.release(mapping);
    }

    @Override
    public String toString() {
        return "pin of [" + offset + ", " + (offset + length) + ") in " + space;
    }
}
