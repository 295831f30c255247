package org.daxfs.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.daxfs.fs.FileHandle;

/** A DaxFS {@link FileHandle} as a {@link PositionalFile}. */
final class DaxFile implements PositionalFile {
    private final FileHandle handle;

    DaxFile(FileHandle handle) {
        this.handle = handle;
    }

    @Override
    public void readFully(ByteBuffer dst, long position) throws IOException {
        // FileHandle reads everything up to end of file in one call; a short read is end of file.
        int want = dst.remaining();
        int n = handle.read(dst, position);
        if (n < want) {
            throw new EOFException("end of file at " + (position + Math.max(n, 0)));
        }
    }

    @Override
    public void writeFully(ByteBuffer src, long position) throws IOException {
        // A short write only happens when the device is full, which would spoil the measurement.
        int want = src.remaining();
        int n = handle.write(src, position);
        if (n < want) {
            throw new IOException("short write (" + n + " of " + want + " bytes): device full");
        }
    }

    @Override
    public void force() throws IOException {
        handle.fsync();
    }

    @Override
    public void close() throws IOException {
        handle.close();
    }
}
