package org.daxfs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A run is a function of its seed: the same seed gives the same operations, thread by thread, and the same failure. */
class ReplayTest {
    private static StressOptions options(Mode mode) {
        StressOptions o = StressOptions.defaults().withSeed(4242).withOps(1500);
        return switch (mode) {
            case SINGLE -> o;
            case MULTI -> o.withMode(mode, 3);
            case DISRUPT -> o.withMode(mode, 3);
            // Its workers draw from the model of a file they all change: what they draw depends on how they interleave.
            case FLIP -> throw new IllegalArgumentException("flip mode does not replay exactly");
        };
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "FLIP", mode = EnumSource.Mode.EXCLUDE)
    void theSameSeedGivesTheSameOperations(Mode mode) throws Exception {
        StressOptions o = options(mode);
        Map<Integer, List<String>> first = trace(o);
        assertEquals(o.threads(), first.size());
        assertSameOperations(first, trace(o));
        assertNotEquals(first.get(0).getFirst(), trace(o.withSeed(4243)).get(0).getFirst());
    }

    /**
     * With mapped reads and writes weighted up: the held mapping's reads, revocations included, and the
     * readers' mapped reads of the shared file replay too.
     */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "FLIP", mode = EnumSource.Mode.EXCLUDE)
    void theSameSeedGivesTheSameMappedOperations(Mode mode) throws Exception {
        StressOptions o = options(mode).withMix(new java.util.TreeMap<>(Map.of("map-read", 500, "map-write", 500)));
        Map<Integer, List<String>> first = trace(o);
        assertSameOperations(first, trace(o));
        List<String> lines = first.values().stream().flatMap(List::stream).toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("#\\d+ map-write .* -> \\d+")), "a map-write stored");
        assertTrue(lines.stream().anyMatch(l -> l.matches("#\\d+ map-read .* -> ENXIO")), "a map-read past EOF");
        assertTrue(lines.stream().anyMatch(l -> l.matches("#\\d+ map-read .* through the held mapping -> \\d+ bytes")),
                "a read through the held mapping");
        assertTrue(lines.stream().anyMatch(l -> l.matches("#\\d+ map-read .* through the held mapping -> revoked")),
                "a held mapping found revoked");
        if (mode == Mode.DISRUPT) {
            assertTrue(lines.stream().anyMatch(l -> l.matches("#\\d+ shared-read mapped .*")), "a mapped shared read");
        }
    }

    @Test
    void fewerOperationsReplayAPrefix() throws Exception {
        assertSameOperations(trace(options(Mode.SINGLE)), trace(options(Mode.SINGLE).withOps(400)));
    }

    @Test
    void checkingMoreOftenChangesNoOperation() throws Exception {
        assertSameOperations(trace(options(Mode.MULTI)), trace(options(Mode.MULTI).withVerifyEvery(7)));
    }

    /**
     * Each thread did the same operations in both runs, with the same answers, as far as both got: a run that
     * stops at a failure stops its other threads wherever they are, and a shorter run stops earlier.
     */
    private static void assertSameOperations(Map<Integer, List<String>> a, Map<Integer, List<String>> b) {
        assertEquals(a.keySet(), b.keySet());
        for (int thread : a.keySet()) {
            List<String> x = a.get(thread);
            List<String> y = b.get(thread);
            int common = Math.min(x.size(), y.size());
            assertTrue(common > 0, "thread " + thread + " did nothing");
            assertEquals(x.subList(0, common), y.subList(0, common), "thread " + thread);
        }
    }

    @Test
    void theSameSeedGivesTheSameFailure() throws Exception {
        String first = failure();
        assertTrue(first.startsWith("MISCOMPARE at op #"), first);
        assertEquals(first, failure());
    }

    private static String failure() throws Exception {
        UnaryOperator<TestedFile> flipEvery100thRead = file -> new ForwardingFile(file) {
            private int reads;

            @Override
            public int read(ByteBuffer dst, long position) throws FsException {
                int start = dst.position();
                int n = inner.read(dst, position);
                if (++reads % 100 == 0 && n > 0) {
                    dst.put(start, (byte) ~dst.get(start));
                }
                return n;
            }
        };
        try (Device device = StressTesting.formatted(256)) {
            StressResult r = StressRun.run(device, options(Mode.SINGLE), StressListener.none(), flipEvery100thRead);
            assertFalse(r.passed());
            return r.failure().format();
        }
    }

    /** Every thread's operation lines; the run may fail (the engine is not under test here, the checker is). */
    private static Map<Integer, List<String>> trace(StressOptions o) throws Exception {
        try (Device device = StressTesting.formatted(256)) {
            Trace trace = new Trace();
            StressRun.run(device, o, trace);
            return trace.lines;
        }
    }
}
