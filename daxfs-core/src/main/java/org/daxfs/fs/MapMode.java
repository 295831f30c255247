package org.daxfs.fs;

/** How a file range is mapped (see {@link FileHandle#map}). */
public enum MapMode {
    /** Read-only: holes show as zeros, nothing is allocated. */
    READ_ONLY,
    /** Read-write: every page is allocated and zeroed before the mapping is returned. */
    READ_WRITE,
    /**
     * Read-write with MAP_SYNC semantics: the metadata mapping the pages is durable before write access is
     * granted, so a store plus a flush of its range ({@link FileHandle#msync}) is durable without fsync.
     */
    READ_WRITE_SYNC
}
