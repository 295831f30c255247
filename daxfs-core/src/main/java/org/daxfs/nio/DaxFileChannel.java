package org.daxfs.nio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.format.Extent;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.Stat;

/**
 * A {@link FileChannel} over an engine {@link FileHandle}: what {@code Files.newByteChannel},
 * {@code FileChannel.open} and the streams of {@code Files} return for a DaxFS path.
 *
 * <p>Reads and writes go straight between the caller's buffer and the device. Beyond
 * {@code FileChannel}, {@link #map(FileChannel.MapMode, long, long, Arena)} returns the engine's zero-copy
 * mapping (revoked, not crashing, when its blocks go away), and the range operations of fallocate(2)
 * ({@link #punchHole}, {@link #zeroRange}, {@link #collapseRange}, {@link #insertRange}, {@link #allocate})
 * and the DAX flag are here; {@link org.daxfs.DaxFiles} offers them for any channel or path.
 * {@code map} to a {@link MappedByteBuffer} is not supported: a buffer cannot be revoked.
 *
 * <p>File locks are advisory and held in this JVM's table for the image ({@link LockTable}): an image is
 * open in one process only, so a lock is granted at once or an overlap throws
 * {@link java.nio.channels.OverlappingFileLockException}.
 *
 * <p>Locks: the position lock, across one relative read or write (the engine takes its own locks inside
 * each call); no engine lock is held across calls.
 */
public final class DaxFileChannel extends FileChannel {
    /** Bytes moved per step of transferTo and transferFrom. */
    private static final int TRANSFER_CHUNK = 256 * 1024;

    private final DaxNioFileSystem fs;
    private final DaxPath path;
    private final FileHandle handle;
    private final boolean readable;
    private final boolean writable;
    private final boolean append;
    private final boolean sync;
    private final boolean dsync;
    private final boolean deleteOnClose;
    private final ReentrantLock positionLock = new ReentrantLock();
    private long position;

    DaxFileChannel(DaxNioFileSystem fs, DaxPath path, FileHandle handle, boolean readable, boolean writable,
            boolean append, boolean sync, boolean dsync, boolean deleteOnClose) {
        this.fs = fs;
        this.path = path;
        this.handle = handle;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
        this.sync = sync;
        this.dsync = dsync;
        this.deleteOnClose = deleteOnClose;
    }

    /** The path the channel was opened by (the file may have been renamed or removed since). */
    public java.nio.file.Path path() {
        return path;
    }

    /** The inode number of the open file. */
    public long inode() {
        return handle.inode();
    }

    // ---- reads and writes ------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        checkReadable();
        checkDestination(dst);
        positionLock.lock();
        try {
            ensureOpen();
            int n = read0(dst, position);
            if (n > 0) {
                position += n;
            }
            return n;
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        checkReadable();
        for (int i = offset; i < offset + length; i++) {
            checkDestination(dsts[i]);
        }
        positionLock.lock();
        try {
            ensureOpen();
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                ByteBuffer b = dsts[i];
                if (!b.hasRemaining()) {
                    continue;
                }
                int want = b.remaining();
                int n = read0(b, position);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                position += n;
                total += n;
                if (n < want) {
                    break;
                }
            }
            return total;
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        checkReadable();
        checkDestination(dst);
        ensureOpen();
        return read0(dst, position);
    }

    private int read0(ByteBuffer dst, long at) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        try {
            return handle.read(dst, at);
        } catch (FsException e) {
            throw translate(e);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        checkWritable();
        positionLock.lock();
        try {
            ensureOpen();
            int n = write0(src, position);
            position = append ? size0() : position + n;
            return n;
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        checkWritable();
        positionLock.lock();
        try {
            ensureOpen();
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                ByteBuffer b = srcs[i];
                int want = b.remaining();
                if (want == 0) {
                    continue;
                }
                int n = write0(b, position);
                position = append ? size0() : position + n;
                total += n;
                if (n < want) {
                    break;
                }
            }
            return total;
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        checkWritable();
        ensureOpen();
        return write0(src, position);
    }

    /** Writes at {@code at} (at end of file in append mode), then syncs if the channel was opened SYNC or DSYNC. */
    private int write0(ByteBuffer src, long at) throws IOException {
        if (!src.hasRemaining()) {
            return 0;
        }
        try {
            int n = append ? handle.append(src) : handle.write(src, at);
            if (sync) {
                handle.fsync();
            } else if (dsync) {
                handle.fdatasync();
            }
            return n;
        } catch (FsException e) {
            throw translate(e);
        }
    }

    // ---- position, size, truncate, force ---------------------------------------------------------------

    @Override
    public long position() throws IOException {
        ensureOpen();
        positionLock.lock();
        try {
            return append ? size0() : position;
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public DaxFileChannel position(long newPosition) throws IOException {
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        ensureOpen();
        positionLock.lock();
        try {
            position = newPosition;
            return this;
        } finally {
            positionLock.unlock();
        }
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size0();
    }

    private long size0() throws IOException {
        try {
            return handle.size();
        } catch (FsException e) {
            throw translate(e);
        }
    }

    @Override
    public DaxFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        checkWritable();
        ensureOpen();
        positionLock.lock();
        try {
            if (size < size0()) {
                try {
                    handle.truncate(size);
                } catch (FsException e) {
                    throw translate(e);
                }
            }
            if (position > size) {
                position = size;
            }
            return this;
        } finally {
            positionLock.unlock();
        }
    }

    /** fsync(2) with {@code metaData}, else fdatasync(2). */
    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        try {
            if (metaData) {
                handle.fsync();
            } else {
                handle.fdatasync();
            }
        } catch (FsException e) {
            throw translate(e);
        }
    }

    // ---- transfers -------------------------------------------------------------------------------------

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        Objects.requireNonNull(target);
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count: " + position + ", " + count);
        }
        checkReadable();
        ensureOpen();
        if (!target.isOpen()) {
            throw new ClosedChannelException();
        }
        long size = size0();
        if (position >= size) {
            return 0;
        }
        long left = Math.min(count, size - position);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(left, TRANSFER_CHUNK));
        long done = 0;
        while (left > 0) {
            buf.clear().limit((int) Math.min(left, buf.capacity()));
            int n = read0(buf, position + done);
            if (n <= 0) {
                break;
            }
            buf.flip();
            int w = 0;
            while (buf.hasRemaining()) {
                int k = target.write(buf);
                if (k <= 0) {
                    break; // a non-blocking target that is full
                }
                w += k;
            }
            done += w;
            left -= w;
            if (w < n) {
                break;
            }
        }
        return done;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        Objects.requireNonNull(src);
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("negative position or count: " + position + ", " + count);
        }
        checkWritable();
        ensureOpen();
        if (!src.isOpen()) {
            throw new ClosedChannelException();
        }
        if (position > size0()) {
            return 0;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.max(1, Math.min(count, TRANSFER_CHUNK)));
        long done = 0;
        while (done < count) {
            buf.clear().limit((int) Math.min(count - done, buf.capacity()));
            int n = src.read(buf);
            if (n <= 0) {
                break;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                int w = write0(buf, position + done + (n - buf.remaining()));
                if (w == 0) {
                    throw new FileSystemException(path.toString(), null, Errors.reason(Errno.ENOSPC, null));
                }
            }
            done += n;
        }
        return done;
    }

    // ---- mappings ----------------------------------------------------------------------------------------

    /**
     * Not supported: a {@link MappedByteBuffer} cannot be revoked when the blocks under it go away. Use
     * {@link #map(FileChannel.MapMode, long, long, Arena)}, which returns a revocable, zero-copy segment.
     */
    @Override
    public MappedByteBuffer map(FileChannel.MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("DaxFS maps files as MemorySegments only: use "
                + "FileChannel.map(MapMode, long, long, Arena), whose segment is revoked (not crashing) when the "
                + "blocks under it go away");
    }

    /**
     * Maps {@code [offset, offset+size)} as one zero-copy segment of device memory, valid until
     * {@code arena} closes or the range is revoked (a punch, truncate, collapse, insert or zero range over
     * it, the file freed, unmount); after that every access throws {@link IllegalStateException}.
     *
     * <ul>
     *   <li>{@link FileChannel.MapMode#READ_ONLY} (and {@code ExtendedMapMode.READ_ONLY_SYNC}): holes read as
     *       zeros, nothing is allocated; the range must lie within the file (else IOException);
     *   <li>{@link FileChannel.MapMode#READ_WRITE}: extends the file to the range's end first if it is
     *       shorter, then allocates and zeroes every page;
     *   <li>{@code jdk.nio.mapmode.ExtendedMapMode.READ_WRITE_SYNC}: as READ_WRITE, and the metadata that
     *       maps the pages is durable before write access is granted (MAP_SYNC), so a store plus
     *       {@link #msync} of its range survives a crash with no fsync;
     *   <li>{@link FileChannel.MapMode#PRIVATE}: UnsupportedOperationException.
     * </ul>
     */
    @Override
    public MemorySegment map(FileChannel.MapMode mode, long offset, long size, Arena arena) throws IOException {
        Objects.requireNonNull(mode);
        Objects.requireNonNull(arena);
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        if (offset + size < 0) {
            throw new IllegalArgumentException("offset + size overflows: " + offset + " + " + size);
        }
        org.daxfs.fs.MapMode m = engineMode(mode);
        ensureOpen();
        if (!readable) {
            throw new NonReadableChannelException();
        }
        if (m != org.daxfs.fs.MapMode.READ_ONLY && !writable) {
            throw new NonWritableChannelException();
        }
        long fileSize = size0();
        if (offset + size > fileSize) {
            if (m == org.daxfs.fs.MapMode.READ_ONLY) {
                throw new IOException("cannot map [" + offset + ", " + (offset + size) + ") of " + path
                        + " read-only: the file is " + fileSize + " bytes long and a read-only channel mapping does "
                        + "not extend it");
            }
            try {
                // Extend only: truncate never shrinks here, and a racing writer's data past us stays.
                if (handle.size() < offset + size) {
                    handle.truncate(offset + size);
                }
            } catch (FsException e) {
                throw translate(e);
            }
        }
        if (size == 0) {
            return arena.allocate(0);
        }
        try {
            return handle.map(m, offset, size, arena);
        } catch (FsException e) {
            throw translate(e);
        }
    }

    /**
     * Makes stores through this file's mappings of {@code [offset, offset+length)} durable (msync(2) with
     * MS_SYNC). {@link #force} does so for the whole file, and for the file's metadata as well. The
     * segments are not {@code MemorySegment.isMapped()} file mappings of the JDK, so their own
     * {@code force()} is not available.
     */
    public void msync(long offset, long length) throws IOException {
        ensureOpen();
        try {
            handle.msync(offset, length);
        } catch (FsException e) {
            throw translate(e);
        }
    }

    /**
     * The engine's mode for a JDK mode, compared by identity (FileChannel.MapMode and the ExtendedMapMode
     * constants are singletons) and, for modes of other origins, by name.
     */
    static org.daxfs.fs.MapMode engineMode(FileChannel.MapMode mode) {
        if (mode == FileChannel.MapMode.READ_ONLY) {
            return org.daxfs.fs.MapMode.READ_ONLY;
        }
        if (mode == FileChannel.MapMode.READ_WRITE) {
            return org.daxfs.fs.MapMode.READ_WRITE;
        }
        if (mode == FileChannel.MapMode.PRIVATE) {
            throw new UnsupportedOperationException("MapMode.PRIVATE (copy-on-write) mappings are not supported by DaxFS");
        }
        if (mode == jdk.nio.mapmode.ExtendedMapMode.READ_WRITE_SYNC) {
            return org.daxfs.fs.MapMode.READ_WRITE_SYNC;
        }
        if (mode == jdk.nio.mapmode.ExtendedMapMode.READ_ONLY_SYNC) {
            return org.daxfs.fs.MapMode.READ_ONLY;
        }
        return switch (mode.toString()) {
            case "READ_WRITE_SYNC" -> org.daxfs.fs.MapMode.READ_WRITE_SYNC;
            case "READ_ONLY_SYNC" -> org.daxfs.fs.MapMode.READ_ONLY;
            default -> throw new UnsupportedOperationException("map mode " + mode + " is not supported");
        };
    }

    // ---- locks -------------------------------------------------------------------------------------------

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return tryLock(position, size, shared);
    }

    /**
     * Grants the lock at once: the image is open in this process only, so no other process can hold one.
     *
     * @throws java.nio.channels.OverlappingFileLockException if a lock held through any channel of this
     *     file system overlaps the range
     */
    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        if (position < 0 || size < 0 || position + size < 0) {
            throw new IllegalArgumentException("bad lock range: position " + position + ", size " + size);
        }
        ensureOpen();
        if (shared && !readable) {
            throw new NonReadableChannelException();
        }
        if (!shared && !writable) {
            throw new NonWritableChannelException();
        }
        return fs.locks().acquire(this, handle.inode(), position, size, shared);
    }

    // ---- what fallocate(2) and the DAX flag offer --------------------------------------------------------

    /** Deallocates {@code [offset, offset+length)} (FALLOC_FL_PUNCH_HOLE): it reads zeros after; the size stays. */
    public void punchHole(long offset, long length) throws IOException {
        range(() -> handle.punchHole(offset, length));
    }

    /** Zeroes {@code [offset, offset+length)} and allocates it (FALLOC_FL_ZERO_RANGE, with KEEP_SIZE if asked). */
    public void zeroRange(long offset, long length, boolean keepSize) throws IOException {
        range(() -> handle.zeroRange(offset, length, keepSize));
    }

    /** Removes {@code [offset, offset+length)}, moving the rest down (FALLOC_FL_COLLAPSE_RANGE; 4 KiB aligned). */
    public void collapseRange(long offset, long length) throws IOException {
        range(() -> handle.collapseRange(offset, length));
    }

    /** Inserts a hole of {@code length} bytes at {@code offset}, moving the rest up (FALLOC_FL_INSERT_RANGE). */
    public void insertRange(long offset, long length) throws IOException {
        range(() -> handle.insertRange(offset, length));
    }

    /** Preallocates {@code [offset, offset+length)} (fallocate(2) mode 0, or FALLOC_FL_KEEP_SIZE). */
    public void allocate(long offset, long length, boolean keepSize) throws IOException {
        range(() -> handle.allocate(offset, length, keepSize));
    }

    /** True if the file's DAX flag is set. */
    public boolean isDax() throws IOException {
        ensureOpen();
        try {
            return handle.stat().isDax();
        } catch (FsException e) {
            throw translate(e);
        }
    }

    /**
     * Sets or clears the file's DAX flag. The engine sets flags by name: the channel's path must still
     * name its file (else FileSystemException).
     */
    public void setDax(boolean dax) throws IOException {
        ensureOpen();
        checkSameFile();
        Attributes.setDax(fs, path, true, dax);
    }

    /** The file's extents. The engine lists them by name: the channel's path must still name its file. */
    public List<Extent> extents() throws IOException {
        ensureOpen();
        checkSameFile();
        String s = path.enginePath();
        return List.copyOf(fs.call(path, null, e -> e.extents(s)));
    }

    private void checkSameFile() throws IOException {
        Stat st = fs.statIfExists(path, true);
        if (st == null || st.ino() != handle.inode()) {
            throw new FileSystemException(path.toString(), null, Errors.reason(Errno.ENOENT,
                    "the path no longer names the file this channel has open (renamed or removed)"));
        }
    }

    private interface RangeCall {
        void run() throws FsException;
    }

    private void range(RangeCall call) throws IOException {
        checkWritable();
        ensureOpen();
        try {
            call.run();
        } catch (FsException e) {
            throw translate(e);
        }
    }

    // ---- closing -----------------------------------------------------------------------------------------

    @Override
    protected void implCloseChannel() throws IOException {
        fs.locks().releaseAll(this, handle.inode());
        fs.unregister(this);
        try {
            handle.close();
        } catch (FsException e) {
            throw translate(e);
        } finally {
            if (deleteOnClose) {
                fs.deleteOnClose(path);
            }
        }
    }

    // ---- checks ------------------------------------------------------------------------------------------

    private void ensureOpen() throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private void checkReadable() {
        if (!readable) {
            throw new NonReadableChannelException();
        }
    }

    private void checkWritable() {
        if (!writable) {
            throw new NonWritableChannelException();
        }
    }

    private static void checkDestination(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only buffer");
        }
    }

    private IOException translate(FsException e) {
        if (!isOpen()) {
            ClosedChannelException c = new ClosedChannelException();
            c.initCause(e);
            return c;
        }
        return Errors.translate(e, path, null);
    }

    @Override
    public String toString() {
        return "DaxFileChannel[" + path + "]";
    }
}
