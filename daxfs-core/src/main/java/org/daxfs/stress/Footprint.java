package org.daxfs.stress;

/**
 * The bytes {@code [from, to)} of a file that one operation reads or changes (flip mode runs operations
 * whose footprints lie in disjoint regions at once). {@code grows}: the operation extends the file if
 * {@code to} passes its size, which changes what every other thread's reads return.
 *
 * @param from first byte
 * @param to one past the last byte
 * @param grows whether the operation extends the size to {@code to}
 */
record Footprint(long from, long to, boolean grows) {
    /** For operations that read and change no byte of the file (fsync). */
    static final Footprint NOTHING = new Footprint(0, 0, false);

    /** The range {@code [offset, offset+length)}, or null (the whole file) if it is not a valid range. */
    static Footprint of(long offset, long length, boolean grows) {
        if (offset < 0 || length < 0 || offset + length < 0) {
            return null;
        }
        return new Footprint(offset, offset + length, grows);
    }

    /**
     * Whether the operation stays inside {@code [regionFrom, regionTo)} of a file of {@code size} bytes and
     * leaves the size alone.
     */
    boolean inside(long regionFrom, long regionTo, long size) {
        return this == NOTHING || from >= regionFrom && to <= regionTo && (!grows || to <= size);
    }
}
