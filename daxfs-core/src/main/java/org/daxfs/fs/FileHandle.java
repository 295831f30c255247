package org.daxfs.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.cache.FilePages;
import org.daxfs.cache.Readahead;
import org.daxfs.dax.AddressSpace;
import org.daxfs.dax.Pin;
import org.daxfs.dax.Traced;
import org.daxfs.format.Block;

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
    /** O_DIRECT: offsets and lengths of direct I/O on a cached file are multiples of this. */
    public static final int DIRECT_ALIGNMENT = 512;

    private final String path;
    private final boolean direct;
    /** This open file's readahead state (cached files only). */
    private final Readahead readahead = new Readahead();
    private volatile boolean closed;

    FileHandle(DaxFileSystem fs, Inode inode, Set<OpenFlag> flags, String path) {
        this.fs = fs;
        this.inode = inode;
        this.readable = flags.contains(OpenFlag.READ);
        this.writable = flags.contains(OpenFlag.WRITE);
        this.append = flags.contains(OpenFlag.APPEND);
        this.direct = flags.contains(OpenFlag.DIRECT);
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
        return read(dst, position, false);
    }

    /**
     * Reads from {@code position} into all of {@code dst} (or up to EOF). With {@code noWait} (preadv2's
     * RWF_NOWAIT) the read never waits: not for the invalidate lock (a range operation or mode switch in
     * progress), a page being filled, or the device; it returns what it could read at once, or fails with
     * EAGAIN if that is nothing. A DAX file needs no device I/O to wait for.
     *
     * @return bytes read, or -1 at end of file
     * @throws FsException EAGAIN (noWait only); EINVAL for a misaligned direct read of a cached file
     */
    public long read(MemorySegment dst, long position, boolean noWait) throws FsException {
        checkReadable();
        if (position < 0) {
            throw FsException.atOffset(Errno.EINVAL, position, "negative position");
        }
        long n;
        boolean touch;
        try {
            // Readers hold the invalidate lock, not the inode lock: writers of other ranges do not stop them.
            while (true) {
                if (noWait) {
                    if (inode.extentCache == null || !inode.invalidateLock.tryLockShared()) {
                        throw FsException.atOffset(Errno.EAGAIN, position, "file busy (non-blocking read)");
                    }
                } else {
                    ensureExtents();
                    inode.invalidateLock.lockShared();
                }
                boolean writeBackFirst = false;
                try {
                    fs.checkAlive();
                    ExtentCache extents = inode.extentCache;
                    if (extents == null) {
                        continue; // dropped by a failed rebuild: build it again under the inode lock
                    }
                    if (fs.isDax(inode)) {
                        n = fs.data().read(inode, extents, position, dst);
                    } else if (direct) {
                        checkDirect(position, dst.byteSize());
                        FilePages pages = fs.pagesOf(inode);
                        long end = Math.ceilDiv(position + dst.byteSize(), Block.SIZE);
                        if (pages.hasDirty(position / Block.SIZE, end)) {
                            writeBackFirst = true; // the blocks are older than the cache there
                            n = 0;
                        } else {
                            n = fs.data().read(inode, extents, position, dst);
                        }
                    } else {
                        n = fs.pagesOf(inode).read(position, dst, readahead, noWait);
                    }
                    touch = n > 0 && atimeStale();
                } finally {
                    inode.invalidateLock.unlockShared();
                }
                if (!writeBackFirst) {
                    break;
                }
                if (noWait) {
                    throw FsException.atOffset(Errno.EAGAIN, position, "dirty pages to write back (non-blocking read)");
                }
                writeBackRange(position, dst.byteSize());
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

    /** O_DIRECT's alignment rule for files that are not DAX (ext4 and XFS: EINVAL). */
    private static void checkDirect(long position, long length) throws FsException {
        if (position % DIRECT_ALIGNMENT != 0 || length % DIRECT_ALIGNMENT != 0) {
            throw FsException.atOffset(Errno.EINVAL, position, "direct I/O needs offset and length in multiples of "
                    + DIRECT_ALIGNMENT + " (length " + length + ")");
        }
    }

    /** Writes back the cached pages of {@code [position, +length)}, if the file is (still) cached. */
    private void writeBackRange(long position, long length) throws FsException {
        withWriteLock(() -> {
            inode.invalidateLock.lockShared();
            try {
                FilePages pages = inode.pages;
                if (pages != null && !fs.isDax(inode)) {
                    fs.data().cachedExtents(inode);
                    pages.writeBack(position / Block.SIZE, Math.ceilDiv(position + length, Block.SIZE));
                }
            } finally {
                inode.invalidateLock.unlockShared();
            }
        });
    }

    /**
     * Reads {@code [offset, offset+length)} into the page cache ahead of use (readahead(2),
     * POSIX_FADV_WILLNEED), up to EOF; nothing to do for a DAX file.
     */
    public void readahead(long offset, long length) throws FsException {
        checkReadable();
        try {
            ensureExtents();
            inode.invalidateLock.lockShared();
            try {
                fs.checkAlive();
                if (!fs.isDax(inode) && inode.extentCache != null) {
                    fs.pagesOf(inode).readahead(offset, length);
                }
            } finally {
                inode.invalidateLock.unlockShared();
            }
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (RuntimeException e) {
            throw fs.internal(e, path);
        }
    }

    /** How this handle will read (posix_fadvise): RANDOM turns readahead off, SEQUENTIAL reads far ahead. */
    public void advise(Readahead.Advice advice) throws FsException {
        checkOpen();
        readahead.advise(advice);
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
            if (fs.isDax(inode)) {
                return fs.data().write(inode, at, src, fs.now());
            }
            FilePages pages = fs.pagesOf(inode);
            if (direct) {
                checkDirect(at, src.byteSize());
                fs.data().cachedExtents(inode);
                long end = Math.ceilDiv(at + src.byteSize(), Block.SIZE);
                // Pages that cannot go (mapped, or in use) keep the write in the cache, as ext4 falls back.
                if (pages.evictForDirect(at / Block.SIZE, end)) {
                    long n = fs.data().write(inode, at, src, fs.now());
                    pages.evictForDirect(at / Block.SIZE, end); // a reader may have cached the old bytes meanwhile
                    return n;
                }
            }
            return fs.data().writeCached(inode, pages, at, src, fs.now());
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
        withBlocksRemoved(size, Long.MAX_VALUE, true, "truncate", () -> FileData.checkTruncate(size), () -> fs.data().truncate(inode, size, fs.now()));
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
        withBlocksRemoved(offset, offset + length, true, "punch hole", () -> FileData.checkRange(offset, length), () -> fs.data().punchHole(inode, offset, length, fs.now()));
    }

    /**
     * Zeros {@code [offset, offset+length)} as FALLOC_FL_ZERO_RANGE (with FALLOC_FL_KEEP_SIZE if
     * {@code keepSize}): the range reads zeros after and is allocated; without keepSize the size grows to
     * the range's end if it was smaller. ENOSPC as {@link #allocate}.
     */
    public void zeroRange(long offset, long length, boolean keepSize) throws FsException {
        checkWritable();
        withBlocksRemoved(offset, offset + length, true, "zero range", () -> FileData.checkRange(offset, length), () -> fs.data().zeroRange(inode, offset, length, keepSize, fs.now()));
    }

    /**
     * Removes {@code [offset, offset+length)} and moves the rest of the file down, as
     * FALLOC_FL_COLLAPSE_RANGE. EINVAL unless both are multiples of 4096 and the range ends before EOF.
     */
    public void collapseRange(long offset, long length) throws FsException {
        checkWritable();
        withBlocksRemoved(offset, Long.MAX_VALUE, false, "collapse range", () -> fs.data().checkCollapse(inode, offset, length), () -> fs.data().collapseRange(inode, offset, length, fs.now()));
    }

    /**
     * Inserts a hole of {@code length} bytes at {@code offset}, moving the rest of the file up, as
     * FALLOC_FL_INSERT_RANGE. EINVAL unless both are multiples of 4096 and offset lies before EOF; EFBIG if
     * the file would grow past the largest file size.
     */
    public void insertRange(long offset, long length) throws FsException {
        checkWritable();
        withBlocksRemoved(offset, Long.MAX_VALUE, false, "insert range", () -> fs.data().checkInsert(inode, offset, length), () -> fs.data().insertRange(inode, offset, length, fs.now()));
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
     * so a call Linux would refuse revokes nothing. Cached pages of the range are dropped after revocation:
     * with {@code discardInside} (the range reads zeros after) those wholly inside it unwritten, the rest
     * written back first (their data moves or survives). The extent cache is dropped meanwhile and rebuilt
     * before the invalidate lock is released.
     */
    private void withBlocksRemoved(long from, long to, boolean discardInside, String what, Locked check, Locked action)
            throws FsException {
        withWriteLock(() -> {
            check.run(); // bad arguments revoke nothing
            inode.invalidateLock.lockExclusive();
            try {
                Traced.run(new RangeOperationEvent(), () -> {
                    AddressSpace space = inode.space;
                    if (space != null && from >= 0 && from < to) {
                        space.invalidate(from, to, fs.pinTimeoutNanos(), what);
                    }
                    FilePages pages = inode.pages;
                    if (pages != null && from >= 0 && from < to) {
                        fs.data().cachedExtents(inode);
                        pages.remove(from, to, discardInside);
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
     * throws IllegalStateException. The mapping stays valid after this handle closes. (A thread that was
     * inside an access when the mapping was revoked may find its interrupt flag set afterwards, by the
     * JDK's handshake that closes the mapping's shared arena: interruptible waits, such as a range
     * operation waiting for pins, then fail with EINTR unless the flag is cleared with
     * {@link Thread#interrupted()}.)
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
        boolean sync = mode == MapMode.READ_WRITE_SYNC;
        return withSpace(writable, sync, space -> space.map(offset, length, writable, sync, arena));
    }

    /**
     * Maps and pins {@code [offset, offset+length)} for long-lived direct use: truncate, punch, collapse,
     * insert and zero range over it wait until the pin is closed, and fail with EBUSY if it outlives the
     * file system's pin timeout. Device removal, unmount and freeing the file still revoke it.
     */
    public Pin pin(long offset, long length, boolean writable) throws FsException {
        return withSpace(writable, false, space -> space.pin(offset, length, writable));
    }

    /** A call on the file's address space. */
    private interface SpaceCall<T> {
        T apply(AddressSpace space) throws FsException;
    }

    /**
     * Runs a map or pin call in the address space of the file's current mode: a writable one under the
     * inode lock exclusive (it allocates), a read-only one under no lock once the extent cache is built (it
     * takes the invalidate lock itself; if the file switches mode meanwhile, the call finds the space
     * retired and runs again in the new one).
     */
    private <T> T withSpace(boolean writable, boolean sync, SpaceCall<T> call) throws FsException {
        checkMappable(writable);
        while (true) {
            AddressSpace space = null;
            try {
                if (writable) {
                    inode.lock.writeLock().lock();
                    try {
                        fs.checkWritable();
                        space = preparedSpaceLocked(sync);
                        return call.apply(space);
                    } finally {
                        inode.lock.writeLock().unlock();
                    }
                }
                inode.lock.readLock().lock();
                try {
                    fs.checkAlive();
                    space = preparedSpaceLocked(sync);
                } finally {
                    inode.lock.readLock().unlock();
                }
                return call.apply(space);
            } catch (FsException e) {
                if (space != null && space.isRetired()) {
                    continue;
                }
                throw e.withPath(path);
            } catch (IllegalArgumentException e) {
                throw e; // the caller's arena cannot hold the mapping
            } catch (RuntimeException e) {
                throw fs.internal(e, path);
            }
        }
    }

    /**
     * The address space of the file's current mode, with the extent cache built. Context: inode lock held.
     *
     * @throws FsException EOPNOTSUPP for a sync mapping of a file that is not DAX (as Linux's MAP_SYNC)
     */
    private AddressSpace preparedSpaceLocked(boolean sync) throws FsException {
        fs.data().cachedExtents(inode);
        if (sync && !fs.isDax(inode)) {
            throw FsException.of(Errno.EOPNOTSUPP, path, "sync mappings (MAP_SYNC) need a DAX file; this one is cached");
        }
        return fs.spaceOf(inode);
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
        if (length == 0) {
            return;
        }
        if (inode.pages != null) {
            writeBackRange(offset, length);
        }
        AddressSpace space = inode.space;
        if (space == null) {
            return;
        }
        try {
            space.flush(offset / Block.SIZE, Math.ceilDiv(offset + length, Block.SIZE));
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (RuntimeException e) {
            throw fs.internal(e, path);
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
