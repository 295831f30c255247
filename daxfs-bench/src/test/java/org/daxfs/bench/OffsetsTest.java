package org.daxfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OffsetsTest {
    @Test
    void randomOffsetsAreAlignedInBoundsAndTheSameEveryTime() {
        Offsets a = Offsets.random(FileFixture.FILE_SIZE, RandomIoBenchmark.IO_SIZE);
        Offsets b = Offsets.random(FileFixture.FILE_SIZE, RandomIoBenchmark.IO_SIZE);
        for (int i = 0; i < a.length(); i++) {
            long offset = a.next();
            assertEquals(offset, b.next(), "every peer must see the same sequence");
            assertEquals(0, offset % RandomIoBenchmark.IO_SIZE);
            assertTrue(offset >= 0 && offset + RandomIoBenchmark.IO_SIZE <= FileFixture.FILE_SIZE);
        }
    }

    @Test
    void sequentialOffsetsWalkTheFileAndWrap() {
        Offsets s = Offsets.sequential(4 << 20, 1 << 20);
        assertEquals(4, s.length());
        for (long expected : new long[] {0, 1 << 20, 2 << 20, 3 << 20, 0}) {
            assertEquals(expected, s.next());
        }
    }

    @Test
    void refusesAnIoLargerThanTheFile() {
        assertThrows(IllegalArgumentException.class, () -> Offsets.random(100, 4096));
    }

    @Test
    void randomOffsetsOfARangeStayInIt() {
        Offsets o = Offsets.random(8L << 20, 4L << 20, 4096);
        for (int i = 0; i < o.length(); i++) {
            long offset = o.next();
            assertEquals(0, offset % 4096);
            assertTrue(offset >= 8L << 20 && offset + 4096 <= 12L << 20, "offset " + offset);
        }
        assertThrows(IllegalArgumentException.class, () -> Offsets.random(100, 8192, 4096), "an unaligned base");
    }
}
