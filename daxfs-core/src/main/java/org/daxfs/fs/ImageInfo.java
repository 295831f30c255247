package org.daxfs.fs;

import java.util.UUID;

/**
 * What the superblock says about an image, plus usage.
 *
 * @param uuid the file system's UUID
 * @param version on-device format version
 * @param features feature flag bits
 * @param blockSize block size in bytes
 * @param totalBlocks blocks on the device
 * @param freeBlocks free blocks
 * @param journalBlocks blocks of the journal
 * @param inodeTableInodes inodes the inode table holds now
 * @param freeInodes free inodes in the table
 * @param clean whether the image was cleanly unmounted (false while mounted read-write)
 * @param formattedAtNanos when it was formatted, nanoseconds since the epoch
 */
public record ImageInfo(UUID uuid, int version, long features, int blockSize, long totalBlocks, long freeBlocks,
                        long journalBlocks, long inodeTableInodes, long freeInodes, boolean clean,
                        long formattedAtNanos) {
}
