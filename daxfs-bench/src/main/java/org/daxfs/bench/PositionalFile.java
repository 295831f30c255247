package org.daxfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An open file read and written at explicit positions: the one shape every peer is measured through, so
 * each benchmark body is the same code whichever file system is under it.
 */
public interface PositionalFile extends AutoCloseable {
    /** Fills {@code dst}'s remaining bytes from {@code position}; a short read means end of file. */
    void readFully(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src}'s remaining bytes at {@code position}. */
    void writeFully(ByteBuffer src, long position) throws IOException;

    /** Makes the file's data and metadata durable (fsync). */
    void force() throws IOException;

    @Override
    void close() throws IOException;
}
