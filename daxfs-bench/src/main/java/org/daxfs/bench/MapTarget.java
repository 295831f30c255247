package org.daxfs.bench;

/** Whose mapping {@link MappedAccessBenchmark} reads and writes through. */
public enum MapTarget {
    /** A DaxFS file mapped with FileHandle.map: device blocks stitched into a window. */
    DAXFS("DaxFS mapping"),
    /**
     * The device's own mapping of the same bytes: the memory device's file mapped with FileChannel.map at
     * the file's device offset. What no mapping of the file can beat: the limit.
     */
    DEVICE("device mapping (limit)"),
    /** A file on /dev/shm mapped with FileChannel.map: the kernel's file system. */
    TMPFS("tmpfs FileChannel.map");

    /** The name shown in the report. */
    final String label;

    MapTarget(String label) {
        this.label = label;
    }
}
