package org.daxfs.fs;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * An open file: positional reads and writes straight to and from the device, truncate, the fallocate
 * modes (preallocate, punch hole, zero, collapse and insert range) and fsync. Thread safe: readers
 * share the inode lock, writers take it exclusively, so several threads may use one handle. A file unlinked while open keeps working until its last handle closes.
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
        inode.lock.readLock().lock();
        try {
            fs.checkAlive();
            n = fs.data().read(inode, position, dst);
            touch = n > 0 && atimeStale();
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (RuntimeException e) {
            throw fs.internal(e, path);
        } finally {
            inode.lock.readLock().unlock();
        }
        if (touch && !fs.isReadOnly()) {
            inode.lock.writeLock().lock();
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
        try {
            fs.checkWritable();
            long at = atEnd ? inode.record.size : position;
            return fs.data().write(inode, at, src, fs.now());
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (RuntimeException e) {
            throw fs.internal(e, path);
        } finally {
            inode.lock.writeLock().unlock();
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
        withWriteLock(() -> fs.data().truncate(inode, size, fs.now()));
    }

    /**
     * Preallocates {@code [offset, offset+length)} as fallocate(2) mode 0 (extending the size) or
     * FALLOC_FL_KEEP_SIZE. Preallocated blocks read as zeros.
     */
    public void allocate(long offset, long length, boolean keepSize) throws FsException {
        checkWritable();
        withWriteLock(() -> fs.data().allocate(inode, offset, length, keepSize, fs.now()));
    }

    /**
     * Deallocates {@code [offset, offset+length)} as fallocate(2) FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE:
     * the range reads zeros after and its whole blocks are freed; the size never changes. Nothing happens
     * at or past EOF, and a range past EOF stops at the end of the block holding EOF (as ext4).
     */
    public void punchHole(long offset, long length) throws FsException {
        checkWritable();
        withWriteLock(() -> fs.data().punchHole(inode, offset, length, fs.now()));
    }

    /**
     * Zeros {@code [offset, offset+length)} as FALLOC_FL_ZERO_RANGE (with FALLOC_FL_KEEP_SIZE if
     * {@code keepSize}): the range reads zeros after and is allocated; without keepSize the size grows to
     * the range's end if it was smaller. ENOSPC as {@link #allocate}.
     */
    public void zeroRange(long offset, long length, boolean keepSize) throws FsException {
        checkWritable();
        withWriteLock(() -> fs.data().zeroRange(inode, offset, length, keepSize, fs.now()));
    }

    /**
     * Removes {@code [offset, offset+length)} and moves the rest of the file down, as
     * FALLOC_FL_COLLAPSE_RANGE. EINVAL unless both are multiples of 4096 and the range ends before EOF.
     */
    public void collapseRange(long offset, long length) throws FsException {
        checkWritable();
        withWriteLock(() -> fs.data().collapseRange(inode, offset, length, fs.now()));
    }

    /**
     * Inserts a hole of {@code length} bytes at {@code offset}, moving the rest of the file up, as
     * FALLOC_FL_INSERT_RANGE. EINVAL unless both are multiples of 4096 and offset lies before EOF; EFBIG if
     * the file would grow past the largest file size.
     */
    public void insertRange(long offset, long length) throws FsException {
        checkWritable();
        withWriteLock(() -> fs.data().insertRange(inode, offset, length, fs.now()));
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
