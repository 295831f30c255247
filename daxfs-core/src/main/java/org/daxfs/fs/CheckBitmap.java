package org.daxfs.fs;

import org.daxfs.FsException;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;

/**
 * The free-space bitmap as the image holds it: each bitmap block's magic, CRC, covered range and padding
 * (bits past the end of the device are set) are checked, and the bits of the sound blocks are loaded a
 * word at a time. Bitmap block {@code i} covers exactly words {@code [i * WORDS, (i+1) * WORDS)} of the
 * bit array, since a block holds a whole number of 64-bit words.
 *
 * <p>Also encodes the bitmap blocks that repair writes, from a computed bit array.
 *
 * <p>Locking: none; one fsck thread on an unmounted image.
 */
final class CheckBitmap {
    /** 64-bit words of bits in one bitmap block. */
    static final int WORDS = (int) (Allocator.BITS_PER_BLOCK / 64);

    private final long total;
    private final long blocks;
    private final long start;
    private final long[] words;
    private final boolean[] sound;
    private boolean allSound = true;

    private CheckBitmap(Superblock sb) {
        this.total = sb.totalBlocks();
        this.blocks = sb.bitmapBlocks();
        this.start = sb.bitmapStart();
        this.words = new long[wordsFor(sb)];
        this.sound = new boolean[(int) blocks];
    }

    /** Words of a bit array covering every bitmap block of the image (padding included). */
    static int wordsFor(Superblock sb) {
        return (int) (sb.bitmapBlocks() * WORDS);
    }

    /** Reads and checks every bitmap block, reporting each damaged one. */
    static CheckBitmap read(MetadataBlocks view, Superblock sb, FsckFindings findings, FsckProgress.Span progress)
            throws FsException {
        CheckBitmap bm = new CheckBitmap(sb);
        for (int i = 0; i < bm.blocks; i++) {
            bm.load(view, i, findings);
            if ((i & 63) == 0) {
                progress.at(i, bm.blocks);
            }
        }
        progress.done();
        return bm;
    }

    private void load(MetadataBlocks view, int i, FsckFindings findings) throws FsException {
        String name = "bitmap block " + i + " (block " + (start + i) + ")";
        Block b = view.read(start + i);
        String problem = null;
        if (b.magic() != Allocator.BITMAP_MAGIC) {
            problem = "bad magic 0x" + Integer.toHexString(b.magic());
        } else if (b.getInt(Block.CRC) != Block.crcOf(b.data(), Block.CRC)) {
            problem = "checksum mismatch";
        } else if (b.getLong(Block.HEADER_END) != i * Allocator.BITS_PER_BLOCK) {
            problem = "covers blocks from " + b.getLong(Block.HEADER_END) + " instead of " + i * Allocator.BITS_PER_BLOCK;
        }
        if (problem != null) {
            findings.problem(name + ": " + problem);
            allSound = false;
            return;
        }
        int base = i * WORDS;
        for (int k = 0; k < WORDS; k++) {
            words[base + k] = b.getLong(Allocator.BITS_OFFSET + 8 * k);
        }
        long padding = paddingMissing(i);
        if (padding >= 0) {
            findings.problem(name + ": block " + padding + " past the end of the device is not marked in use");
            allSound = false;
            return;
        }
        sound[i] = true;
    }

    /** The first bit past the end of the device that block {@code i} leaves clear, or -1. */
    private long paddingMissing(int i) {
        long first = (long) i * Allocator.BITS_PER_BLOCK;
        for (long blk = Math.max(first, total); blk < first + Allocator.BITS_PER_BLOCK; blk++) {
            if (!isSet(words, blk)) {
                return blk;
            }
        }
        return -1;
    }

    /** True if every bitmap block is sound, so the bits are the whole truth. */
    boolean allSound() {
        return allSound;
    }

    /** True if the bitmap block that covers {@code blk} is sound. */
    boolean isKnown(long blk) {
        return sound[(int) (blk / Allocator.BITS_PER_BLOCK)];
    }

    /** True if the bitmap block that covers word {@code w} is sound. */
    boolean isWordKnown(int w) {
        return sound[w / WORDS];
    }

    /** The loaded bits (zeros where a block is damaged); the caller must not change them. */
    long[] words() {
        return words;
    }

    /** Free blocks by the bitmap; meaningful only when {@link #allSound()}. */
    long freeCount() {
        long used = 0;
        for (long w : words) {
            used += Long.bitCount(w);
        }
        long padding = blocks * Allocator.BITS_PER_BLOCK - total;
        return total - (used - padding);
    }

    long blocks() {
        return blocks;
    }

    long start() {
        return start;
    }

    static boolean isSet(long[] words, long blk) {
        return (words[(int) (blk >>> 6)] & (1L << blk)) != 0;
    }

    /** Bitmap block {@code i} holding {@code bits} (blocks past the end of the device set), sealed. */
    static Block encode(long bitmapStart, long total, int i, long[] bits) {
        Block b = Block.zeroed(bitmapStart + i);
        b.init(Allocator.BITMAP_MAGIC, 0);
        long first = (long) i * Allocator.BITS_PER_BLOCK;
        b.putLong(Block.HEADER_END, first);
        int base = i * WORDS;
        for (int k = 0; k < WORDS; k++) {
            long word = bits[base + k];
            long wordFirst = first + 64L * k;
            if (wordFirst + 64 > total) {
                // Bits past the end of the device are set, as the allocator writes them.
                word |= wordFirst >= total ? -1L : -1L << (total - wordFirst);
            }
            b.putLong(Allocator.BITS_OFFSET + 8 * k, word);
        }
        b.seal();
        return b;
    }
}
