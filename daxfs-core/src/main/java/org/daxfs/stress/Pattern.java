package org.daxfs.stress;

/**
 * The bytes every write of the checker puts into a file: a function of the file, the generation (the
 * number of the operation that wrote them) and the offset. Each aligned 8-byte word at file offset
 * {@code 8w} holds {@code scramble(file, generation, w)}, little-endian, so
 *
 * <ul>
 *   <li>any byte can be regenerated from where it should be, without keeping the data;
 *   <li>a whole word read back can be decoded: it tells which file, which operation and which offset it
 *       was written for. That is how a reader that may see old or new data still recognises foreign bytes
 *       (another file's, or another offset's), and how a miscompare report says where bad bytes came from;
 *   <li>the scramble (a bijection) makes the bytes look random, so a shifted or mixed-up copy never looks
 *       right by accident.
 * </ul>
 *
 * Stateless and thread safe.
 */
final class Pattern {
    /** Files are numbered from 1; 0 never appears, so a zero word always reads as "no data". */
    static final int MAX_FILE_ID = 255;
    static final int GENERATION_BITS = 20;
    static final long GENERATION_MASK = (1L << GENERATION_BITS) - 1;
    /** Word numbers wrap at 2^28: offsets are told apart within 2 GiB, beyond the largest --max-size. */
    private static final int WORD_BITS = 28;
    static final long WORD_MASK = (1L << WORD_BITS) - 1;
    private static final int FILE_SHIFT = GENERATION_BITS + WORD_BITS;
    /**
     * The top byte of every unscrambled word. Anything else decodes to nothing: a word mixed from two
     * writes, or garbage, passes for data only once in 256 times.
     */
    private static final long MAGIC = 0xdaL;

    private static final long M1 = 0xbf58476d1ce4e5b9L;
    private static final long M2 = 0x94d049bb133111ebL;
    private static final long M1_INVERSE = inverse(M1);
    private static final long M2_INVERSE = inverse(M2);

    private Pattern() {
    }

    /** What a word written by one operation decodes to. */
    record Origin(int fileId, long generation, long fileOffset) {
    }

    /** The word at file offset {@code 8 * wordIndex}. */
    static long word(int fileId, long generation, long wordIndex) {
        long plain = (MAGIC << 56) | ((long) fileId << FILE_SHIFT)
                | ((generation & GENERATION_MASK) << WORD_BITS) | (wordIndex & WORD_MASK);
        return Rng.mix(plain);
    }

    /** The byte that a write of {@code (fileId, generation)} puts at {@code fileOffset}. */
    static byte byteAt(int fileId, long generation, long fileOffset) {
        return (byte) (word(fileId, generation, fileOffset >>> 3) >>> ((fileOffset & 7) * 8));
    }

    /** Fills {@code dst[from, from+length)} with the bytes that belong at file offsets {@code [fileOffset, ...)}. */
    static void fill(byte[] dst, int from, int length, int fileId, long generation, long fileOffset) {
        int i = 0;
        while (i < length) {
            long off = fileOffset + i;
            long w = word(fileId, generation, off >>> 3);
            int shift = (int) (off & 7);
            int n = Math.min(8 - shift, length - i);
            for (int k = 0; k < n; k++) {
                dst[from + i + k] = (byte) (w >>> ((shift + k) * 8));
            }
            i += n;
        }
    }

    /** Reads the little-endian word at {@code b[at, at+8)}. */
    static long wordAt(byte[] b, int at) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (b[at + k] & 0xff);
        }
        return v;
    }

    /**
     * Decodes a word, or returns null if it is zero or no write of the checker could have produced it (no
     * magic, or no file).
     */
    static Origin decode(long word) {
        if (word == 0) {
            return null;
        }
        long plain = unmix(word);
        int fileId = (int) ((plain >>> FILE_SHIFT) & 0xff);
        if (plain >>> 56 != MAGIC || fileId < 1) {
            return null;
        }
        long generation = (plain >>> WORD_BITS) & GENERATION_MASK;
        return new Origin(fileId, generation, (plain & WORD_MASK) << 3);
    }

    /** True if {@code word} at file offset {@code fileOffset} (a multiple of 8) was written for that offset of {@code fileId}. */
    static boolean belongs(long word, int fileId, long fileOffset) {
        Origin o = decode(word);
        return o != null && o.fileId() == fileId && o.fileOffset() == (fileOffset & (WORD_MASK << 3));
    }

    /** The inverse of {@link Rng#mix}. */
    static long unmix(long z) {
        z = unshift(z, 31);
        z *= M2_INVERSE;
        z = unshift(z, 27);
        z *= M1_INVERSE;
        return unshift(z, 30);
    }

    // Undoes z ^= z >>> s: the top s bits are right already, each step recovers s more.
    private static long unshift(long z, int s) {
        long x = z;
        for (int done = s; done < 64; done += s) {
            x = z ^ (x >>> s);
        }
        return x;
    }

    // Newton's iteration for the inverse of an odd number modulo 2^64: each step doubles the correct bits.
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }
}
