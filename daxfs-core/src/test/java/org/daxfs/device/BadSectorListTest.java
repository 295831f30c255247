package org.daxfs.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BadSectorListTest {
    private final BadSectorList list = new BadSectorList();

    private void assertRanges(long... offsetLengthPairs) {
        List<long[]> ranges = list.ranges();
        assertEquals(offsetLengthPairs.length / 2, ranges.size(), list.toString());
        for (int i = 0; i < ranges.size(); i++) {
            assertArrayEquals(new long[] {offsetLengthPairs[2 * i], offsetLengthPairs[2 * i + 1]}, ranges.get(i),
                    list.toString());
        }
    }

    @Test
    void emptyListTouchesNothing() {
        assertTrue(list.isEmpty());
        assertFalse(list.touches(0, Long.MAX_VALUE));
        assertEquals(-1, list.firstBad(0, 1 << 20));
        assertEquals(-1, list.firstPartlyCovered(1, 10));
        assertRanges();
    }

    @Test
    void addMarksEverySectorTouched() {
        list.add(600, 100); // sector 1 only
        assertRanges(512, 512);
        list.add(1023, 2); // sectors 1 and 2
        assertRanges(512, 1024);
        assertTrue(list.touches(1535, 1));
        assertFalse(list.touches(0, 512));
        assertFalse(list.touches(1536, 10));
        assertEquals(512, list.firstBad(0, 4096));
        assertEquals(700, list.firstBad(700, 10));
    }

    @Test
    void addMergesOverlappingAndAdjacentRanges() {
        list.add(0, 512);
        list.add(2048, 512);
        list.add(1024, 512);
        assertRanges(0, 512, 1024, 512, 2048, 512);
        list.add(512, 512); // fills the gap on the left: 0..1535 merges, 1536 still good
        assertRanges(0, 1536, 2048, 512);
        list.add(1536, 1); // adjacent on both sides
        assertRanges(0, 2560);
        list.add(100, 5000); // swallows everything
        assertRanges(0, 5120);
    }

    @Test
    void clearRemovesOnlyWhollyCoveredSectors() {
        list.add(0, 4096); // sectors 0..7
        list.clear(100, 1000); // covers sector 1 wholly (512..1023), sectors 0 and 2 partly
        assertRanges(0, 512, 1024, 3072);
        list.clear(2048, 1024); // sectors 4 and 5: splits the range
        assertRanges(0, 512, 1024, 1024, 3072, 1024);
        list.clear(0, 4096);
        assertTrue(list.isEmpty());
        assertFalse(list.touches(0, 4096));
    }

    @Test
    void partlyCoveredSectorsAreFoundAtEitherEnd() {
        list.add(1024, 512); // sector 2
        assertEquals(1100, list.firstPartlyCovered(1100, 100));
        assertEquals(1024, list.firstPartlyCovered(1000, 100));
        assertEquals(-1, list.firstPartlyCovered(1024, 512));
        assertEquals(-1, list.firstPartlyCovered(0, 2048));
        assertEquals(-1, list.firstPartlyCovered(0, 1000));
    }

    @Test
    void rejectsNegativeAndOverflowingRanges() {
        assertThrows(IllegalArgumentException.class, () -> list.add(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> list.add(10, -1));
        assertThrows(IllegalArgumentException.class, () -> list.clear(Long.MAX_VALUE, 10));
        list.add(0, 1);
        assertThrows(IllegalArgumentException.class, () -> list.touches(Long.MAX_VALUE - 1, 10));
    }

    @Test
    void zeroLengthRangesDoNothing() {
        list.add(512, 0);
        assertTrue(list.isEmpty());
        list.add(512, 512);
        assertFalse(list.touches(512, 0));
        list.clear(0, 0);
        assertFalse(list.isEmpty());
    }
}
