package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Crash at every persist point of seeded mixed workloads (see {@link Workload} for the mix, {@link FileModel}
 * for what a crash may leave of a file, {@link Namespace} for names). After each crash: fsck is clean,
 * mount succeeds, the namespace is the one before or after the interrupted call (renames whole), fsynced
 * files are exact, no byte comes from anywhere but this file's own writes or zeros, the image takes new
 * writes and survives a remount.
 *
 * <p>At scale 1 (CI) a few short workloads run, every persist point checked; -Ddaxfs.test.scale=N runs
 * longer workloads, more seeds and denser random-subset crashes. -Ddaxfs.test.seed=S replays one seed.
 */
class WorkloadCrashTest {
    private static final long[] CI_SEEDS = {1, 2, 3};

    @Test
    void crashAtEveryPersistPointOfMixedWorkloads() throws Exception {
        int scale = CrashTesting.scale();
        Long one = CrashTesting.seedOverride();
        List<Long> seeds = new ArrayList<>();
        if (one != null) {
            seeds.add(one);
        } else {
            for (long s : CI_SEEDS) {
                seeds.add(s);
            }
            for (int i = 1; i < scale; i++) {
                seeds.add(1000L + i);
            }
        }
        int ops = 120 * scale;
        for (long seed : seeds) {
            runSeed(seed, ops);
        }
    }

    static void runSeed(long seed, int ops) throws Exception {
        long t0 = System.nanoTime();
        Workload w = new Workload(seed, 16 * CrashTesting.MIB);
        CrashPoints points = new CrashPoints(w, seed);
        try {
            points.runRandomOps(ops);
        } finally {
            w.closeAll();
        }
        System.out.printf("crash workload seed %d: %d ops, %d persist points, %s; %.1f s%n  ops: %s%n", seed, ops,
                points.checkedPoints(), points.stats, (System.nanoTime() - t0) / 1e9, new TreeMap<>(w.counts));
        assertTrue(points.stats.exactFiles > 0, "some crash image held an fsynced, unchanged file");
        assertTrue(points.stats.matchedAfter > 0, "some crash image showed an interrupted call's effect");
    }
}
