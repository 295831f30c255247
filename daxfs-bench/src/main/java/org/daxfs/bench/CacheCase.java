package org.daxfs.bench;

/**
 * The two ways DaxFS reaches a file's data, compared on the same image and mount: straight on the device
 * (DAX) or through the page cache (a file without the DAX flag under {@code dax=inode}).
 */
public enum CacheCase {
    /** The file has the DAX flag: reads and writes copy to and from device memory directly. */
    DAX,
    /** The file has no DAX flag: reads and writes go through cached pages. */
    CACHED
}
