package org.daxfs.fs;

/** Flags of {@link DaxFileSystem#open}, after open(2). */
public enum OpenFlag {
    /** Open for reading. */
    READ,
    /** Open for writing. */
    WRITE,
    /** Create the file if it does not exist (O_CREAT). */
    CREATE,
    /** With CREATE: fail with EEXIST if the name exists (O_EXCL). */
    EXCLUSIVE,
    /** Truncate to length 0 on open (O_TRUNC); needs WRITE. */
    TRUNCATE,
    /** Every write goes to the end of file, atomically with finding it (O_APPEND). */
    APPEND,
    /** Fail with ELOOP if the last component is a symlink (O_NOFOLLOW). */
    NOFOLLOW,
    /** Fail with ENOTDIR unless the file is a directory (O_DIRECTORY). */
    DIRECTORY,
    /**
     * Reads and writes of a file that is not DAX bypass the page cache (O_DIRECT): offsets and lengths
     * must be multiples of 512 (EINVAL otherwise). DAX files are always accessed directly.
     */
    DIRECT
}
