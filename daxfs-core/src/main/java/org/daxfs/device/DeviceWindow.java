package org.daxfs.device;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.linux.SyscallException;

/**
 * A reserved range of virtual address space in which device pages are shown at chosen places, so that
 * blocks scattered on the device appear as one contiguous range of memory (a zero-copy view of a file whose
 * blocks are not adjacent). Made by {@link Device#openWindow}.
 *
 * <p>How: the reservation is an anonymous {@code PROT_NONE} mapping; {@link #showDevice} maps the device's
 * file over part of it with {@code MAP_SHARED|MAP_FIXED}, {@link #showZeros} maps read-only anonymous
 * zeros. A MAP_FIXED mapping replaces the old one under the kernel's mmap lock, so a thread reading that
 * range concurrently sees the old pages or the new ones, never a hole. Stores through a writable device view
 * are stores to device memory, exactly as through {@link Device#directAccess}: they are seen by
 * {@link Device#read} at once and made durable by {@link Device#persist} (or {@link #sync} where the
 * device's persistence is msync). Adjacent device views of adjacent device blocks with the same access are
 * merged by the kernel; every other piece costs one kernel mapping (a process has about 65,000).
 *
 * <p>Using the memory: this class hands out only {@link #address()}; the user wraps it, e.g. with
 * {@code MemorySegment.ofAddress(w.address()).reinterpret(w.size(), arena, null)}, and must make every such
 * segment unusable (close its arena) before closing the window. Touching a range that shows nothing
 * ({@code PROT_NONE}), or storing to a read-only range, is a SIGSEGV that ends the JVM. Nothing unmaps a
 * window but {@link #close()}: it is not freed when unreachable (a segment over it may still be in use).
 *
 * <p>Lifetime: a window does not follow its device. After {@link Device#kill()}, {@link #showDevice} and
 * {@link #sync} fail with EIO (they work on the device), but what is already shown stays mapped, and
 * readable, even after the device is closed: the mapping holds its own reference to the file. Whoever
 * owns windows revokes them from a kill listener ({@link Device#onKill}) by closing them.
 *
 * <p>After {@link #close()}, every method but {@link #address()}, {@link #size()} and {@link #close()}
 * fails with EIO ("window closed").
 *
 * <p>Locks and context: this class takes no lock; it is thread safe. Each operation counts itself in
 * {@code state} while it runs; {@link #close()} marks the window closed and unmaps the reservation at once,
 * or, if operations are still in flight, lets the last of them unmap it as it leaves, so close never waits
 * and a MAP_FIXED never lands on address space that was given back. {@link #showDevice} and {@link #sync}
 * run inside a device section, which keeps the device's descriptor open while they use it. Operations on
 * overlapping ranges from different threads take effect in some order; ordering them is the caller's job.
 */
public final class DeviceWindow implements AutoCloseable {
    private static final long BLOCK = Device.BLOCK_SIZE;
    /** Sign bit of {@code state}: the window is closed. */
    private static final long CLOSED = Long.MIN_VALUE;

    private final AbstractDevice device;
    private final WindowSource source;
    private final MemorySegment base;
    private final long size;
    /** {@link #CLOSED} bit | number of operations in flight. */
    private final AtomicLong state = new AtomicLong();
    /** Set if part of the reservation may have become a hole: then it is never unmapped (see mapFailed). */
    private volatile boolean abandoned;

    private DeviceWindow(AbstractDevice device, WindowSource source, MemorySegment base, long size) {
        this.device = device;
        this.source = source;
        this.base = base;
        this.size = size;
    }

    /** Reserves {@code size} bytes. Context: the caller has checked the size and is inside a device section. */
    static DeviceWindow reserve(AbstractDevice device, WindowSource source, long size) throws FsException {
        try {
            MemorySegment base = LinuxCalls.mmapAnonymous(MemorySegment.NULL, size, LinuxCalls.PROT_NONE,
                    LinuxCalls.MAP_NORESERVE);
            return new DeviceWindow(device, source, base, size);
        } catch (SyscallException e) {
            throw LinuxCalls.toFsException(e, Errno.EIO, -1);
        }
    }

    /** Base address of the reservation, page aligned. Still answers after close. */
    public long address() {
        return base.address();
    }

    /** Size of the reservation in bytes, a multiple of {@link Device#BLOCK_SIZE}. */
    public long size() {
        return size;
    }

    /**
     * Shows device bytes {@code [deviceOffset, deviceOffset+length)} at {@code [windowOffset, +length)}: one
     * {@code mmap(MAP_SHARED|MAP_FIXED)} of the device's file, replacing atomically whatever was shown there.
     * On a device whose file accepts MAP_SYNC, views are mapped {@code MAP_SHARED_VALIDATE|MAP_SYNC} (read-only
     * ones too, so that {@link #protect} can later make them writable). A length of 0 shows nothing.
     *
     * <p>If the mmap fails, the range shows nothing afterwards (it is reserved again, inaccessible): the old
     * pages may already be gone, and a hole in the reservation could be taken by an unrelated mapping.
     *
     * @param writable map {@code PROT_READ|PROT_WRITE} instead of {@code PROT_READ}
     * @throws FsException EINVAL (at the offending offset) if an argument is not a multiple of
     *     {@link Device#BLOCK_SIZE} or a range is outside the window or the device; EROFS for a writable view of
     *     a read-only device; EIO if the range touches a media error, the device is dead or the window closed,
     *     or the mmap fails
     */
    public void showDevice(long windowOffset, long deviceOffset, long length, boolean writable) throws FsException {
        checkWindowRange(windowOffset, length);
        checkAligned(deviceOffset, "device offset");
        device.checkBounds(deviceOffset, length);
        if (writable && device.isReadOnly()) {
            throw FsException.atOffset(Errno.EROFS, deviceOffset, "writable window view of a read-only device");
        }
        begin(windowOffset);
        try (DeviceSection _ = device.lifetime.enter(deviceOffset)) {
            long bad = device.mediaErrors().firstBad(deviceOffset, length);
            if (bad >= 0) {
                throw AbstractDevice.mediaError(bad);
            }
            if (length > 0) {
                mapDevice(windowOffset, deviceOffset, length, writable);
            }
        } finally {
            end();
        }
    }

    /**
     * Shows read-only zeros at {@code [windowOffset, +length)}: {@code MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED},
     * {@code PROT_READ}, replacing atomically whatever was shown there. Works after the device is killed.
     *
     * @throws FsException EINVAL if the range is misaligned or outside the window; EIO if the window is
     *     closed or the mmap fails (the range then shows nothing, as for {@link #showDevice})
     */
    public void showZeros(long windowOffset, long length) throws FsException {
        checkWindowRange(windowOffset, length);
        begin(windowOffset);
        try {
            if (length > 0) {
                mapZeros(windowOffset, length);
            }
        } finally {
            end();
        }
    }

    /**
     * Changes the access of {@code [windowOffset, +length)} to read-only or read-write (mprotect). Meant for
     * device views: a writable range that shows zeros or nothing is private memory the device never sees.
     * Works after the device is killed.
     *
     * @throws FsException EINVAL if the range is misaligned or outside the window; EROFS to make a range of
     *     a read-only device writable; EIO if the window is closed; what mprotect reports otherwise
     */
    public void protect(long windowOffset, long length, boolean writable) throws FsException {
        checkWindowRange(windowOffset, length);
        if (writable && device.isReadOnly()) {
            throw FsException.atOffset(Errno.EROFS, windowOffset, "writable window range on a read-only device");
        }
        begin(windowOffset);
        try {
            if (length > 0) {
                LinuxCalls.mprotect(at(windowOffset), length, protection(writable));
            }
        } catch (SyscallException e) {
            throw LinuxCalls.toFsException(e, Errno.EIO, windowOffset);
        } finally {
            end();
        }
    }

    /**
     * msync({@code MS_SYNC}) of {@code [windowOffset, +length)} rounded out to pages: makes stores through
     * device views durable on devices whose persistence is msync (image files without MAP_SYNC). It knows
     * nothing of what the range shows. {@link Device#persist} of the device range shown there does the same
     * on those devices (dirty pages belong to the file, whichever mapping dirtied them) and works on every
     * device; on the crash simulator only it makes stores durable.
     *
     * @throws FsException EINVAL if the range is outside the window; EIO if the device is dead, the window
     *     closed, or the write-back failed
     */
    public void sync(long windowOffset, long length) throws FsException {
        if (windowOffset < 0 || length < 0 || windowOffset > size - length) {
            throw outsideWindow(windowOffset, length);
        }
        long start = windowOffset / BLOCK * BLOCK;
        long end = Math.ceilDiv(windowOffset + length, BLOCK) * BLOCK;
        begin(windowOffset);
        try (DeviceSection _ = device.lifetime.enter(-1)) {
            if (end > start) {
                LinuxCalls.msync(at(start), end - start, LinuxCalls.MS_SYNC);
            }
        } catch (SyscallException e) {
            throw LinuxCalls.toFsException(e, Errno.EIO, windowOffset);
        } finally {
            end();
        }
    }

    /**
     * Unmaps the whole reservation, at once or, if other threads are inside an operation of this window,
     * when the last of them leaves. Idempotent, thread safe, never waits.
     */
    @Override
    public void close() {
        long s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
        } while (!state.compareAndSet(s, s | CLOSED));
        if (s == 0) {
            unmap();
        }
    }

    @Override
    public String toString() {
        return "window of " + size + " bytes at 0x" + Long.toHexString(address()) + " on " + device.describe()
                + ((state.get() & CLOSED) != 0 ? " (closed)" : "");
    }

    // ---- mapping ----

    private void mapDevice(long windowOffset, long deviceOffset, long length, boolean writable) throws FsException {
        int flags = source.mapSync()
                ? LinuxCalls.MAP_SHARED_VALIDATE | LinuxCalls.MAP_SYNC | LinuxCalls.MAP_FIXED
                : LinuxCalls.MAP_SHARED | LinuxCalls.MAP_FIXED;
        int fd = source.descriptor(deviceOffset);
        try {
            checkPlaced(LinuxCalls.mmap(at(windowOffset), length, protection(writable), flags, fd, deviceOffset),
                    windowOffset);
        } catch (SyscallException e) {
            throw mapFailed(e, windowOffset, deviceOffset, length);
        }
    }

    private void mapZeros(long windowOffset, long length) throws FsException {
        try {
            checkPlaced(LinuxCalls.mmapAnonymous(at(windowOffset), length, LinuxCalls.PROT_READ,
                    LinuxCalls.MAP_FIXED), windowOffset);
        } catch (SyscallException e) {
            throw mapFailed(e, windowOffset, windowOffset, length);
        }
    }

    /** Reserves the range again after a failed MAP_FIXED, then describes the failure. */
    private FsException mapFailed(SyscallException e, long windowOffset, long offset, long length) {
        try {
            checkPlaced(LinuxCalls.mmapAnonymous(at(windowOffset), length, LinuxCalls.PROT_NONE,
                    LinuxCalls.MAP_FIXED | LinuxCalls.MAP_NORESERVE), windowOffset);
        } catch (SyscallException again) {
            // Reserving pages that were reserved a moment ago fails only when the kernel is out of memory for
            // its own structures. The range may now be a hole that an unrelated mapping could take, so the
            // window is closed and never unmapped: a munmap of the whole range could remove that mapping.
            e.addSuppressed(again);
            abandoned = true;
            close();
        }
        return LinuxCalls.toFsException(e, Errno.EIO, offset);
    }

    private void checkPlaced(MemorySegment mapped, long windowOffset) {
        if (mapped.address() != address() + windowOffset) {
            throw new IllegalStateException("MAP_FIXED mapped at 0x" + Long.toHexString(mapped.address())
                    + " instead of 0x" + Long.toHexString(address() + windowOffset));
        }
    }

    private void unmap() {
        if (abandoned) {
            return;
        }
        try {
            LinuxCalls.munmap(base, size);
        } catch (SyscallException e) {
            // Only an invalid address or length makes munmap fail; both are ours, so this is a bug.
            throw new IllegalStateException("munmap of " + this + " failed", e);
        }
    }

    /** The address {@code windowOffset} bytes into the reservation, as mmap and mprotect take it. */
    private MemorySegment at(long windowOffset) {
        return MemorySegment.ofAddress(address() + windowOffset);
    }

    private static int protection(boolean writable) {
        return writable ? LinuxCalls.PROT_READ | LinuxCalls.PROT_WRITE : LinuxCalls.PROT_READ;
    }

    // ---- operations in flight ----

    /** Counts an operation in; fails with EIO if the window is closed. */
    private void begin(long windowOffset) throws FsException {
        long s;
        do {
            s = state.get();
            if ((s & CLOSED) != 0) {
                throw FsException.atOffset(Errno.EIO, windowOffset, "window closed");
            }
        } while (!state.compareAndSet(s, s + 1));
    }

    /** Counts an operation out; the last one out of a closed window unmaps it. */
    private void end() {
        if (state.decrementAndGet() == CLOSED) {
            unmap();
        }
    }

    // ---- checks ----

    private void checkWindowRange(long windowOffset, long length) throws FsException {
        checkAligned(windowOffset, "window offset");
        checkAligned(length, "length");
        if (windowOffset < 0 || length < 0 || windowOffset > size - length) {
            throw outsideWindow(windowOffset, length);
        }
    }

    private FsException outsideWindow(long windowOffset, long length) {
        return FsException.atOffset(Errno.EINVAL, windowOffset,
                "range of " + length + " bytes outside window of " + size + " bytes");
    }

    private static void checkAligned(long value, String what) throws FsException {
        if (value % BLOCK != 0) {
            throw FsException.atOffset(Errno.EINVAL, value, what + " " + value + " is not a multiple of " + BLOCK);
        }
    }
}
