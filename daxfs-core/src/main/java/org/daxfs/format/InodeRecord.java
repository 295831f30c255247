package org.daxfs.format;

import org.daxfs.FsException;

/**
 * The persistent fields of one inode and their 256-byte on-device form.
 *
 * <p>Inode {@code n} lives at byte {@code n * 256} of the inode table file (inode 1, whose own record is in
 * the superblock); a table block holds 16 records and has no common header: each record carries its own
 * CRC32C, computed over the record and the inode number, so a record copied to the wrong place is caught.
 *
 * <pre>
 *   0 u32 mode (S_IFMT type + permissions; 0 = free)    4 u32 link count
 *   8 u32 uid          12 u32 gid
 *  16 u64 size         24 u64 blocks owned (data, extent nodes, xattr block)
 *  32 i64+u32 atime    44 i64+u32 mtime    56 i64+u32 ctime    68 i64+u32 btime   (seconds, nanoseconds)
 *  80 u32 flags        84 u32 generation
 *  88 u64 xattr block  96 u64 next (free list or orphan list)  104 u64 parent directory
 * 116 128-byte extent-tree root, or the target of a short symlink (FLAG_INLINE)
 * 252 u32 crc32c
 * </pre>
 *
 * Not thread safe: the owner ({@code fs.Inode}) guards it with the inode's lock.
 */
public final class InodeRecord {
    public static final int SIZE = 256;
    public static final int PER_BLOCK = Block.SIZE / SIZE;
    public static final int ROOT_OFFSET = 116;
    public static final int CRC_OFFSET = 252;

    /** Per-file flag: data is accessed directly (DAX). The Stat flag has the same value. */
    public static final int FLAG_DAX = 1;
    /** The root area holds a short symlink target instead of an extent tree. */
    public static final int FLAG_INLINE = 1 << 16;
    /** Flags a user may set. */
    public static final int USER_FLAGS = FLAG_DAX;

    public int mode;
    public int nlink;
    public int uid;
    public int gid;
    public long size;
    public long blocks;
    public long atime;
    public long mtime;
    public long ctime;
    public long btime;
    public int flags;
    public int generation;
    public long xattrBlock;
    public long next;
    public long parent;
    /** Size of the root area; equals ExtentTree.ROOT_SIZE. */
    public static final int ROOT_SIZE = 128;
    public final byte[] root = new byte[ROOT_SIZE];

    public boolean isFree() {
        return mode == 0;
    }

    /** Writes this record for inode {@code ino} at {@code off} in {@code b} (the caller seals b if it has a header). */
    public void encode(Block b, int off, long ino) {
        b.putInt(off, mode);
        b.putInt(off + 4, nlink);
        b.putInt(off + 8, uid);
        b.putInt(off + 12, gid);
        b.putLong(off + 16, size);
        b.putLong(off + 24, blocks);
        putTime(b, off + 32, atime);
        putTime(b, off + 44, mtime);
        putTime(b, off + 56, ctime);
        putTime(b, off + 68, btime);
        b.putInt(off + 80, flags);
        b.putInt(off + 84, generation);
        b.putLong(off + 88, xattrBlock);
        b.putLong(off + 96, next);
        b.putLong(off + 104, parent);
        b.putInt(off + 112, 0);
        b.putBytes(off + ROOT_OFFSET, root, 0, root.length);
        b.putInt(off + 244, 0);
        b.putInt(off + 248, 0);
        b.putInt(off + CRC_OFFSET, crc(b, off, ino));
    }

    /**
     * Reads the record of inode {@code ino} at {@code off} in {@code b}.
     *
     * @throws FsException EUCLEAN if its checksum does not match
     */
    public static InodeRecord decode(Block b, int off, long ino) throws FsException {
        if (b.getInt(off + CRC_OFFSET) != crc(b, off, ino)) {
            throw b.corrupt("inode " + ino + ": checksum mismatch");
        }
        InodeRecord r = new InodeRecord();
        r.mode = b.getInt(off);
        r.nlink = b.getInt(off + 4);
        r.uid = b.getInt(off + 8);
        r.gid = b.getInt(off + 12);
        r.size = b.getLong(off + 16);
        r.blocks = b.getLong(off + 24);
        r.atime = getTime(b, off + 32);
        r.mtime = getTime(b, off + 44);
        r.ctime = getTime(b, off + 56);
        r.btime = getTime(b, off + 68);
        r.flags = b.getInt(off + 80);
        r.generation = b.getInt(off + 84);
        r.xattrBlock = b.getLong(off + 88);
        r.next = b.getLong(off + 96);
        r.parent = b.getLong(off + 104);
        b.getBytes(off + ROOT_OFFSET, r.root, 0, r.root.length);
        if (r.size < 0 || r.blocks < 0) {
            throw b.corrupt("inode " + ino + ": negative size or block count");
        }
        return r;
    }

    /** A free record on the free-inode list. */
    public static InodeRecord free(long nextFree) {
        InodeRecord r = new InodeRecord();
        r.next = nextFree;
        return r;
    }

    public InodeRecord copy() {
        InodeRecord r = new InodeRecord();
        r.mode = mode;
        r.nlink = nlink;
        r.uid = uid;
        r.gid = gid;
        r.size = size;
        r.blocks = blocks;
        r.atime = atime;
        r.mtime = mtime;
        r.ctime = ctime;
        r.btime = btime;
        r.flags = flags;
        r.generation = generation;
        r.xattrBlock = xattrBlock;
        r.next = next;
        r.parent = parent;
        System.arraycopy(root, 0, r.root, 0, root.length);
        return r;
    }

    private static int crc(Block b, int off, long ino) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b.data(), off, CRC_OFFSET);
        for (int i = 0; i < 8; i++) {
            c.update((int) (ino >>> (8 * i)));
        }
        return (int) c.getValue();
    }

    private static void putTime(Block b, int off, long nanos) {
        b.putLong(off, Math.floorDiv(nanos, 1_000_000_000L));
        b.putInt(off + 8, (int) Math.floorMod(nanos, 1_000_000_000L));
    }

    private static long getTime(Block b, int off) {
        long sec = b.getLong(off);
        long ns = b.getUInt(off + 8);
        if (ns >= 1_000_000_000L) {
            ns = 999_999_999L;
        }
        // Saturate instead of overflowing: times beyond year 2262 are clamped.
        if (sec > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return Long.MAX_VALUE;
        }
        if (sec < Long.MIN_VALUE / 1_000_000_000L + 1) {
            return Long.MIN_VALUE;
        }
        return sec * 1_000_000_000L + ns;
    }
}
