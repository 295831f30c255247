package org.daxfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.daxfs.bench.report.Key;
import org.daxfs.bench.report.Measurement;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * JMH's results as the report's measurements, from real, tiny JMH runs in this JVM (no fork, a few
 * iterations of a few milliseconds): every iteration a repetition, in operations per second.
 */
class JmhMeasurementsTest {
    @Test
    void scoresOfEveryUnitBecomeOperationsPerSecond() {
        assertEquals(5, JmhMeasurements.opsPerSecond(5, "ops/s"));
        assertEquals(5000, JmhMeasurements.opsPerSecond(5, "ops/ms"), 1e-9);
        assertEquals(0.5, JmhMeasurements.opsPerSecond(2, "s/op"));
        assertEquals(250, JmhMeasurements.opsPerSecond(4, "ms/op"), 1e-9);
        assertEquals(1e6, JmhMeasurements.opsPerSecond(1, "us/op"), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> JmhMeasurements.opsPerSecond(1, "ops/fortnight"));
        assertThrows(IllegalArgumentException.class, () -> JmhMeasurements.opsPerSecond(1, "furlongs"));
    }

    @Test
    void eachIterationOfAThroughputBenchmarkIsARepetition() throws Exception {
        Map<Key, Measurement> m = run("SequentialIoBenchmark.memoryCopy1m", Map.of());
        Measurement copy = m.get(Key.of("memoryCopy1m"));
        assertEquals(3, copy.opsPerSecond().size(), m::toString);
        assertTrue(copy.median() > 10, "copies of 1 MiB per second: " + copy);
    }

    @Test
    void aSingleShotPassOverADirectoryCountsItsEntries() throws Exception {
        Map<Key, Measurement> m = run("LargeDirectoryBenchmark.lookupEntries", Map.of("peer", "JIMFS", "entries", "200"));
        Measurement lookups = m.get(Key.of("lookupEntries", "JIMFS"));
        assertEquals(3, lookups.opsPerSecond().size(), m::toString);
        // A pass of 200 stats of an in-heap file system: far more than 200 entries a second, unlike the passes.
        assertTrue(lookups.median() > 200, "entries per second: " + lookups);
    }

    @Test
    void aThreadGroupGivesAMeasurementPerMethodBesideTheGroups() throws Exception {
        Map<Key, Measurement> m = run("ConcurrentReadBenchmark.readerWithWriter", Map.of("peer", "TMPFS"));
        assertEquals(List.of(Key.of("readerWithWriter", "TMPFS"), Key.of("readBesideWriter4k", "TMPFS"),
                Key.of("writeBesideReader4k", "TMPFS")), m.keySet().stream().sorted((a, b) -> order(a) - order(b)).toList());
        for (Measurement each : m.values()) {
            assertEquals(3, each.opsPerSecond().size(), each::toString);
        }
    }

    private static int order(Key k) {
        return List.of("readerWithWriter", "readBesideWriter4k", "writeBesideReader4k").indexOf(k.benchmark());
    }

    /**
     * Runs one benchmark ({@code Class.method}) in this JVM: 3 iterations of 20 ms, no warmup. Without JMH's
     * machine-wide lock (/tmp/jmh.lock), which would fail this test while another build's runs JMH: these
     * runs check results, not speeds.
     */
    private static Map<Key, Measurement> run(String benchmark, Map<String, String> params) throws Exception {
        System.setProperty("jmh.ignoreLock", "true");
        OptionsBuilder o = new OptionsBuilder();
        o.include("^" + Pattern.quote(JmhMeasurementsTest.class.getPackageName() + "." + benchmark) + "$")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(3)
                .measurementTime(TimeValue.milliseconds(20));
        params.forEach(o::param);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Collection<RunResult> results = new Runner(o.build(), OutputFormatFactory.createFormatInstance(quiet, VerboseMode.SILENT)).run();
        List<Measurement> measurements = JmhMeasurements.of(results);
        return measurements.stream().collect(Collectors.toMap(Measurement::key, Function.identity()));
    }
}
