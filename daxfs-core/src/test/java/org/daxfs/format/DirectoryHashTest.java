package org.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The name hash, cookies, and the addressing arithmetic that makes each bucket one cookie interval. */
class DirectoryHashTest {
    /** The reference vectors of SipHash-2-4: key 00..0f, message 00..n-1. */
    private static final long[] VECTORS = {
        0x726fdb47dd0e0e31L, 0x74f839c593dc67fdL, 0x0d6c8009d9a94f5aL, 0x85676696d7fb7e2dL,
        0xcf2794e0277187b7L, 0x18765564cd99a68dL, 0xcbc9466e58fee3ceL, 0xab0200f58b01d137L,
        0x93f5f5799a932462L, 0x9e0082df0ba9e4b0L, 0x7a5dbbc594ddb9f3L, 0xf4b32f46226bada7L,
        0x751e8fbc860ee5fbL, 0x14ea5627c0843d90L, 0xf723ca908e7af2eeL, 0xa129ca6149be45e5L,
        0x3f2acc7f57c29bdbL, 0x699ae9f52cbe4794L, 0x4bc1b3f0968dd39cL, 0xbb6dc91da77961bdL,
    };

    @Test
    void sipHashMatchesReferenceVectors() {
        byte[] message = new byte[64];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) i;
        }
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        for (int n = 0; n < VECTORS.length; n++) {
            assertEquals(VECTORS[n], NameHash.sipHash24(k0, k1, message, 0, n), "length " + n);
        }
        assertEquals(0x958a324ceb064572L, NameHash.sipHash24(k0, k1, message, 0, 63));
    }

    @Test
    void seedChangesEveryHash() {
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            byte[] name = DirectoryModelTest.randomName(r);
            assertNotEquals(NameHash.of(1, name), NameHash.of(2, name));
        }
    }

    @Test
    void cookieIsThe63BitReversalAndNeverZero() {
        assertEquals(1, DirectoryIndex.cookieOf(0));
        assertEquals(1, DirectoryIndex.cookieOf(Long.MIN_VALUE)); // bit 63 is not part of the cookie
        assertEquals(1L << 62, DirectoryIndex.cookieOf(1));
        assertEquals(Long.MAX_VALUE, DirectoryIndex.cookieOf(-1));
        Random r = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            long h = r.nextLong();
            long k = DirectoryIndex.cookieOf(h);
            assertTrue(k > 0);
            if (k != 1) {
                assertEquals(h & Long.MAX_VALUE, DirectoryHeader.hashOf(k));
            }
        }
    }

    /** For every table shape, the buckets in interval order tile all cookies, and each cookie's bucket holds it. */
    @Test
    void bucketsTileTheCookieSpace() {
        Random r = new Random(3);
        for (int level = 0; level <= 8; level++) {
            for (long split = 0; split < 1L << level; split++) {
                DirectoryHeader h = header(level, split);
                long k = 1;
                long seen = 0;
                while (true) {
                    long b = h.bucketOf(k);
                    assertTrue(b >= 0 && b < h.buckets());
                    assertEquals(k == 1 ? 0 : k, h.firstCookie(b), "bucket " + b + " does not start at " + k);
                    long last = h.lastCookie(b);
                    seen++;
                    if (last == Long.MAX_VALUE) {
                        break;
                    }
                    k = last + 1;
                }
                assertEquals(h.buckets(), seen, "level " + level + " split " + split);
                for (int i = 0; i < 200; i++) {
                    long c = 1 + (r.nextLong() >>> 1) % (Long.MAX_VALUE - 1);
                    long b = h.bucketOf(c);
                    assertTrue(h.firstCookie(b) <= c && c <= h.lastCookie(b));
                }
            }
        }
        DirectoryHeader top = header(DirectoryHeader.MAX_LEVEL, (1L << DirectoryHeader.MAX_LEVEL) - 1);
        assertEquals(DirectoryIndex.OVERFLOW_BASE - 1, top.buckets());
        assertFalse(top.canSplit());
    }

    @Test
    void splittingMovesExactlyTheEntriesTheNewShapeAddressesElsewhere() {
        Random r = new Random(4);
        for (int level = 0; level <= 10; level++) {
            long split = level == 0 ? 0 : r.nextLong(1L << level);
            DirectoryHeader before = header(level, split);
            DirectoryHeader after = header(level, split);
            after.advanceSplit();
            for (int i = 0; i < 1000; i++) {
                long k = 1 + (r.nextLong() >>> 1) % (Long.MAX_VALUE - 1);
                long b = before.bucketOf(k);
                long a = after.bucketOf(k);
                if (b != split) {
                    assertEquals(b, a);
                } else {
                    assertEquals((k & before.splitBit()) != 0 ? before.splitTarget() : split, a);
                }
            }
        }
    }

    private static DirectoryHeader header(int level, long split) {
        Block b = Block.zeroed(0);
        DirectoryHeader h = DirectoryHeader.init(b, 9);
        b.putInt(DirectoryHeader.LEVEL, level);
        b.putInt(DirectoryHeader.SPLIT, (int) split);
        return h;
    }
}
