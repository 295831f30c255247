package org.daxfs.device;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * What every device shares: argument and bounds checks, the read-side section around each operation,
 * media-error semantics and the lifetime (kill, close). Subclasses supply only the raw transfer
 * primitives, which run inside a section with the range already checked.
 *
 * <h2>Media errors</h2>
 * A read or direct access that touches a bad sector fails with EIO at the first bad byte. A write or zero
 * that covers a bad sector only partly fails with EIO and writes nothing; one that covers bad sectors
 * entirely writes them and clears them from the list (the write repairs the media).
 *
 * <h2>Locks and context</h2>
 * Operations take no lock of their own: they enter a {@link DeviceSection} (see {@link DeviceLifetime}) and
 * call the primitive. Callers may hold any file-system lock; the device is innermost in the lock order.
 * {@link #kill()} and {@link #close()} must not be called from inside a section of this device on the same
 * thread (IllegalStateException). Primitives must not block on anything a section holder may hold.
 */
abstract class AbstractDevice implements Device {
    private final long size;
    private final boolean readOnly;
    private final BadSectorList mediaErrors = new BadSectorList();
    private final AtomicBoolean released = new AtomicBoolean();
    final DeviceLifetime lifetime;

    AbstractDevice(long size, boolean readOnly) {
        if (size <= 0 || size % BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("device size " + size + " is not a positive multiple of " + BLOCK_SIZE);
        }
        this.size = size;
        this.readOnly = readOnly;
        this.lifetime = new DeviceLifetime(this::revoke, this::describe);
    }

    // ---- primitives, called inside a section with the range checked ----

    /** Copies device bytes at {@code offset} into all of {@code dst}. */
    abstract void readAt(long offset, MemorySegment dst) throws FsException;

    /** Copies all of {@code src} to the device at {@code offset}. */
    abstract void writeAt(long offset, MemorySegment src) throws FsException;

    /** Writes zeros over {@code [offset, offset+length)}. */
    abstract void zeroAt(long offset, long length) throws FsException;

    /** Makes stores to {@code [offset, offset+length)} durable. Not called on read-only devices. */
    abstract void persistRange(long offset, long length) throws FsException;

    /** Device memory {@code [offset, offset+length)}; only direct-access devices override this. */
    MemorySegment sliceAt(long offset, long length) throws FsException {
        throw FsException.atOffset(Errno.EOPNOTSUPP, offset, "no direct access on " + describe());
    }

    /**
     * Where windows get device pages; devices with a mappable descriptor override this.
     *
     * @throws FsException EOPNOTSUPP if this device has none
     */
    WindowSource windowSource() throws FsException {
        throw FsException.atOffset(Errno.EOPNOTSUPP, -1, "no windows on " + describe() + ": it cannot be mapped");
    }

    /** Runs once after kill has drained every section: make device memory unreachable. */
    void revoke() {}

    /** Runs once on close, after revoke: give back file handles and descriptors. */
    void release() {}

    // ---- Device ----

    @Override
    public final long size() {
        return size;
    }

    @Override
    public final boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public final BadSectorList mediaErrors() {
        return mediaErrors;
    }

    @Override
    public final DeviceSection enter() throws FsException {
        return lifetime.enter(-1);
    }

    @Override
    public final MemorySegment directAccess(long offset, long length) throws FsException {
        if (!isDirectAccess()) {
            throw FsException.atOffset(Errno.EOPNOTSUPP, offset, "no direct access on " + describe());
        }
        lifetime.checkAlive(offset);
        assert lifetime.isEnteredByCurrentThread() : "directAccess outside a device section";
        checkBounds(offset, length);
        long bad = mediaErrors.firstBad(offset, length);
        if (bad >= 0) {
            throw mediaError(bad);
        }
        return sliceAt(offset, length);
    }

    @Override
    public final DeviceWindow openWindow(long size) throws FsException {
        WindowSource source = windowSource();
        source.checkSupported(describe());
        if (size <= 0 || size % BLOCK_SIZE != 0) {
            throw FsException.atOffset(Errno.EINVAL, -1,
                    "window size " + size + " is not a positive multiple of " + BLOCK_SIZE);
        }
        // Inside a section: the descriptor cannot be closed by a concurrent close while it is opened.
        try (DeviceSection _ = lifetime.enter(-1)) {
            source.descriptor(-1);
            return DeviceWindow.reserve(this, source, size);
        }
    }

    @Override
    public final void read(long offset, MemorySegment dst) throws FsException {
        long length = dst.byteSize();
        checkBounds(offset, length);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read into a read-only segment");
        }
        try (DeviceSection _ = lifetime.enter(offset)) {
            long bad = mediaErrors.firstBad(offset, length);
            if (bad >= 0) {
                throw mediaError(bad);
            }
            readAt(offset, dst);
        }
    }

    @Override
    public final void write(long offset, MemorySegment src) throws FsException {
        long length = src.byteSize();
        checkWritable(offset);
        checkBounds(offset, length);
        try (DeviceSection _ = lifetime.enter(offset)) {
            checkNotPartlyBad(offset, length);
            writeAt(offset, src);
            mediaErrors.clear(offset, length);
        }
    }

    @Override
    public final void zero(long offset, long length) throws FsException {
        checkWritable(offset);
        checkBounds(offset, length);
        try (DeviceSection _ = lifetime.enter(offset)) {
            checkNotPartlyBad(offset, length);
            zeroAt(offset, length);
            mediaErrors.clear(offset, length);
        }
    }

    @Override
    public final void persist(long offset, long length) throws FsException {
        checkBounds(offset, length);
        try (DeviceSection _ = lifetime.enter(offset)) {
            if (!readOnly && length > 0) {
                persistRange(offset, length);
            }
        }
    }

    @Override
    public final void onKill(Runnable listener) {
        lifetime.onKill(listener);
    }

    @Override
    public final void removeKillListener(Runnable listener) {
        lifetime.removeKillListener(listener);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if called from inside a section of this device on the same thread
     */
    @Override
    public final void kill() {
        lifetime.kill();
    }

    @Override
    public final boolean isAlive() {
        return lifetime.isAlive();
    }

    /**
     * Kills the device, then releases its resources once. Persists nothing.
     *
     * @throws IllegalStateException if called from inside a section of this device on the same thread
     */
    @Override
    public final void close() {
        try {
            lifetime.kill();
        } finally {
            // Only a drained device may let go of its memory: a section in flight could still touch it.
            if (lifetime.isDrained() && released.compareAndSet(false, true)) {
                release();
            }
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---- checks ----

    final void checkBounds(long offset, long length) throws FsException {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw FsException.atOffset(Errno.EINVAL, offset,
                    "range of " + length + " bytes outside device of " + size + " bytes");
        }
    }

    private void checkWritable(long offset) throws FsException {
        if (readOnly) {
            throw FsException.atOffset(Errno.EROFS, offset, "device opened read-only");
        }
    }

    private void checkNotPartlyBad(long offset, long length) throws FsException {
        long partial = mediaErrors.firstPartlyCovered(offset, length);
        if (partial >= 0) {
            throw FsException.atOffset(Errno.EIO, partial,
                    "media error: write covers a bad " + MediaErrors.SECTOR + "-byte sector only partly");
        }
    }

    static FsException mediaError(long offset) {
        return FsException.atOffset(Errno.EIO, offset, "media error");
    }
}
