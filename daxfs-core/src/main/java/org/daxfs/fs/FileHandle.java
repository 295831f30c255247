package org.daxfs.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.dax.AddressSpace;
import org.daxfs.dax.Pin;
import org.daxfs.dax.Traced;

/**
 * An open file: positional reads and writes straight to and from the device, truncate, the fallocate
 * modes (preallocate, punch hole, zero, collapse and insert range), fsync, and zero-copy mappings. Thread
 * safe, so several threads may use one handle: readers hold only the file's invalidate lock shared, so
 * they are not serialised behind writers; writers take the inode lock exclusive (and the invalidate lock
 * shared); operations that take blocks away take both exclusive (see {@link #withBlocksRemoved}). A file unlinked while open keeps working until its last handle closes.
 */
public final class FileHandle implements AutoCloseable {
    /** Atime is refreshed when older than this, or than mtime/ctime (Linux's relatime). */
    private static final long RELATIME_NANOS = 24L * 3600 * 1_000_000_000L;

    private final DaxFileSystem fs;
    private final Inode inode;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    private final String path;
    private volatile boolean closed;

    FileHandle(DaxFileSystem fs, Inode inode, Set<OpenFlag> flags, String path) {
        this.fs = fs;
        this.inode = inode;
        this.readable = flags.contains(OpenFlag.READ);
        this.writable = flags.contains(OpenFlag.WRITE);
        this.append = flags.contains(OpenFlag.APPEND);
        this.path = path;
    }

    /** The path this handle was opened by (the file may have been renamed or unlinked since). */
    public String path() {
        return path;
    }

    /** Inode number of the open file. */
    public long inode() {
        return inode.ino;
    }

    /**
     * Reads from {@code position} into {@code dst}'s remaining bytes, advancing its position.
     *
     * @return bytes read, or -1 at end of file
     */
    public int read(ByteBuffer dst, long position) throws FsException {
        int n = (int) read(MemorySegment.ofBuffer(dst), position);
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    /**
     * Reads from {@code position} into all of {@code dst} (or up to EOF).
     *
     * @return bytes read, or -1 at end of file
     */
    public long read(MemorySegment dst, long position) throws FsException {
        checkReadable();
        if (position < 0) {
            throw FsException.atOffset(Errno.EINVAL, position, "negative position");
        }
        long n;
        boolean touch;
        try {
            // Readers hold the invalidate lock, not the inode lock: writers of other ranges do not stop them.
            while (true) {
                ensureExtents();
                inode.invalidateLock.lockShared();
                try {
                    fs.checkAlive();
                    ExtentCache extents = inode.extentCache;
                    if (extents == null) {
                        continue; // dropped by a failed rebuild: build it again under the inode lock
                    }
                    n = fs.data().read(inode, extents, position, dst);
                    touch = n > 0 && atimeStale();
                    break;
                } finally {
                    inode.invalidateLock.unlockShared();
                }
            }
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (RuntimeException e) {
            throw fs.internal(e, path);
        }
        // Relatime is best effort: a writer holding the inode lock changes the times anyway, and a reader
        // must not queue behind it just to record that it read.
        if (touch && !fs.isReadOnly() && inode.lock.writeLock().tryLock()) {
            try {
                inode.record.atime = fs.now();
                inode.dirty = true;
            } finally {
                inode.lock.writeLock().unlock();
            }
        }
        return n;
    }

    private boolean atimeStale() {
        long a = inode.record.atime;
        return a <= inode.record.mtime || a <= inode.record.ctime || fs.now() - a > RELATIME_NANOS;
    }

    /**
     * Writes {@code src}'s remaining bytes at {@code position} (at end of file if opened with APPEND, as
     * Linux's pwrite does), advancing its position.
     *
     * @return bytes written (fewer than asked only when the device filled up)
     */
    public int write(ByteBuffer src, long position) throws FsException {
        int n = (int) write(MemorySegment.ofBuffer(src), position);
        src.position(src.position() + n);
        return n;
    }

    /** Writes all of {@code src} at {@code position} (at end of file if opened with APPEND). */
    public long write(MemorySegment src, long position) throws FsException {
        return doWrite(src, position, append);
    }

    /** Writes {@code src}'s remaining bytes at the end of file, atomically with finding the end. */
    public int append(ByteBuffer src) throws FsException {
        int n = (int) doWrite(MemorySegment.ofBuffer(src), 0, true);
        src.position(src.position() + n);
        return n;
    }

    private long doWrite(MemorySegment src, long position, boolean atEnd) throws FsException {
        checkWritable();
        if (position < 0) {
            // pwrite(2) refuses a negative offset even on an O_APPEND descriptor.
            throw FsException.atOffset(Errno.EINVAL, position, "negative position");
        }
        inode.lock.writeLock().lock();
        inode.invalidateLock.lockShared();
        try {
            fs.checkWritable();
            long at = atEnd ? inode.record.size : position;
            return fs.data().write(inode, at, src, fs.now());
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (RuntimeException e) {
            throw fs.internal(e, path);
        } finally {
            inode.invalidateLock.unlockShared();
            inode.lock.writeLock().unlock();
        }
    }

    /** Builds the extent cache if it is missing. Context: no lock held (takes the inode lock shared). */
    private void ensureExtents() throws FsException {
        if (inode.extentCache == null) {
            inode.lock.readLock().lock();
            try {
                fs.data().cachedExtents(inode);
            } finally {
                inode.lock.readLock().unlock();
            }
        }
    }

    public long size() throws FsException {
        checkOpen();
        inode.lock.readLock().lock();
        try {
            return inode.record.size;
        } finally {
            inode.lock.readLock().unlock();
        }
    }

    /** Sets the size (ftruncate(2)). */
    public void truncate(long size) throws FsException {
        checkOpen();
        if (!writable) {
            throw FsException.of(Errno.EINVAL, path, "not open for writing");
        }
        if (inode.isDirectory()) {
            throw FsException.of(Errno.EISDIR, path);
        }
        withBlocksRemoved(size, Long.MAX_VALUE, "truncate", () -> FileData.checkTruncate(size), () -> fs.data().truncate(inode, size, fs.now()));
    }

    /**
     * Preallocates {@code [offset, offset+length)} as fallocate(2) mode 0 (extending the size) or
     * FALLOC_FL_KEEP_SIZE. Preallocated blocks read as zeros.
     */
    public void allocate(long offset, long length, boolean keepSize) throws FsException {
        checkWritable();
        withWriteLock(() -> {
            inode.invalidateLock.lockShared();
            try {
                fs.data().allocate(inode, offset, length, keepSize, fs.now());
            } finally {
                inode.invalidateLock.unlockShared();
            }
        });
    }

    /**
     * Deallocates {@code [offset, offset+length)} as fallocate(2) FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE:
     * the range reads zeros after and its whole blocks are freed; the size never changes. Nothing happens
     * at or past EOF, and a range past EOF stops at the end of the block holding EOF (as ext4).
     */
    public void punchHole(long offset, long length) throws FsException {
        checkWritable();
        withBlocksRemoved(offset, offset + length, "punch hole", () -> FileData.checkRange(offset, length), () -> fs.data().punchHole(inode, offset, length, fs.now()));
    }

    /**
     * Zeros {@code [offset, offset+length)} as FALLOC_FL_ZERO_RANGE (with FALLOC_FL_KEEP_SIZE if
     * {@code keepSize}): the range reads zeros after and is allocated; without keepSize the size grows to
     * the range's end if it was smaller. ENOSPC as {@link #allocate}.
     */
    public void zeroRange(long offset, long length, boolean keepSize) throws FsException {
        checkWritable();
        withBlocksRemoved(offset, offset + length, "zero range", () -> FileData.checkRange(offset, length), () -> fs.data().zeroRange(inode, offset, length, keepSize, fs.now()));
    }

    /**
     * Removes {@code [offset, offset+length)} and moves the rest of the file down, as
     * FALLOC_FL_COLLAPSE_RANGE. EINVAL unless both are multiples of 4096 and the range ends before EOF.
     */
    public void collapseRange(long offset, long length) throws FsException {
        checkWritable();
        withBlocksRemoved(offset, Long.MAX_VALUE, "collapse range", () -> fs.data().checkCollapse(inode, offset, length), () -> fs.data().collapseRange(inode, offset, length, fs.now()));
    }

    /**
     * Inserts a hole of {@code length} bytes at {@code offset}, moving the rest of the file up, as
     * FALLOC_FL_INSERT_RANGE. EINVAL unless both are multiples of 4096 and offset lies before EOF; EFBIG if
     * the file would grow past the largest file size.
     */
    public void insertRange(long offset, long length) throws FsException {
        checkWritable();
        withBlocksRemoved(offset, Long.MAX_VALUE, "insert range", () -> fs.data().checkInsert(inode, offset, length), () -> fs.data().insertRange(inode, offset, length, fs.now()));
    }

    /** Makes the file's data and attributes durable. */
    public void fsync() throws FsException {
        checkOpen();
        withWriteLock(() -> fs.data().fsync(inode, false));
    }

    /** Makes the file's data, and the attributes needed to read it, durable. */
    public void fdatasync() throws FsException {
        checkOpen();
        withWriteLock(() -> fs.data().fsync(inode, true));
    }

    public Stat stat() throws FsException {
        checkOpen();
        return fs.statOf(inode);
    }

    @Override
    public void close() throws FsException {
        if (closed) {
            return;
        }
        closed = true;
        fs.released(inode);
    }

    private interface Locked {
        void run() throws FsException;
    }

    private void withWriteLock(Locked action) throws FsException {
        inode.lock.writeLock().lock();
        try {
            if (!fs.isReadOnly() || !writable) {
                fs.checkAlive();
            }
            if (inode.freed) {
                return;
            }
            action.run();
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (RuntimeException e) {
            throw fs.internal(e, path);
        } finally {
            inode.lock.writeLock().unlock();
        }
    }

    /**
     * Runs a range operation that takes blocks of {@code [from, to)} away or moves them: inode lock and
     * invalidate lock exclusive across revoke (waiting for pins), change extents and free, so no read,
     * fault or mapping can show those blocks in between (rule 1 of DESIGN.md). {@code check} runs first,
     * so a call Linux would refuse revokes nothing. The extent cache is dropped
     * meanwhile and rebuilt before the invalidate lock is released.
     */
    private void withBlocksRemoved(long from, long to, String what, Locked check, Locked action) throws FsException {
        withWriteLock(() -> {
            check.run(); // bad arguments revoke nothing
            inode.invalidateLock.lockExclusive();
            try {
                Traced.run(new RangeOperationEvent(), () -> {
                    AddressSpace space = inode.space;
                    if (space != null && from >= 0 && from < to) {
                        space.invalidate(from, to, fs.pinTimeoutNanos(), what);
                    }
                    inode.extentCache = null;
                    try {
                        action.run();
                    } finally {
                        fs.data().refreshExtents(inode);
                    }
                }, (ev, outcome) -> {
                    ev.inode = inode.ino;
                    ev.operation = what;
                    ev.offset = from;
                    ev.end = to;
                    ev.outcome = outcome;
                });
            } finally {
                inode.invalidateLock.unlockExclusive();
            }
        });
    }

    // ---- mappings ---------------------------------------------------------------------------------------

    /**
     * Maps {@code [offset, offset+length)} of the file as one contiguous, zero-copy segment of device
     * memory, valid until {@code arena} closes or the range is revoked (a punch, truncate, collapse, insert
     * or zero range over it, device removal, unmount, or the file being freed); after that any access
     * throws IllegalStateException. The mapping stays valid after this handle closes.
     *
     * <p>{@link MapMode#READ_ONLY} shows holes as zeros and allocates nothing (writes through the handle
     * into them show up in the mapping); {@link MapMode#READ_WRITE} allocates and zeroes every page first;
     * {@link MapMode#READ_WRITE_SYNC} also commits the metadata that maps them before granting write
     * access, so a store followed by {@link #msync} of its range is durable with no fsync.
     *
     * @throws FsException EACCES if the handle's access does not allow the mode; ENXIO for a range past
     *     EOF; EINVAL for a bad range; EOPNOTSUPP on a device without direct access; ENOSPC
     */
    public MemorySegment map(MapMode mode, long offset, long length, Arena arena) throws FsException {
        boolean writable = mode != MapMode.READ_ONLY;
        return withSpace(writable, space -> space.map(offset, length, writable, mode == MapMode.READ_WRITE_SYNC, arena));
    }

    /**
     * Maps and pins {@code [offset, offset+length)} for long-lived direct use: truncate, punch, collapse,
     * insert and zero range over it wait until the pin is closed, and fail with EBUSY if it outlives the
     * file system's pin timeout. Device removal, unmount and freeing the file still revoke it.
     */
    public Pin pin(long offset, long length, boolean writable) throws FsException {
        return withSpace(writable, space -> space.pin(offset, length, writable));
    }

    /** A call on the file's address space. */
    private interface SpaceCall<T> {
        T apply(AddressSpace space) throws FsException;
    }

    /**
     * Runs a map or pin call: a writable one under the inode lock exclusive (it allocates), a read-only
     * one under no lock once the extent cache is built (it takes the invalidate lock itself).
     */
    private <T> T withSpace(boolean writable, SpaceCall<T> call) throws FsException {
        checkMappable(writable);
        try {
            if (writable) {
                inode.lock.writeLock().lock();
                try {
                    fs.checkWritable();
                    fs.data().cachedExtents(inode);
                    return call.apply(fs.spaceOf(inode));
                } finally {
                    inode.lock.writeLock().unlock();
                }
            }
            return call.apply(preparedSpace());
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (IllegalArgumentException e) {
            throw e; // the caller's arena cannot hold the mapping
        } catch (RuntimeException e) {
            throw fs.internal(e, path);
        }
    }

    /**
     * Makes stores through mappings of {@code [offset, offset+length)} durable (msync(2) with MS_SYNC):
     * the device ranges of the pages mapped writable there are flushed.
     */
    public void msync(long offset, long length) throws FsException {
        checkOpen();
        if (offset < 0 || length < 0) {
            throw FsException.atOffset(Errno.EINVAL, offset, "bad msync range (length " + length + ")");
        }
        AddressSpace space = inode.space;
        if (space == null || length == 0) {
            return;
        }
        try {
            space.flush(offset / org.daxfs.format.Block.SIZE, Math.ceilDiv(offset + length, org.daxfs.format.Block.SIZE));
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (RuntimeException e) {
            throw fs.internal(e, path);
        }
    }

    /** The address space with the extent cache built, for read-only maps and pins (no lock held after). */
    private AddressSpace preparedSpace() throws FsException {
        inode.lock.readLock().lock();
        try {
            fs.checkAlive();
            fs.data().cachedExtents(inode);
            return fs.spaceOf(inode);
        } finally {
            inode.lock.readLock().unlock();
        }
    }

    /** mmap(2)'s checks: a regular file, open for reading, and for writing if the mapping is writable. */
    private void checkMappable(boolean writable) throws FsException {
        checkOpen();
        if (inode.isDirectory()) {
            throw FsException.of(Errno.ENODEV, path, "directories cannot be mapped");
        }
        if (!readable || (writable && !this.writable)) {
            throw FsException.of(Errno.EACCES, path, writable ? "mapping writable needs the file open for reading and writing"
                    : "mapping needs the file open for reading");
        }
    }

    private void checkOpen() throws FsException {
        if (closed) {
            throw FsException.of(Errno.EBADF, path, "handle is closed");
        }
    }

    private void checkReadable() throws FsException {
        checkOpen();
        if (!readable) {
            throw FsException.of(Errno.EBADF, path, "not open for reading");
        }
        if (inode.isDirectory()) {
            throw FsException.of(Errno.EISDIR, path);
        }
    }

    private void checkWritable() throws FsException {
        checkOpen();
        if (!writable) {
            throw FsException.of(Errno.EBADF, path, "not open for writing");
        }
        if (inode.isDirectory()) {
            throw FsException.of(Errno.EISDIR, path);
        }
    }
}
