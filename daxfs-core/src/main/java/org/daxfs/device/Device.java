package org.daxfs.device;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * The bottom layer: a byte-addressable region that holds one whole file system.
 *
 * <h2>Lifetime and the read-side section</h2>
 * Every access to device memory runs inside a {@link DeviceSection}: {@link #read}, {@link #write},
 * {@link #zero} and {@link #persist} enter one themselves; callers of {@link #directAccess} must hold one
 * across the access and anything that publishes the result (a mapping entry, later). {@link #kill()} marks
 * the device dead, waits for every section in flight to leave, and from then on every access fails with
 * {@code EIO}. Entering a section is cheap (no lock, no shared cache line in the common case).
 *
 * <h2>Media errors</h2>
 * {@link #mediaErrors()} lists bad ranges, like Linux's badblocks. Reads that touch one fail with
 * {@code EIO}; a write that covers a bad 512-byte sector entirely clears it; a write that covers one only
 * partly fails with {@code EIO} (as pmem does).
 *
 * <h2>Windows</h2>
 * {@link #openWindow} reserves address space in which device blocks can be shown at chosen places, so that
 * scattered blocks read as one contiguous range (see {@link DeviceWindow}). Windows are an extra over direct
 * access: devices whose bytes are not in a file that can be mapped again refuse them with EOPNOTSUPP.
 * Windows do not follow the device's lifetime: after {@link #kill()} no window can be opened and no device
 * page shown, but what windows already show stays mapped until their owner closes them, which it does from
 * a kill listener.
 *
 * <h2>Locking</h2>
 * The device takes no lock of the file system's; it is the innermost level of the lock order.
 */
public interface Device extends AutoCloseable {
    /** Block size of every DaxFS device. */
    int BLOCK_SIZE = 4096;

    /** A one-line description: kind and path, e.g. {@code "image file /x.img (mapped)"}. */
    String describe();

    /** Size in bytes, a multiple of {@link #BLOCK_SIZE}. */
    long size();

    /** True when {@link #directAccess} works (mapped image, devdax, memory); false for block-only devices. */
    boolean isDirectAccess();

    /** True when stores are made durable by a CPU cache flush alone (MAP_SYNC / devdax). */
    boolean isSynchronous();

    /** True when the device refuses writes. */
    boolean isReadOnly();

    /** The file that backs the device, if any (image file, devdax node, or /proc/self/fd of a memfd). */
    Optional<Path> backingFile();

    /**
     * Enters a read-side section. Must be closed on the same thread.
     *
     * @throws FsException EIO if the device is dead
     */
    DeviceSection enter() throws FsException;

    /**
     * Direct access to {@code [offset, offset+length)} of device memory. Context: the caller holds a
     * {@link DeviceSection} from {@link #enter()} for as long as it uses the segment and until whatever it
     * publishes from it is visible. The segment becomes inaccessible (IllegalStateException) once the device
     * is killed or closed.
     *
     * @throws FsException EIO if the range touches a media error or the device is dead; EOPNOTSUPP on a
     *     block-only device; EINVAL if the range is out of bounds
     */
    MemorySegment directAccess(long offset, long length) throws FsException;

    /** Copies device bytes at {@code offset} into {@code dst} (all of it). */
    void read(long offset, MemorySegment dst) throws FsException;

    /** Copies {@code src} (all of it) to the device at {@code offset}. Not durable until {@link #persist}. */
    void write(long offset, MemorySegment src) throws FsException;

    /** Writes zeros over {@code [offset, offset+length)}. Not durable until {@link #persist}. */
    void zero(long offset, long length) throws FsException;

    /** Makes every store to {@code [offset, offset+length)} durable (msync, or a cache-line writeback). */
    void persist(long offset, long length) throws FsException;

    /**
     * Reserves {@code size} bytes of virtual address space, inaccessible until parts of it are shown with
     * {@link DeviceWindow#showDevice} or {@link DeviceWindow#showZeros}. The caller closes the window.
     *
     * @param size a positive multiple of {@link #BLOCK_SIZE}
     * @throws FsException EOPNOTSUPP on devices without a mappable descriptor (block-only devices, devdax
     *     nodes whose alignment is larger than a block); EINVAL for a bad size; EIO if the device is dead;
     *     ENOENT, EACCES, EIO if an image file cannot be opened again (see {@link DeviceWindow})
     */
    default DeviceWindow openWindow(long size) throws FsException {
        throw FsException.atOffset(Errno.EOPNOTSUPP, -1, "no windows on " + describe());
    }

    /** Makes every store to the whole device durable. */
    default void persistAll() throws FsException {
        persist(0, size());
    }

    /** The device's list of bad ranges. */
    MediaErrors mediaErrors();

    /**
     * Registers a listener run once, on the killing thread, after the device has died (every section has
     * left) and before its memory is unmapped: the place to revoke views of device memory.
     */
    void onKill(Runnable listener);

    /** Forgets a listener given to {@link #onKill}, so a device that outlives its user does not keep it. */
    void removeKillListener(Runnable listener);

    /**
     * Removes the device: waits for sections in flight, then fails every access with EIO, runs the kill
     * listeners and unmaps device memory. Idempotent.
     */
    void kill();

    /** False once {@link #kill()} or {@link #close()} has begun. */
    boolean isAlive();

    /** Persists nothing; releases the mapping and file handles. Implies {@link #kill()}. */
    @Override
    void close();

    // Convenience forms over heap arrays.

    default void read(long offset, byte[] dst, int from, int length) throws FsException {
        read(offset, MemorySegment.ofArray(dst).asSlice(from, length));
    }

    default void write(long offset, byte[] src, int from, int length) throws FsException {
        write(offset, MemorySegment.ofArray(src).asSlice(from, length));
    }
}
