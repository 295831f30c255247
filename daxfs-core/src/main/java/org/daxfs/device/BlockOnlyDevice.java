package org.daxfs.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * A device without direct access: positional reads and writes on a {@link FileChannel} (pread/pwrite),
 * persist is fdatasync. It is how DaxFS runs on storage that cannot be mapped, and how tests exercise the
 * non-DAX (page cache) paths of the layers above.
 *
 * <p>Interrupts: a FileChannel closes itself when a thread blocked in it is interrupted, which would end
 * the device for everybody. This class reopens the file instead: the interrupted operation fails with EIO
 * (its interrupt status stays set), and other threads whose operation was cut short by that close retry on
 * the reopened channel.
 *
 * <p>Locks and context: as {@link AbstractDevice}. Transfers take no lock; reopening after an interrupt
 * holds {@code reopenLock} only around the open. Callers should not hold locks across a long
 * {@link #persist} they cannot afford to wait for (it is a system call that waits for the disk).
 */
public final class BlockOnlyDevice extends AbstractDevice {
    /** Largest single transfer; bigger requests are split (and copied through a bounce buffer if needed). */
    private static final int CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final String description;
    private final Path path;
    private final Set<? extends OpenOption> openOptions;
    private final Object reopenLock = new Object();
    private volatile FileChannel channel;

    /**
     * @param channel     open on {@code path} with {@code openOptions}; owned by this device from now on
     * @param size        device size, a multiple of {@link #BLOCK_SIZE}, not beyond the end of the file
     */
    BlockOnlyDevice(String description, Path path, Set<? extends OpenOption> openOptions, FileChannel channel,
            long size, boolean readOnly) {
        super(size, readOnly);
        this.description = description;
        this.path = path;
        this.openOptions = Set.copyOf(openOptions);
        this.channel = channel;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public boolean isDirectAccess() {
        return false;
    }

    @Override
    public boolean isSynchronous() {
        return false;
    }

    @Override
    public Optional<Path> backingFile() {
        return Optional.of(path);
    }

    @Override
    void readAt(long offset, MemorySegment dst) throws FsException {
        long length = dst.byteSize();
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(CHUNK, length - done);
            MemorySegment part = dst.asSlice(done, n);
            ByteBuffer direct = asByteBuffer(part);
            if (direct != null) {
                readFully(offset + done, direct);
            } else {
                ByteBuffer bounce = ByteBuffer.allocate(n);
                readFully(offset + done, bounce);
                MemorySegment.copy(MemorySegment.ofArray(bounce.array()), 0, part, 0, n);
            }
            done += n;
        }
    }

    @Override
    void writeAt(long offset, MemorySegment src) throws FsException {
        long length = src.byteSize();
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(CHUNK, length - done);
            MemorySegment part = src.asSlice(done, n);
            ByteBuffer direct = asByteBuffer(part);
            if (direct == null) {
                byte[] bounce = new byte[n];
                MemorySegment.copy(part, 0, MemorySegment.ofArray(bounce), 0, n);
                direct = ByteBuffer.wrap(bounce);
            }
            writeFully(offset + done, direct);
            done += n;
        }
    }

    @Override
    void zeroAt(long offset, long length) throws FsException {
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(ZEROS.capacity(), length - done);
            writeFully(offset + done, ZEROS.duplicate().limit(n));
            done += n;
        }
    }

    /** The range is ignored: fdatasync makes the whole file durable. */
    @Override
    void persistRange(long offset, long length) throws FsException {
        onChannel(offset, ch -> {
            ch.force(false);
            return 0;
        });
    }

    @Override
    void release() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + description, e);
        }
    }

    private void readFully(long position, ByteBuffer buf) throws FsException {
        long start = position - buf.position();
        while (buf.hasRemaining()) {
            long at = start + buf.position();
            int n = onChannel(at, ch -> ch.read(buf, at));
            if (n < 0) {
                throw FsException.atOffset(Errno.EIO, at, "unexpected end of " + path);
            }
        }
    }

    private void writeFully(long position, ByteBuffer buf) throws FsException {
        long start = position - buf.position();
        while (buf.hasRemaining()) {
            long at = start + buf.position();
            onChannel(at, ch -> ch.write(buf, at));
        }
    }

    private interface ChannelOp {
        int run(FileChannel channel) throws IOException;
    }

    /** Runs one channel call, surviving a channel closed by some thread's interrupt. */
    private int onChannel(long offset, ChannelOp op) throws FsException {
        while (true) {
            FileChannel ch = channel;
            try {
                return op.run(ch);
            } catch (ClosedByInterruptException e) {
                reopen(ch, offset);
                throw FsException.wrap(Errno.EIO, null, offset, "interrupted", e);
            } catch (ClosedChannelException e) {
                // Another thread's interrupt closed the shared channel before or during our call
                // (AsynchronousCloseException is a ClosedChannelException). Positional reads and writes of
                // the same bytes at the same offset are idempotent, so retrying on a fresh channel is safe.
                reopen(ch, offset);
            } catch (IOException e) {
                throw FsException.wrap(Errno.EIO, null, offset, e.toString(), e);
            }
        }
    }

    private void reopen(FileChannel closed, long offset) throws FsException {
        synchronized (reopenLock) {
            if (channel != closed) {
                return; // someone reopened it already
            }
            try {
                channel = FileChannel.open(path, openOptions);
            } catch (IOException e) {
                throw FsException.wrap(Errno.EIO, null, offset, "reopening " + path + ": " + e, e);
            }
        }
    }

    /** A buffer over the segment's own memory, or null when there is none (heap segment of non-bytes). */
    private static ByteBuffer asByteBuffer(MemorySegment segment) {
        try {
            return segment.asByteBuffer();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
