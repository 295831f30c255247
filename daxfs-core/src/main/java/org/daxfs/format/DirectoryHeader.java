package org.daxfs.format;

import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * Logical block 0 of a {@link DirectoryIndex}: the shape of the hash table (level and split pointer),
 * the entry count, and the bookkeeping of the overflow area. It also does the addressing arithmetic,
 * which depends on nothing but the level and split pointer.
 *
 * <pre>
 *   0  common header (magic DIR_HEADER_MAGIC, crc32c, owner)
 *  16  u32 level L
 *  20  u32 split pointer S                  (0 &lt;= S &lt; 2^L; there are 2^L + S buckets)
 *  24  u64 entry count
 *  32  u64 overflow slots handed out        (slot i is logical block OVERFLOW_BASE + i)
 *  40  u32 free slots F                     (a stack, at offset 64)
 *  44  u32 format version, 1
 *  48  u64 entry bytes                      (sum of entry sizes; drives the load rule)
 *  56  u64 forgotten slots                  (freed while the stack was full)
 *  64  u64[F] free overflow slots, the top of the stack last
 * </pre>
 *
 * The free slots are kept here rather than linked through the freed blocks because a freed block is a
 * hole and can hold nothing. When the stack is full a freed slot is forgotten: it stays a hole, and costs
 * a logical address out of 2^63, not a device block. It is counted, so that fsck can check that every slot
 * handed out is in a chain, on the stack or forgotten without reading them all.
 *
 * <p>Not thread safe; see {@link DirectoryIndex} for the caller's context.
 */
final class DirectoryHeader {
    static final int LEVEL = 16;
    static final int SPLIT = 20;
    static final int COUNT = 24;
    static final int SLOTS = 32;
    static final int FREE_COUNT = 40;
    static final int VERSION = 44;
    static final int BYTES = 48;
    static final int FORGOTTEN = 56;
    static final int FREE_STACK = 64;
    static final int FREE_CAPACITY = (Block.SIZE - FREE_STACK) / 8;
    static final int FORMAT_VERSION = 1;

    /**
     * Highest level. With level 30 and split pointer 2^30 - 1 the last bucket, 2^31 - 2, lives at logical
     * block 2^31 - 1, just below the overflow area; the table grows no further.
     */
    static final int MAX_LEVEL = 30;
    /** Overflow slots a directory may use: 16 TiB of overflow blocks, far beyond any sane chain. */
    static final long MAX_SLOTS = 1L << 32;
    /** More entries than the buckets and overflow slots could ever hold, so a sure sign of damage. */
    static final long MAX_ENTRIES = 1L << 48;

    private final Block block;

    private DirectoryHeader(Block block) {
        this.block = block;
    }

    /** Writes the header of an empty directory (one empty bucket) into a writable block. */
    static DirectoryHeader init(Block block, long owner) {
        block.init(DirectoryIndex.DIR_HEADER_MAGIC, owner);
        block.putInt(VERSION, FORMAT_VERSION);
        return new DirectoryHeader(block);
    }

    /**
     * Checks magic, CRC, owner and that every field is in range.
     *
     * @throws FsException EUCLEAN if the block is missing or damaged
     */
    static DirectoryHeader open(Block block, long owner) throws FsException {
        if (block == null) {
            throw FsException.atOffset(Errno.EUCLEAN, -1, "directory " + owner + ": header block 0 is a hole");
        }
        String what = "directory " + owner + " block 0";
        block.verify(DirectoryIndex.DIR_HEADER_MAGIC, what);
        if (block.owner() != owner) {
            throw block.corrupt(what + ": belongs to inode " + block.owner());
        }
        if (block.getInt(VERSION) != FORMAT_VERSION) {
            throw block.corrupt(what + ": unknown directory format version " + block.getUInt(VERSION));
        }
        DirectoryHeader h = new DirectoryHeader(block);
        long level = block.getUInt(LEVEL);
        long split = block.getUInt(SPLIT);
        if (level > MAX_LEVEL || split >= 1L << level) {
            throw block.corrupt(what + ": bad table shape (level " + level + ", split " + split + ")");
        }
        long count = h.count();
        long bytes = h.bytes();
        // Every entry takes between 19 and 273 bytes, so the two totals bound each other.
        if (count < 0 || count > MAX_ENTRIES || bytes < count * DirectoryBucket.MIN_ENTRY
                || bytes > count * DirectoryBucket.entrySize(DirectoryIndex.MAX_NAME)) {
            throw block.corrupt(what + ": entry count " + count + " does not fit entry bytes " + bytes);
        }
        long slots = h.slots();
        long free = block.getUInt(FREE_COUNT);
        long forgotten = h.forgotten();
        if (slots < 0 || slots > MAX_SLOTS || free > FREE_CAPACITY || forgotten < 0 || forgotten + free > slots) {
            throw block.corrupt(what + ": bad overflow bookkeeping (" + slots + " slots, " + free + " free)");
        }
        for (int i = 0; i < free; i++) {
            long slot = h.freeSlot(i);
            if (slot < 0 || slot >= slots) {
                throw block.corrupt(what + ": free overflow slot " + slot + " out of range");
            }
        }
        return h;
    }

    /** A writable header block that was checked through {@link #open} earlier in this operation. */
    static DirectoryHeader writable(Block block) {
        return new DirectoryHeader(block);
    }

    Block block() {
        return block;
    }

    void seal() {
        block.seal();
    }

    int level() {
        return block.getInt(LEVEL);
    }

    long split() {
        return block.getUInt(SPLIT);
    }

    long count() {
        return block.getLong(COUNT);
    }

    long bytes() {
        return block.getLong(BYTES);
    }

    /** Adds an entry of {@code size} bytes (negative to remove one) to the totals. */
    void account(int entries, long size) {
        block.putLong(COUNT, count() + entries);
        block.putLong(BYTES, bytes() + size);
    }

    long slots() {
        return block.getLong(SLOTS);
    }

    long forgotten() {
        return block.getLong(FORGOTTEN);
    }

    int freeSlots() {
        return block.getInt(FREE_COUNT);
    }

    long freeSlot(int i) {
        return block.getLong(FREE_STACK + 8 * i);
    }

    // ---- addressing --------------------------------------------------------------------------------

    /** Number of primary buckets, 2^L + S. */
    long buckets() {
        return (1L << level()) + split();
    }

    /** The 63-bit hash whose low bits address a bucket: the cookie bit-reversed (an involution on 63 bits). */
    static long hashOf(long cookie) {
        return Long.reverse(cookie) >>> 1;
    }

    /** The bucket that holds cookie {@code k}. */
    long bucketOf(long k) {
        long h = hashOf(k);
        int level = level();
        long b = h & ((1L << level) - 1);
        return b < split() ? h & ((1L << (level + 1)) - 1) : b;
    }

    /** How many low hash bits select bucket {@code b}: L+1 for buckets already split or made by a split. */
    private int bitsOf(long b) {
        int level = level();
        return b < split() || b >= 1L << level ? level + 1 : level;
    }

    /**
     * The first cookie bucket {@code b} can hold. A bucket holds the hashes whose low {@code bits} bits equal
     * {@code b}; reversed, those are the cookies whose top {@code bits} bits (of 63) are {@code b} reversed:
     * one interval.
     */
    long firstCookie(long b) {
        int bits = bitsOf(b);
        long prefix = bits == 0 ? 0 : Long.reverse(b) >>> (64 - bits);
        return prefix << (63 - bits);
    }

    /** The last cookie bucket {@code b} can hold. */
    long lastCookie(long b) {
        return firstCookie(b) | ((1L << (63 - bitsOf(b))) - 1);
    }

    // ---- growth ------------------------------------------------------------------------------------

    /** True unless the next split would put a bucket into the overflow area. */
    boolean canSplit() {
        return 1 + split() + (1L << level()) < DirectoryIndex.OVERFLOW_BASE;
    }

    /** The bucket made by splitting bucket S: S + 2^L. */
    long splitTarget() {
        return split() + (1L << level());
    }

    /** The cookie bit that decides, when bucket S splits, whether an entry moves: hash bit L. */
    long splitBit() {
        return 1L << (62 - level());
    }

    /** Records that bucket S has been split: S advances, and when a round completes the level grows. */
    void advanceSplit() {
        long split = split() + 1;
        if (split == 1L << level()) {
            block.putInt(LEVEL, level() + 1);
            split = 0;
        }
        block.putInt(SPLIT, (int) split);
    }

    // ---- overflow slots ----------------------------------------------------------------------------

    /**
     * Takes an overflow slot: the most recently freed one, else a new one.
     *
     * @throws FsException ENOSPC when the directory has used up its overflow area
     */
    long takeSlot() throws FsException {
        int free = freeSlots();
        if (free > 0) {
            block.putInt(FREE_COUNT, free - 1);
            long slot = freeSlot(free - 1);
            block.putLong(FREE_STACK + 8 * (free - 1), 0);
            return slot;
        }
        long slots = slots();
        if (slots >= MAX_SLOTS) {
            throw FsException.atOffset(Errno.ENOSPC, -1, "directory " + block.owner() + ": overflow area full");
        }
        block.putLong(SLOTS, slots + 1);
        return slots;
    }

    /** Gives back a slot whose block the caller has freed. */
    void releaseSlot(long slot) {
        long slots = slots();
        if (slot == slots - 1) {
            // The highest slot: shrink the counter, and with it any freed slots now at the top.
            slots--;
            while (slots > 0 && removeFree(slots - 1)) {
                slots--;
            }
            block.putLong(SLOTS, slots);
            return;
        }
        int free = freeSlots();
        if (free < FREE_CAPACITY) {
            block.putLong(FREE_STACK + 8 * free, slot);
            block.putInt(FREE_COUNT, free + 1);
        } else {
            block.putLong(FORGOTTEN, forgotten() + 1);
        }
    }

    /** Removes {@code slot} from the free stack if it is there. */
    private boolean removeFree(long slot) {
        int free = freeSlots();
        for (int i = 0; i < free; i++) {
            if (freeSlot(i) == slot) {
                block.move(FREE_STACK + 8 * (i + 1), FREE_STACK + 8 * i, 8 * (free - 1 - i));
                block.putLong(FREE_STACK + 8 * (free - 1), 0);
                block.putInt(FREE_COUNT, free - 1);
                return true;
            }
        }
        return false;
    }
}
