package org.daxfs.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    @Test
    void ratiosAreAgainstTmpfsOfTheSameWorkloadAndTheCopyLimitSitsWithTheSequentialRows() {
        String table = new ResultTable(List.of(
                new Score(Workload.RANDOM_READ, Peer.TMPFS, 1000, Double.NaN),
                new Score(Workload.RANDOM_READ, Peer.DAXFS, 2500, 10),
                new Score(Workload.SEQUENTIAL_READ, Peer.TMPFS, 4000, Double.NaN),
                new Score(Workload.SEQUENTIAL_COPY, null, 10000, Double.NaN))).render();
        assertTrue(table.contains("| 4 KiB random read | DaxFS | 2,500 | 10.00 | 9.77 | 2.50x |"), table);
        assertTrue(table.contains("| 4 KiB random read | tmpfs | 1,000 |  | 3.91 | 1.00x |"), table);
        assertTrue(table.contains("| 1 MiB sequential read | memory copy (limit) | 10,000 |  | 10,000 | 2.50x |"), table);
        assertFalse(table.contains("sequential write"), "workloads not run are left out");
        assertFalse(table.contains("random offsets"), "limits not run are left out");
    }

    @Test
    void aCopyLimitRunAloneHasNoRatio() {
        String table = new ResultTable(List.of(new Score(Workload.SEQUENTIAL_COPY, null, 10000, Double.NaN))).render();
        assertTrue(table.contains("| 1 MiB memory copy | memory copy (limit) | 10,000 |  | 10,000 |  |"), table);
    }
}
