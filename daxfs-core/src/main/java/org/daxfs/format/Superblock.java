package org.daxfs.format;

import java.util.UUID;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * Block 0: what the file system is and where its parts are.
 *
 * <pre>
 *   0  u32 magic 'DXFS'       4 u32 crc32c        8 u64 owner (0)
 *  16  u32 version           20 u32 block size
 *  24  u32 compat features   28 u32 incompat features
 *  32  u64 total blocks      40 u64 free blocks
 *  48  u64 journal start     56 u64 journal blocks
 *  64  u64 bitmap start      72 u64 bitmap blocks
 *  80  u64 uuid (msb)        88 u64 uuid (lsb)
 *  96  u32 state (1 clean)  100 u32 mount count
 * 104  u64 formatted at (ns since epoch)
 * 112  u64 head of the free-inode list       120 u64 free inodes in the table
 * 128  u64 head of the orphan list           136 u64 directory hash seed
 * 144  u64 inodes in the table               152 u64 last mount (ns)
 * 160  256-byte inode record of the inode table itself (inode 1)
 * </pre>
 *
 * The inode table is a file (inode 1) whose record lives here, so the table grows on demand and metadata
 * does not grow with the device. A Superblock is a view over a {@link Block}; setters change that block
 * (which must be a transaction's writable copy) and reseal it.
 */
public final class Superblock {
    public static final int MAGIC = 0x53465844; // "DXFS"
    public static final int VERSION = 1;
    /** Incompatible features this code understands (none yet). */
    public static final int KNOWN_INCOMPAT = 0;
    public static final long BLOCK_NUMBER = 0;
    public static final int STATE_CLEAN = 1;
    public static final int STATE_DIRTY = 0;
    public static final int TABLE_INODE_OFFSET = 160;

    private static final int VERSION_OFF = 16, BLOCK_SIZE = 20, COMPAT = 24, INCOMPAT = 28, TOTAL = 32,
            FREE = 40, JOURNAL_START = 48, JOURNAL_BLOCKS = 56, BITMAP_START = 64, BITMAP_BLOCKS = 72,
            UUID_MSB = 80, UUID_LSB = 88, STATE = 96, MOUNTS = 100, FORMATTED = 104, FREE_INODE_HEAD = 112,
            FREE_INODES = 120, ORPHAN_HEAD = 128, HASH_SEED = 136, TABLE_INODES = 144, LAST_MOUNT = 152;

    private final Block block;

    public Superblock(Block block) {
        this.block = block;
    }

    /**
     * Checks a superblock read from a device of {@code deviceBytes}: magic, checksum, version, features
     * and geometry. A damaged or foreign image gets one clear EUCLEAN/EINVAL message.
     */
    public static Superblock verify(Block block, long deviceBytes) throws FsException {
        if (block.magic() != MAGIC) {
            throw FsException.atOffset(Errno.EINVAL, 0, "not a DaxFS image (bad superblock magic)");
        }
        if (block.getInt(Block.CRC) != Block.crcOf(block.data(), Block.CRC)) {
            throw FsException.atOffset(Errno.EUCLEAN, 0, "superblock checksum mismatch");
        }
        Superblock sb = new Superblock(block);
        if (sb.version() > VERSION) {
            throw FsException.atOffset(Errno.EINVAL, 0,
                    "image format version " + sb.version() + " is newer than this DaxFS (" + VERSION + ")");
        }
        if (sb.version() < 1) {
            throw FsException.atOffset(Errno.EUCLEAN, 0, "bad format version " + sb.version());
        }
        if ((sb.incompatFeatures() & ~KNOWN_INCOMPAT) != 0) {
            throw FsException.atOffset(Errno.EINVAL, 0,
                    "image uses unknown features 0x" + Integer.toHexString(sb.incompatFeatures()));
        }
        if (block.getInt(BLOCK_SIZE) != Block.SIZE) {
            throw FsException.atOffset(Errno.EUCLEAN, 0, "bad block size " + block.getInt(BLOCK_SIZE));
        }
        long total = sb.totalBlocks();
        if (total * Block.SIZE > deviceBytes) {
            throw FsException.atOffset(Errno.EUCLEAN, 0, "image is truncated: superblock says "
                    + total * Block.SIZE + " bytes, device has " + deviceBytes);
        }
        if (sb.journalStart() != 1 || sb.journalBlocks() < Journal_MIN || sb.bitmapStart() != 1 + sb.journalBlocks()
                || sb.bitmapBlocks() != Allocator.bitmapBlocksFor(total)
                || sb.firstDataBlock() >= total || sb.freeBlocks() > total) {
            throw FsException.atOffset(Errno.EUCLEAN, 0, "superblock geometry is inconsistent");
        }
        return sb;
    }

    /** Smallest journal accepted. */
    public static final int Journal_MIN = 64;

    public Block block() {
        return block;
    }

    public int version() { return block.getInt(VERSION_OFF); }
    public int compatFeatures() { return block.getInt(COMPAT); }
    public int incompatFeatures() { return block.getInt(INCOMPAT); }
    public long totalBlocks() { return block.getLong(TOTAL); }
    public long freeBlocks() { return block.getLong(FREE); }
    public long journalStart() { return block.getLong(JOURNAL_START); }
    public long journalBlocks() { return block.getLong(JOURNAL_BLOCKS); }
    public long bitmapStart() { return block.getLong(BITMAP_START); }
    public long bitmapBlocks() { return block.getLong(BITMAP_BLOCKS); }
    public UUID uuid() { return new UUID(block.getLong(UUID_MSB), block.getLong(UUID_LSB)); }
    public int state() { return block.getInt(STATE); }
    public int mountCount() { return block.getInt(MOUNTS); }
    public long formattedAt() { return block.getLong(FORMATTED); }
    public long freeInodeHead() { return block.getLong(FREE_INODE_HEAD); }
    public long freeInodes() { return block.getLong(FREE_INODES); }
    public long orphanHead() { return block.getLong(ORPHAN_HEAD); }
    public long hashSeed() { return block.getLong(HASH_SEED); }
    public long tableInodes() { return block.getLong(TABLE_INODES); }
    public long lastMount() { return block.getLong(LAST_MOUNT); }

    /** First block after the fixed region (superblock, journal, bitmap). */
    public long firstDataBlock() {
        return bitmapStart() + bitmapBlocks();
    }

    /** Writes a fresh superblock into {@code block} (which is cleared first). */
    public static Superblock create(Block block, long totalBlocks, long journalBlocks, UUID uuid, long nowNanos,
                                    long hashSeed) {
        block.init(MAGIC, 0);
        block.putInt(VERSION_OFF, VERSION);
        block.putInt(BLOCK_SIZE, Block.SIZE);
        block.putLong(TOTAL, totalBlocks);
        block.putLong(JOURNAL_START, 1);
        block.putLong(JOURNAL_BLOCKS, journalBlocks);
        block.putLong(BITMAP_START, 1 + journalBlocks);
        block.putLong(BITMAP_BLOCKS, Allocator.bitmapBlocksFor(totalBlocks));
        block.putLong(UUID_MSB, uuid.getMostSignificantBits());
        block.putLong(UUID_LSB, uuid.getLeastSignificantBits());
        block.putInt(STATE, STATE_CLEAN);
        block.putLong(FORMATTED, nowNanos);
        block.putLong(HASH_SEED, hashSeed);
        block.seal();
        return new Superblock(block);
    }

    public void setFreeBlocks(long v) { set(FREE, v); }
    public void setFreeInodeHead(long v) { set(FREE_INODE_HEAD, v); }
    public void setFreeInodes(long v) { set(FREE_INODES, v); }
    public void setOrphanHead(long v) { set(ORPHAN_HEAD, v); }
    public void setTableInodes(long v) { set(TABLE_INODES, v); }
    public void setLastMount(long v) { set(LAST_MOUNT, v); }

    public void setState(int state) {
        block.putInt(STATE, state);
        block.seal();
    }

    public void setMountCount(int n) {
        block.putInt(MOUNTS, n);
        block.seal();
    }

    private void set(int off, long v) {
        block.putLong(off, v);
        block.seal();
    }
}
