package org.daxfs.bench;

import java.io.IOException;

/** A fresh, empty file system of one peer, holding files by name in its root directory. */
public interface Volume extends AutoCloseable {
    /** Creates {@code name} (failing if it exists) and opens it for reading and writing. */
    PositionalFile create(String name) throws IOException;

    /** Removes {@code name}. */
    void delete(String name) throws IOException;

    /** Releases the file system and everything it stored. */
    @Override
    void close() throws IOException;
}
