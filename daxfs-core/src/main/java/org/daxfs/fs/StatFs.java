package org.daxfs.fs;

/**
 * What statfs(2) reports.
 *
 * @param blockSize the block size
 * @param totalBlocks blocks on the device
 * @param freeBlocks free blocks, including the reserve kept for metadata
 * @param availableBlocks free blocks a file's data may use
 * @param totalInodes inodes the table holds now (it grows on demand)
 * @param freeInodes free inodes in the table plus those it can still grow by
 * @param maxNameLength longest file name in bytes
 */
public record StatFs(int blockSize, long totalBlocks, long freeBlocks, long availableBlocks,
                     long totalInodes, long freeInodes, int maxNameLength) {
}
