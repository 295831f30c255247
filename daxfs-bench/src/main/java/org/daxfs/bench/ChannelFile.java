package org.daxfs.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A {@link FileChannel} of any provider (the kernel's tmpfs, Jimfs, DaxFS's provider) as a {@link PositionalFile}. */
final class ChannelFile implements PositionalFile {
    private final FileChannel channel;

    ChannelFile(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public void readFully(ByteBuffer dst, long position) throws IOException {
        // pread may return fewer bytes than asked; loop as any careful caller must, so peers do equal work.
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new EOFException("end of file at " + at);
            }
            at += n;
        }
    }

    @Override
    public void writeFully(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    @Override
    public void force() throws IOException {
        channel.force(true);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
