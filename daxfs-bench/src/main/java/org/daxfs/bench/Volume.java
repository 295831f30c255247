package org.daxfs.bench;

import java.io.IOException;

/** A fresh, empty file system of one peer, holding files by name in its root directory. */
public interface Volume extends AutoCloseable {
    /** Creates {@code name} (failing if it exists) and opens it for reading and writing. */
    PositionalFile create(String name) throws IOException;

    /**
     * Looks {@code name} up and returns its attributes (what stat(2) gives): the work of a name lookup, with
     * a result to consume so that it cannot be optimised away.
     */
    Object lookup(String name) throws IOException;

    /** Removes {@code name}. */
    void delete(String name) throws IOException;

    /** Releases the file system and everything it stored. */
    @Override
    void close() throws IOException;
}
