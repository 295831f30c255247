package org.daxfs.format;

import java.util.Arrays;
import org.daxfs.FsException;

/**
 * One bucket block of a {@link DirectoryIndex} (a primary bucket or an overflow block of its chain): the
 * layout of its fields and entries, and the structural checks that make every later access in bounds.
 *
 * <pre>
 *   0  common header (magic DIR_BUCKET_MAGIC, crc32c, owner)
 *  16  u16 entry count
 *  18  u16 bytes used by entries
 *  20  u32 reserved, 0
 *  24  u64 next overflow logical block of the chain, 0 = end
 *  32  entries, packed, in no order: u64 cookie k, u64 inode, u8 type, u8 name length n, n name bytes
 * </pre>
 *
 * Not thread safe; see {@link DirectoryIndex} for the caller's context.
 */
final class DirectoryBucket {
    static final int COUNT = 16;
    static final int USED = 18;
    static final int RESERVED = 20;
    static final int NEXT = 24;
    static final int ENTRIES = 32;
    /** Bytes available for entries in one block. */
    static final int CAPACITY = Block.SIZE - ENTRIES;

    /** Entry field offsets, relative to the entry. */
    static final int E_COOKIE = 0;
    static final int E_INO = 8;
    static final int E_TYPE = 16;
    static final int E_LEN = 17;
    static final int E_NAME = 18;
    /** Size of an entry with a one-byte name; bounds the entry count of a block. */
    static final int MIN_ENTRY = E_NAME + 1;

    private final Block block;
    private final long logical;

    private DirectoryBucket(Block block, long logical) {
        this.block = block;
        this.logical = logical;
    }

    static int entrySize(int nameLength) {
        return E_NAME + nameLength;
    }

    /** Clears a writable block into an empty bucket of file {@code owner}. */
    static DirectoryBucket init(Block block, long logical, long owner) {
        block.init(DirectoryIndex.DIR_BUCKET_MAGIC, owner);
        return new DirectoryBucket(block, logical);
    }

    /** A writable block that was read and checked through {@link #open} earlier in this operation. */
    static DirectoryBucket writable(Block block, long logical) {
        return new DirectoryBucket(block, logical);
    }

    /**
     * Checks magic, CRC, owner and the layout of every entry, so that nothing read from the block later can
     * point outside it. The next pointer is only checked to be 0 or in the overflow area; the caller knows
     * how many overflow blocks exist.
     *
     * @throws FsException EUCLEAN if the block is damaged
     */
    static DirectoryBucket open(Block block, long logical, long owner) throws FsException {
        String what = "directory " + owner + " block " + logical;
        block.verify(DirectoryIndex.DIR_BUCKET_MAGIC, what);
        if (block.owner() != owner) {
            throw block.corrupt(what + ": belongs to inode " + block.owner());
        }
        int count = block.getShort(COUNT);
        int used = block.getShort(USED);
        if (block.getInt(RESERVED) != 0 || count > CAPACITY / MIN_ENTRY || used > CAPACITY) {
            throw block.corrupt(what + ": bad bucket header (count " + count + ", used " + used + ")");
        }
        long next = block.getLong(NEXT);
        if (next != 0 && next < DirectoryIndex.OVERFLOW_BASE) {
            throw block.corrupt(what + ": next overflow block " + next + " outside the overflow area");
        }
        int end = ENTRIES + used;
        int off = ENTRIES;
        for (int i = 0; i < count; i++) {
            if (off + E_NAME > end) {
                throw block.corrupt(what + ": entry " + i + " runs past the used bytes");
            }
            int len = block.getByte(off + E_LEN);
            if (len == 0 || off + E_NAME + len > end) {
                throw block.corrupt(what + ": entry " + i + " has a bad name length " + len);
            }
            if (block.getLong(off + E_COOKIE) <= 0) {
                throw block.corrupt(what + ": entry " + i + " has a bad cookie");
            }
            off += E_NAME + len;
        }
        if (off != end) {
            throw block.corrupt(what + ": " + (end - off) + " used bytes hold no entry");
        }
        return new DirectoryBucket(block, logical);
    }

    long logical() {
        return logical;
    }

    Block block() {
        return block;
    }

    int count() {
        return block.getShort(COUNT);
    }

    int used() {
        return block.getShort(USED);
    }

    int free() {
        return CAPACITY - used();
    }

    long next() {
        return block.getLong(NEXT);
    }

    void setNext(long next) {
        block.putLong(NEXT, next);
    }

    void seal() {
        block.seal();
    }

    // ---- entries, addressed by their byte offset in the block --------------------------------------

    /** Offset of the first entry; entries end at {@link #end()}. */
    int first() {
        return ENTRIES;
    }

    int end() {
        return ENTRIES + used();
    }

    int nextEntry(int off) {
        return off + entrySize(nameLength(off));
    }

    long cookie(int off) {
        return block.getLong(off + E_COOKIE);
    }

    long ino(int off) {
        return block.getLong(off + E_INO);
    }

    int type(int off) {
        return block.getByte(off + E_TYPE);
    }

    int nameLength(int off) {
        return block.getByte(off + E_LEN);
    }

    byte[] name(int off) {
        return Arrays.copyOfRange(block.data(), off + E_NAME, off + E_NAME + nameLength(off));
    }

    DirectoryIndex.Entry entry(int off) {
        return new DirectoryIndex.Entry(name(off), ino(off), type(off), cookie(off));
    }

    /** The entry's bytes, to move it to another block unchanged. */
    byte[] raw(int off) {
        return Arrays.copyOfRange(block.data(), off, nextEntry(off));
    }

    /** Offset of the entry with cookie {@code k} and this name, or -1. */
    int find(long k, byte[] name) {
        byte[] data = block.data();
        for (int off = first(), end = end(); off < end; off = nextEntry(off)) {
            // The stored cookie rules out nearly every other entry without comparing names.
            if (cookie(off) == k && nameLength(off) == name.length
                    && Arrays.equals(data, off + E_NAME, off + E_NAME + name.length, name, 0, name.length)) {
                return off;
            }
        }
        return -1;
    }

    /** Appends an entry; the caller has checked that {@link #free()} is enough. */
    void append(long k, long ino, int type, byte[] name) {
        int off = end();
        block.putLong(off + E_COOKIE, k);
        block.putLong(off + E_INO, ino);
        block.putByte(off + E_TYPE, type);
        block.putByte(off + E_LEN, name.length);
        block.putBytes(off + E_NAME, name, 0, name.length);
        grow(entrySize(name.length));
    }

    /** Appends an entry taken from {@link #raw}; the caller has checked that it fits. */
    void appendRaw(byte[] raw) {
        block.putBytes(end(), raw, 0, raw.length);
        grow(raw.length);
    }

    private void grow(int size) {
        block.putShort(USED, used() + size);
        block.putShort(COUNT, count() + 1);
    }

    /** Removes the entry at {@code off}, closing the gap so entries stay packed. */
    void remove(int off) {
        int size = entrySize(nameLength(off));
        int end = end();
        block.move(off + size, off, end - off - size);
        block.fill(end - size, size, 0);
        block.putShort(USED, used() - size);
        block.putShort(COUNT, count() - 1);
    }

    /** Points the entry at {@code off} at another inode. */
    void retarget(int off, long ino, int type) {
        block.putLong(off + E_INO, ino);
        block.putByte(off + E_TYPE, type);
    }
}
