package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failure message says "seed S, persist point P"; that is only worth something if running seed S again
 * reaches the same persist P in the same state. This checks that a workload's persists (their sequence,
 * ranges and the call each falls in) are a function of the seed alone — not of timestamps, the random UUID
 * or the random directory-hash seed that formatting picks.
 */
class WorkloadReplayTest {
    @Test
    void sameSeedGivesSamePersistPoints() throws Exception {
        long seed = 2;
        List<String> first = trace(seed, 80);
        List<String> second = trace(seed, 80);
        assertTrue(first.size() > 100, "the workload persists: " + first.size());
        assertEquals(first.size(), second.size(), "persist count of seed " + seed);
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i), second.get(i), "persist point " + (i + 1) + " of seed " + seed);
        }
    }

    private static List<String> trace(long seed, int ops) throws Exception {
        Workload w = new Workload(seed, 16 * CrashTesting.MIB);
        List<String> out = new ArrayList<>();
        w.device.setHook((point, off, len) -> out.add(point + ": [" + off + ", +" + len + ") " + w.model.where()));
        try {
            for (int i = 0; i < ops; i++) {
                w.randomOp();
            }
        } finally {
            w.closeAll();
        }
        return out;
    }
}
