package org.daxfs.bench;

/**
 * What {@link MapFaultBenchmark} maps: the first {@link FaultFixture#MAP_LENGTH} of a file, through DaxFS
 * with each kind of mapping entry, or through the kernel's own tmpfs mapping as the reference. (The engine
 * uses a huge entry for every 2 MiB-aligned range of the file that a mapping covers and that sits on
 * 2 MiB-aligned blocks, wherever the mapping starts; so it is the file's layout that picks the entries.)
 */
public enum FaultCase {
    /** A file written in one write from offset 0, mapped from 0: one 2 MiB entry per 2 MiB. */
    DAXFS_HUGE("DaxFS, 2 MiB entries", true),
    /**
     * A file written from its second block on in one write, then its first block: contiguous blocks, but its
     * 2 MiB-aligned ranges are not on 2 MiB-aligned blocks, so one 4 KiB entry per page; the engine shows
     * each run of entries up to a 2 MiB boundary with one mmap.
     */
    DAXFS_SMALL("DaxFS, 4 KiB entries, contiguous blocks", true),
    /** A file written back to front, mapped from 0: one 4 KiB entry and one kernel mapping per page. */
    DAXFS_SCATTERED("DaxFS, 4 KiB entries, scattered blocks", true),
    /** A file on /dev/shm mapped with FileChannel.map: the kernel's own mapping path, no DaxFS at all. */
    TMPFS("tmpfs FileChannel.map", false);

    /** The name shown in the report. */
    final String label;
    /** Whether the range is mapped through DaxFS. */
    final boolean daxfs;

    FaultCase(String label, boolean daxfs) {
        this.label = label;
        this.daxfs = daxfs;
    }
}
