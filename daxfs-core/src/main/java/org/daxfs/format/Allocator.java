package org.daxfs.format;

import java.util.Arrays;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * The free-space allocator: one bit per device block, on the device and mirrored in memory.
 *
 * <h2>On the device</h2>
 * Bitmap block {@code i} (at {@code superblock.bitmapStart() + i}) has the common header (magic 'DXBM',
 * crc, owner 0), then {@code u64} the first block it covers, then {@link #BITS_PER_BLOCK} bits from offset
 * {@link #BITS_OFFSET}, 1 = in use. Bits past the end of the device are set.
 *
 * <h2>In memory</h2>
 * A copy of the bits plus a count of used blocks per 2 MiB group, so that large files find whole free
 * groups (huge mappings need 2 MiB-aligned contiguous runs) and searches skip full groups.
 *
 * <h2>Reserve, commit, release</h2>
 * {@link #reserve} takes blocks in memory only, before the transaction that uses them; the transaction
 * records them on the device with {@link #markUsed}; if it aborts, {@link #unreserve} gives them back.
 * Freed blocks are cleared on the device with {@link #markFree} inside the freeing transaction but return
 * to memory ({@link #release}) only after that transaction has committed: a block freed by an
 * uncommitted transaction must not be reused, or a crash could leave it both reused and still owned.
 *
 * <h2>Locking</h2>
 * The in-memory state is guarded by this object's monitor, a leaf lock: nothing else is taken while it is
 * held. {@link #markUsed} and {@link #markFree} run inside the caller's journal transaction.
 */
public final class Allocator {
    public static final int BITMAP_MAGIC = 0x4D425844; // "DXBM"
    public static final int BITS_OFFSET = 24;
    public static final long BITS_PER_BLOCK = (long) (Block.SIZE - BITS_OFFSET) * 8;
    /** Blocks per 2 MiB group. */
    public static final int GROUP = 512;

    private final long total;
    private final long bitmapStart;
    private final long[] words;
    private final int[] groupUsed;
    private final long reserveBlocks;
    private long free;
    private long cursor;

    private Allocator(long total, long bitmapStart) {
        this.total = total;
        this.bitmapStart = bitmapStart;
        this.words = new long[(int) ((total + 63) / 64)];
        this.groupUsed = new int[(int) ((total + GROUP - 1) / GROUP)];
        this.reserveBlocks = Math.max(16, Math.min(total / 100, 2048));
        this.free = total;
    }

    /** Bitmap blocks needed for a device of {@code totalBlocks}. */
    public static long bitmapBlocksFor(long totalBlocks) {
        return (totalBlocks + BITS_PER_BLOCK - 1) / BITS_PER_BLOCK;
    }

    /** A new allocator for formatting: blocks below {@code firstData} in use, all others free. */
    public static Allocator fresh(long totalBlocks, long bitmapStart, long firstData) {
        Allocator a = new Allocator(totalBlocks, bitmapStart);
        a.setRange(0, firstData, true);
        a.free = totalBlocks - firstData;
        a.cursor = firstData;
        return a;
    }

    /**
     * Loads the bitmap from the device, verifying each block.
     *
     * @throws FsException EUCLEAN if a block is damaged or the fixed region is not marked used
     */
    public static Allocator load(MetadataBlocks blocks, Superblock sb) throws FsException {
        long total = sb.totalBlocks();
        Allocator a = new Allocator(total, sb.bitmapStart());
        a.free = 0;
        for (long i = 0; i < sb.bitmapBlocks(); i++) {
            Block b = blocks.read(sb.bitmapStart() + i).verify(BITMAP_MAGIC, "bitmap block " + i);
            long first = i * BITS_PER_BLOCK;
            if (b.getLong(Block.HEADER_END) != first) {
                throw b.corrupt("bitmap block " + i + " covers the wrong range");
            }
            long n = Math.min(BITS_PER_BLOCK, total - first);
            for (long j = 0; j < n; j++) {
                long blk = first + j;
                boolean used = (b.getByte(BITS_OFFSET + (int) (j >>> 3)) & (1 << (j & 7))) != 0;
                if (used) {
                    a.words[(int) (blk >>> 6)] |= 1L << blk;
                    a.groupUsed[(int) (blk / GROUP)]++;
                } else {
                    a.free++;
                }
            }
        }
        for (long blk = 0; blk < sb.firstDataBlock(); blk++) {
            if (!a.isUsed(blk)) {
                throw FsException.atOffset(Errno.EUCLEAN, 0, "bitmap marks metadata block " + blk + " free");
            }
        }
        a.cursor = sb.firstDataBlock();
        return a;
    }

    /** Bitmap block {@code i} as this allocator's memory has it, for formatting and repair. */
    public synchronized Block encode(long i) {
        Block b = Block.zeroed(bitmapStart + i);
        b.init(BITMAP_MAGIC, 0);
        long first = i * BITS_PER_BLOCK;
        b.putLong(Block.HEADER_END, first);
        for (long j = 0; j < BITS_PER_BLOCK; j++) {
            long blk = first + j;
            if (blk >= total || isUsed(blk)) {
                b.putByte(BITS_OFFSET + (int) (j >>> 3), b.getByte(BITS_OFFSET + (int) (j >>> 3)) | (1 << (j & 7)));
            }
        }
        b.seal();
        return b;
    }

    public long totalBlocks() {
        return total;
    }

    public synchronized long freeBlocks() {
        return free;
    }

    /** Free blocks a file's data may take: all but the reserve kept for metadata. */
    public synchronized long availableBlocks() {
        return Math.max(0, free - reserveBlocks);
    }

    public synchronized boolean isUsed(long blk) {
        return (words[(int) (blk >>> 6)] & (1L << blk)) != 0;
    }

    /**
     * Takes up to {@code count} contiguous free blocks in memory, as near {@code goal} as it can (0: no
     * preference), continuing the goal's run when it is free. With {@code huge} (the caller maps a 2 MiB-aligned
     * logical range) the run starts on a 2 MiB boundary when a whole free group exists. Data allocations
     * leave the metadata reserve alone.
     *
     * @return {@code {start, length}} with {@code 1 <= length <= count}
     * @throws FsException ENOSPC when nothing can be given
     */
    public synchronized long[] reserve(long goal, long count, boolean forData, boolean huge) throws FsException {
        long limit = forData ? free - reserveBlocks : free;
        if (limit <= 0 || count <= 0) {
            throw FsException.of(Errno.ENOSPC, null);
        }
        count = Math.min(count, limit);
        long[] run = null;
        boolean goalFree = goal > 0 && goal < total && !isUsed(goal);
        if (huge) {
            // Keep a file's 2 MiB-aligned logical ranges on 2 MiB-aligned blocks: the goal if it is the
            // start of a whole free group, else the next whole free group.
            if (goalFree && goal % GROUP == 0 && isWholeFreeGroup((int) (goal / GROUP))) {
                run = new long[] {goal, runLength(goal, count)};
            } else {
                run = findFreeGroups(count);
            }
        }
        if (run == null && goalFree) {
            run = new long[] {goal, runLength(goal, count)};
        }
        if (run == null) {
            run = findRun(goal > 0 && goal < total ? goal : cursor, count);
        }
        if (run == null) {
            throw FsException.of(Errno.ENOSPC, null);
        }
        setRange(run[0], run[1], true);
        free -= run[1];
        cursor = run[0] + run[1] < total ? run[0] + run[1] : 0;
        return run;
    }

    /** Gives back blocks reserved by a transaction that aborted. */
    public synchronized void unreserve(long start, long length) {
        release(start, length);
    }

    /** Returns blocks freed by a committed transaction to the free pool. */
    public synchronized void release(long start, long length) {
        checkRange(start, length);
        setRange(start, length, false);
        free += length;
    }

    /** Marks {@code [start, start+length)} used on the device, inside the caller's transaction. */
    public void markUsed(MetadataBlocks txn, long start, long length) throws FsException {
        writeBits(txn, start, length, true);
        Superblock sb = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
        sb.setFreeBlocks(sb.freeBlocks() - length);
    }

    /** Marks {@code [start, start+length)} free on the device, inside the caller's transaction. */
    public void markFree(MetadataBlocks txn, long start, long length) throws FsException {
        checkRange(start, length);
        writeBits(txn, start, length, false);
        Superblock sb = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
        sb.setFreeBlocks(sb.freeBlocks() + length);
    }

    private void writeBits(MetadataBlocks txn, long start, long length, boolean used) throws FsException {
        long blk = start;
        long end = start + length;
        while (blk < end) {
            long idx = blk / BITS_PER_BLOCK;
            long first = idx * BITS_PER_BLOCK;
            long stop = Math.min(end, first + BITS_PER_BLOCK);
            Block b = txn.modify(bitmapStart + idx);
            for (long j = blk - first; j < stop - first; j++) {
                int off = BITS_OFFSET + (int) (j >>> 3);
                int bit = 1 << (j & 7);
                b.putByte(off, used ? b.getByte(off) | bit : b.getByte(off) & ~bit);
            }
            b.seal();
            blk = stop;
        }
    }

    private void checkRange(long start, long length) {
        if (start <= 0 || length <= 0 || start + length > total) {
            throw new IllegalArgumentException("block range " + start + "+" + length + " outside the device");
        }
    }

    /** Consecutive wholly free 2 MiB groups, as many as cover {@code count} (at least one), or null. */
    private long[] findFreeGroups(long count) {
        int groups = groupUsed.length;
        int wanted = (int) Math.min(Integer.MAX_VALUE, (count + GROUP - 1) / GROUP);
        int startGroup = (int) ((cursor / GROUP) % groups);
        for (int k = 0; k < groups; k++) {
            int g = (startGroup + k) % groups;
            if (isWholeFreeGroup(g)) {
                int n = 1;
                while (n < wanted && g + n < groups && isWholeFreeGroup(g + n)) {
                    n++;
                }
                long start = (long) g * GROUP;
                return new long[] {start, Math.min(count, (long) n * GROUP)};
            }
        }
        return null;
    }

    private long groupCapacity(int g) {
        return Math.min(GROUP, total - (long) g * GROUP);
    }

    private boolean isWholeFreeGroup(int g) {
        return groupUsed[g] == 0 && (long) (g + 1) * GROUP <= total;
    }

    /**
     * First-fit from {@code from} (wrapping once), but keeps looking a little for a run as long as asked
     * so that files stay contiguous; returns the longest run seen in that window.
     */
    private long[] findRun(long from, long count) {
        long[] best = null;
        long scannedAfterHit = 0;
        long blk = from;
        long visited = 0;
        while (visited < total) {
            if (blk >= total) {
                blk = 0;
            }
            int g = (int) (blk / GROUP);
            if (groupUsed[g] == groupCapacity(g)) {
                long next = (long) (g + 1) * GROUP;
                visited += next - blk;
                blk = next;
                continue;
            }
            long w = words[(int) (blk >>> 6)];
            if (w == -1L) {
                long next = (blk | 63) + 1;
                visited += next - blk;
                blk = next;
                continue;
            }
            if (isUsed(blk)) {
                blk++;
                visited++;
                continue;
            }
            long len = runLength(blk, count);
            if (best == null || len > best[1]) {
                best = new long[] {blk, len};
            }
            if (len >= count) {
                return best;
            }
            scannedAfterHit += len + 1;
            if (scannedAfterHit > 64L * GROUP) {
                return best;
            }
            blk += len;
            visited += len;
        }
        return best;
    }

    private long runLength(long start, long max) {
        long n = 0;
        while (n < max && start + n < total && !isUsed(start + n)) {
            n++;
        }
        return n;
    }

    private void setRange(long start, long length, boolean used) {
        for (long b = start; b < start + length; b++) {
            long bit = 1L << b;
            int wi = (int) (b >>> 6);
            boolean was = (words[wi] & bit) != 0;
            if (was == used) {
                if (used) {
                    throw new IllegalStateException("block " + b + " is already in use");
                }
                throw new IllegalStateException("block " + b + " is already free");
            }
            words[wi] ^= bit;
            groupUsed[(int) (b / GROUP)] += used ? 1 : -1;
        }
    }

    /** A copy of the in-use bits, for fsck. */
    public synchronized long[] snapshotBits() {
        return Arrays.copyOf(words, words.length);
    }
}
