package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The mixed workload on a device kept full: preallocations take whatever room there is, so writes stop
 * short or fail with ENOSPC, preallocations stop part-way, and space comes back only through unlink and
 * truncate. These are the paths where a call gives up half-way (aborted transactions, reservations given
 * back, in-memory records restored); crashed at every persist point they must leave the same guarantees as
 * the ordinary workload (see {@link WorkloadCrashTest}).
 */
class FullDeviceCrashTest {
    private static final long SEED = 81;

    @Test
    void crashAtEveryPersistPointOnAFullDevice() throws Exception {
        Long one = CrashTesting.seedOverride();
        long seed = one != null ? one : SEED;
        int ops = 100 * CrashTesting.scale();
        Workload w = new Workload(seed, 16 * CrashTesting.MIB);
        w.fillsDevice = true;
        CrashPoints points = new CrashPoints(w, seed);
        try {
            int fill = w.create("/fill", false);
            w.allocate(fill, 0, 64L << 20, true); // more than the device: ENOSPC once it is full
            assertTrue(w.fs.statfs().availableBlocks() < 8, "the device is full: " + w.fs.statfs().availableBlocks());
            points.runRandomOps(ops);
        } finally {
            w.closeAll();
        }
        System.out.printf("crash workload on a full device, seed %d: %d ops, %d persist points, %s%n  ops: %s%n", seed, ops,
                points.checkedPoints(), points.stats, new TreeMap<>(w.counts));
        int enospc = w.counts.entrySet().stream().filter(e -> e.getKey().contains("ENOSPC")).mapToInt(e -> e.getValue()).sum();
        assertTrue(enospc >= 5, "the device was full often enough to matter: " + w.counts);
    }
}
