package org.daxfs.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Optional;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * A direct-access device: the whole device is one memory mapping owned by a shared {@link Arena}. Image
 * files, devdax nodes and memfd-backed volatile memory are all this class; {@link Devices} builds them.
 *
 * <p>{@link #directAccess} hands out slices of the mapping. Slices of a segment the JDK mapped stay mapped
 * segments, so their {@code force()} works, and they all share the arena: when the device is killed the
 * arena is closed after every section has left, and any slice still held throws IllegalStateException on
 * its next access instead of touching unmapped memory (SIGBUS).
 *
 * <p>Persistence depends on how the mapping was made (see {@link Persistence}): msync for ordinary
 * mappings, cache-line writeback for MAP_SYNC and devdax mappings.
 *
 * <p>Windows ({@link #openWindow}) map the device's file again through a {@link WindowSource}: the image file
 * opened again, the memfd's or the devdax node's own descriptor. It is closed at close, after the
 * mapping's resources.
 *
 * <p>Locks and context: as {@link AbstractDevice}; this class takes no lock. Closing the arena performs a
 * handshake with every JVM thread, so it is done once, at kill.
 */
public final class MappedDevice extends MemoryBackedDevice {
    /** Page size used to round msync ranges. */
    static final long PAGE = 4096;
    /** Cache-line size used to round writeback ranges. */
    static final long LINE = 64;

    /** How {@link #persist} makes stores durable. */
    enum Persistence {
        /** Ordinary shared mapping of a file: msync the pages ({@code force()}). */
        MSYNC,
        /** JDK MAP_SYNC mapping: {@code force()} is a cache-line writeback, no system call. */
        FORCE_CACHE_LINES,
        /** Raw (FFM) mapping of device memory: write back cache lines with {@link CacheLineWriteback}. */
        WRITEBACK_CACHE_LINES,
        /**
         * Raw mapping of device memory with no writeback primitive available: only a fence. Stores are
         * durable only where the platform makes CPU caches part of the persistence domain (eADR).
         */
        FENCE_ONLY
    }

    private final String description;
    private final Arena arena;
    private final MemorySegment mapping;
    private final Persistence persistence;
    private final boolean synchronous;
    private final Optional<Path> backingFile;
    private final AutoCloseable resources;
    private final WindowSource windows;

    /**
     * @param arena       the shared arena that owns {@code mapping}; closed at kill
     * @param resources   closed at close, after the arena (channel, descriptor); may be null
     * @param windows     where windows map device pages from; closed at close, after {@code resources}
     */
    MappedDevice(String description, Arena arena, MemorySegment mapping, boolean readOnly,
            Persistence persistence, boolean synchronous, Path backingFile, AutoCloseable resources,
            WindowSource windows) {
        super(mapping.byteSize(), readOnly);
        this.description = description;
        this.arena = arena;
        this.mapping = mapping;
        this.persistence = persistence;
        this.synchronous = synchronous;
        this.backingFile = Optional.ofNullable(backingFile);
        this.resources = resources;
        this.windows = windows;
    }

    /** How persist works on this mapping (for tests and diagnostics). */
    Persistence persistence() {
        return persistence;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public boolean isDirectAccess() {
        return true;
    }

    @Override
    public boolean isSynchronous() {
        return synchronous;
    }

    @Override
    public Optional<Path> backingFile() {
        return backingFile;
    }

    @Override
    WindowSource windowSource() {
        return windows;
    }

    @Override
    MemorySegment memory() {
        return mapping;
    }

    @Override
    void persistRange(long offset, long length) throws FsException {
        try {
            switch (persistence) {
                case MSYNC -> roundedSlice(offset, length, PAGE).force();
                // A writeback works line by line, so rounding to pages would only flush more lines.
                case FORCE_CACHE_LINES -> roundedSlice(offset, length, LINE).force();
                case WRITEBACK_CACHE_LINES ->
                        CacheLineWriteback.instance().writeback(roundedSlice(offset, length, LINE));
                case FENCE_ONLY -> VarHandle.fullFence();
            }
        } catch (UncheckedIOException e) {
            throw FsException.wrap(Errno.EIO, null, offset, "persist failed: " + e.getCause().getMessage(), e);
        }
    }

    /** The mapping over {@code [offset, offset+length)} rounded out to {@code unit} boundaries. */
    private MemorySegment roundedSlice(long offset, long length, long unit) {
        long start = offset / unit * unit;
        long end = Math.min(size(), Math.ceilDiv(offset + length, unit) * unit);
        return mapping.asSlice(start, end - start);
    }

    @Override
    void revoke() {
        arena.close();
    }

    @Override
    void release() {
        try {
            if (resources != null) {
                resources.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + description, e);
        } catch (Exception e) {
            throw new IllegalStateException("closing " + description, e);
        } finally {
            windows.close();
        }
    }
}
