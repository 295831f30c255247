package org.daxfs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.daxfs.cache.PageCache;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short run of every mode on a fresh image: every operation agrees with the model, and after the run every
 * file matches its model before and after a remount, fsck finds the image clean, and removing the files
 * gives every block back. {@code -Ddaxfs.test.scale=N} makes the runs N times longer.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class StressModesTest {
    private static final long OPS = 40_000L * StressTesting.scale();

    @Test
    void singleFile() throws Exception {
        StressResult r = run(StressOptions.defaults().withSeed(11).withOps(OPS));
        assertEveryOperationRan(r, Mode.SINGLE);
    }

    @Test
    void threadsOnFilesOfTheirOwn() throws Exception {
        StressResult r = run(StressOptions.defaults().withSeed(12).withMode(Mode.MULTI, 4).withOps(OPS));
        assertEveryOperationRan(r, Mode.MULTI);
    }

    @Test
    void manySmallFilesOutgrowTheirSizeAndAreCutBack() throws Exception {
        run(StressOptions.defaults().withSeed(14).withMode(Mode.MULTI, 8).withMaxFileSize(64 << 10).withVerifyEvery(50)
                .withOps(OPS / 2));
    }

    @Test
    void readersOfAFileThatIsCutAndRegrownUnderThem() throws Exception {
        StressResult r = run(StressOptions.defaults().withSeed(13).withMode(Mode.DISRUPT, 3).withOps(OPS));
        assertEveryOperationRan(r, Mode.DISRUPT);
    }

    @Test
    void disruptorAloneWithItsDaxFlipsAndManyReaders() throws Exception {
        run(StressOptions.defaults().withSeed(15).withMode(Mode.DISRUPT, 6).withMaxFileSize(1 << 20)
                .withMix(Map.of("shared-read", 2000)).withOps(OPS / 2));
    }

    // ---- files that are not DAX: dax=never with the smallest cache, so pages are evicted all the time ---


    private static StressOptions cached(StressOptions o) {
        return o.withDax(DaxMode.NEVER).withCacheBytes(PageCache.MIN_BYTES);
    }

    @Test
    void singleCachedFile() throws Exception {
        StressResult r = run(cached(StressOptions.defaults().withSeed(21).withOps(OPS)));
        assertEveryOperationRan(r, Mode.SINGLE);
        assertTrue(r.cacheEvictions() > 0, "the cache was too small for the files");
    }

    @Test
    void threadsOnCachedFilesOfTheirOwn() throws Exception {
        StressResult r = run(cached(StressOptions.defaults().withSeed(22).withMode(Mode.MULTI, 4).withOps(OPS)));
        assertEveryOperationRan(r, Mode.MULTI);
        assertTrue(r.cacheEvictions() > 0, "the cache was too small for the files");
    }

    @Test
    void readersOfACachedFileThatIsCutAndRegrownUnderThem() throws Exception {
        StressResult r = run(cached(StressOptions.defaults().withSeed(23).withMode(Mode.DISRUPT, 3).withOps(OPS)));
        assertEveryOperationRan(r, Mode.DISRUPT);
        assertTrue(r.cacheEvictions() > 0, "the cache was too small for the files");
    }

    @Test
    void flipsSwitchAFileBetweenDaxAndTheCache() throws Exception {
        StressResult r = run(StressOptions.defaults().withSeed(24).withMix(Map.of("dax-flip", 300)).withOps(OPS / 2));
        assertEveryOperationRan(r, Mode.SINGLE);
    }

    @Test
    void withDaxAlwaysFlipsChangeNoFilesMode() throws Exception {
        StressResult r = run(StressOptions.defaults().withSeed(25).withDax(DaxMode.ALWAYS).withMix(Map.of("dax-flip", 300))
                .withOps(OPS / 4));
        assertEquals(0, r.cacheEvictions(), "nothing is cached");
    }

    @Test
    void progressIsReportedUpToTheTotal() throws Exception {
        List<long[]> calls = new java.util.ArrayList<>();
        try (Device device = StressTesting.formatted(64)) {
            StressOptions o = StressOptions.defaults().withSeed(16).withMode(Mode.MULTI, 2).withMaxFileSize(256 << 10)
                    .withOps(1000);
            StressRun.run(device, o, (done, total) -> calls.add(new long[] {done, total}));
        }
        assertEquals(4, calls.size(), "every 256 operations, and at the end");
        for (int i = 0; i < calls.size(); i++) {
            assertEquals(i == 3 ? 1000 : 256L * (i + 1), calls.get(i)[0]);
            assertEquals(1000, calls.get(i)[1]);
        }
    }

    private static StressResult run(StressOptions options) throws Exception {
        try (Device device = StressTesting.formatted(256)) {
            StressResult r = StressRun.run(device, options, StressListener.none());
            assertTrue(r.passed(), () -> r.failure().format());
            assertEquals(options.ops(), r.opsDone());
            assertEquals(options.ops(), r.counts().values().stream().mapToLong(Long::longValue).sum());
            assertEquals(List.of("every file matches its model", "fsck after the run: clean",
                    "every file matches its model after unmounting and mounting again"), r.checks().subList(0, 3));
            assertTrue(r.checks().get(3).startsWith("space: all blocks given back"), r.checks().toString());
            assertEquals("fsck after removing the files: clean", r.checks().get(4));
            return r;
        }
    }

    private static void assertEveryOperationRan(StressResult r, Mode mode) {
        for (OperationType t : Operations.TABLE) {
            if (t.modes().contains(mode)) {
                assertTrue(r.counts().getOrDefault(t.name(), 0L) > 0, t.name() + " never ran: " + r.counts());
            }
        }
    }
}
