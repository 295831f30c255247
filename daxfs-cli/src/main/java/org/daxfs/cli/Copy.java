package org.daxfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.daxfs.FsException;
import org.daxfs.fs.FileHandle;

/** Moves file data between an image file and a local stream, 1 MiB at a time. */
final class Copy {
    /** Big enough to amortise the per-call cost, small enough to keep the heap footprint flat. */
    static final int CHUNK = 1 << 20;
    /** Files from this size up get a progress bar; smaller ones finish before a bar would be read. */
    static final long LARGE = 16L << 20;

    private Copy() {
    }

    /** Copies the whole of {@code in} to {@code out}; returns the bytes copied. */
    static long toStream(FileHandle in, OutputStream out, ProgressBar bar) throws IOException, CommandFailure {
        long size = in.size();
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        for (long position = 0; position < size; ) {
            buffer.clear().limit((int) Math.min(CHUNK, size - position));
            readFully(in, buffer, position);
            out.write(buffer.array(), 0, buffer.limit());
            position += buffer.limit();
            bar.update(position, size);
        }
        out.flush();
        return size;
    }

    /** Copies all of {@code in} to {@code out} from offset 0; {@code expected} sizes the bar (or -1). */
    static long fromStream(InputStream in, FileHandle out, ProgressBar bar, long expected)
            throws IOException, CommandFailure {
        byte[] chunk = new byte[CHUNK];
        long position = 0;
        int n;
        while ((n = in.readNBytes(chunk, 0, CHUNK)) > 0) {
            writeFully(out, ByteBuffer.wrap(chunk, 0, n), position);
            position += n;
            bar.update(position, expected);
        }
        return position;
    }

    /** Writes all of {@code src} (position to limit) at file offset {@code offset}. */
    static void writeFully(FileHandle file, ByteBuffer src, long offset) throws FsException, CommandFailure {
        int base = src.position();
        while (src.hasRemaining()) {
            int start = src.position();
            int n = file.write(src, offset + start - base);
            if (n <= 0) {
                throw new CommandFailure("the image accepted no bytes at offset " + (offset + start - base));
            }
            // Set, not trusted: the count returned is what counts, whether or not write() moved the buffer.
            src.position(start + n);
        }
    }

    /** Fills {@code dst} (position to limit) from file offset {@code offset}. */
    static void readFully(FileHandle file, ByteBuffer dst, long offset) throws FsException, CommandFailure {
        int base = dst.position();
        while (dst.hasRemaining()) {
            int start = dst.position();
            int n = file.read(dst, offset + start - base);
            if (n <= 0) {
                throw new CommandFailure("file ended at offset " + (offset + start - base) + ", before its size");
            }
            dst.position(start + n);
        }
    }
}
