package org.daxfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MappingReportTest {
    @Test
    void faultRowsGiveTimePerPageAndPer2MiBAndSpeedAgainstTmpfs() {
        // 32 MiB per mapping: 8,192 pages, 16 units of 2 MiB. 500 mappings/s is 2,000 µs per mapping.
        assertEquals(32L << 20, FaultFixture.MAP_LENGTH, "the expectations below assume 32 MiB mappings");
        String report = new MappingReport(List.of(
                new Measured("mapTouchClose", "DAXFS_HUGE", 500, 10),
                new Measured("mapTouchClose", "TMPFS", 250, Double.NaN),
                new Measured("mapClose", "DAXFS_SMALL", 1000, 5),
                new Measured("sharedArenaOpenClose", null, 20_000, 100))).render();
        assertTrue(report.contains("| DaxFS, 2 MiB entries | map + touch + close | 500 | 10.00 | 2,000 | 244 | 125 | 2.00x |"), report);
        assertTrue(report.contains("| tmpfs FileChannel.map | map + touch + close | 250 |  | 4,000 | 488 | 250 | 1.00x |"), report);
        assertTrue(report.contains("| DaxFS, 4 KiB entries, contiguous blocks | map + close | 1,000 | 5.00 | 1,000 | 122 | 62.50 |  |"), report);
        assertTrue(report.contains("| shared arena, no mapping | open + close | 20,000 | 100 | 50.00 |  |  |  |"), report);
        assertFalse(report.contains("scattered"), "cases not run are left out");
        assertFalse(report.contains("Access"), "tables of benchmarks not run are left out");
    }

    @Test
    void bandwidthIsAgainstTheDeviceMappingOfTheSameAccess() {
        String report = new MappingReport(List.of(
                new Measured("mappedRead64m", "DAXFS", 300, 3),
                new Measured("mappedRead64m", "DEVICE", 400, 4),
                new Measured("mappedWrite64m", "TMPFS", 100, 1))).render();
        assertTrue(report.contains("| read (sum longs) | DaxFS mapping | 300 | 3.00 | 19,200 | 0.75x |"), report);
        assertTrue(report.contains("| read (sum longs) | device mapping (limit) | 400 | 4.00 | 25,600 | 1.00x |"), report);
        assertTrue(report.contains("| write (fill) | tmpfs FileChannel.map | 100 | 1.00 | 6,400 |  |"), report);
    }

    @Test
    void theReaderBesideAWriterIsAgainstTheSameReaderAlone() {
        String report = new MappingReport(List.of(
                new Measured("readerAlone", "DAXFS", 1_000_000, 1),
                new Measured("readerWithWriter", "DAXFS", 1_500_000, 2),
                new Measured("readBesideWriter4k", "DAXFS", 250_000, 2),
                new Measured("writeBesideReader4k", "DAXFS", 1_250_000, 2))).render();
        assertTrue(report.contains("| DaxFS | 1,000,000 | 1.00 | 250,000 | 2.00 | 1,250,000 | 0.25x |"), report);
        assertFalse(report.contains("| tmpfs |"), report);
    }

    @Test
    void nothingOfItsOwnRanIsEmpty() {
        MappingReport report = new MappingReport(List.of(new Measured("randomRead4k", "DAXFS", 1, 1)));
        assertTrue(report.isEmpty());
        assertEquals("", report.render());
    }
}
