package org.daxfs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The self-describing data: every word decodes to the file, operation and offset it was written for. */
class PatternTest {
    @Test
    void wordsDecodeToWhatWroteThem() {
        Rng r = new Rng(3);
        for (int i = 0; i < 10_000; i++) {
            int file = 1 + r.below(Pattern.MAX_FILE_ID);
            long gen = r.below(Pattern.GENERATION_MASK + 1);
            long offset = r.below(1L << 31) & ~7L;
            long word = Pattern.word(file, gen, offset >>> 3);
            assertEquals(new Pattern.Origin(file, gen, offset), Pattern.decode(word));
            assertTrue(Pattern.belongs(word, file, offset));
            assertFalse(Pattern.belongs(word, file, offset + 8));
            assertFalse(Pattern.belongs(word, file % Pattern.MAX_FILE_ID + 1, offset));
            assertEquals(word, Rng.mix(Pattern.unmix(word)));
        }
    }

    @Test
    void fillMatchesByteAtForMisalignedRanges() {
        byte[] b = new byte[29];
        Pattern.fill(b, 0, 29, 7, 99, 1_000_003);
        for (int i = 0; i < b.length; i++) {
            assertEquals(Pattern.byteAt(7, 99, 1_000_003 + i), b[i]);
        }
        assertEquals(Pattern.word(7, 99, (1_000_003 + 5) / 8), Pattern.wordAt(b, 5));
    }

    @Test
    void zerosAndRandomWordsAreNotData() {
        assertNull(Pattern.decode(0));
        Rng r = new Rng(9);
        int accepted = 0;
        for (int i = 0; i < 100_000; i++) {
            if (Pattern.belongs(r.nextLong(), 1, 0)) {
                accepted++;
            }
        }
        assertEquals(0, accepted);
        int decoded = 0;
        for (int i = 0; i < 100_000; i++) {
            if (Pattern.decode(r.nextLong()) != null) {
                decoded++;
            }
        }
        assertTrue(decoded < 100_000 / 200, "garbage passes for data about once in 256: " + decoded);
    }

    @Test
    void provenanceNamesTheOperationAndOffset() {
        byte[] b = new byte[16];
        Pattern.fill(b, 0, 16, 2, 1234, 4096);
        assertEquals("data op #1234 wrote for this offset of file 2", Provenance.describe(b, 4096, 3));
        assertEquals("data op #1234 wrote for offset 4096 of file 2", Provenance.describe(b, 8192, 0));
        assertEquals("zeros", Provenance.describe(new byte[8], 0, 0));
        assertNull(Provenance.describe(new byte[7], 0, 0));
    }
}
