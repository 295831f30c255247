package org.daxfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.daxfs.bench.fio.FioWorkload;
import org.daxfs.bench.fio.FuseComparison;
import org.daxfs.bench.report.Key;
import org.daxfs.bench.report.Row;
import org.daxfs.bench.report.Section;
import org.daxfs.bench.report.Target;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/** The report's layout names only what the suite's steps measure, and the targets name rows of it. */
class SuiteLayoutTest {
    private final List<Section> sections = SuiteLayout.sections(RunMode.QUICK);

    @Test
    void everyRowIsABenchmarkOfAStepOnACaseItRuns() {
        Set<String> measured = measuredBenchmarks();
        Set<String> cases = new HashSet<>(List.of("", FuseComparison.DAXFS, FuseComparison.BINDFS));
        Stream.of(Peer.values(), MapTarget.values(), FaultCase.values(), CacheCase.values(),
                        org.daxfs.cache.Readahead.Advice.values()).flatMap(Arrays::stream)
                .forEach(e -> cases.add(((Enum<?>) e).name()));
        for (Section s : sections) {
            for (Row r : s.rows()) {
                assertTrue(measured.contains(r.key().benchmark()), s.id() + ": no step measures " + r.key());
                assertTrue(cases.contains(r.key().param()), s.id() + ": no such case " + r.key());
            }
        }
    }

    @Test
    void everyTargetComparesTwoRowsOfTheReport() {
        Set<Key> rows = new HashSet<>();
        sections.forEach(s -> s.rows().forEach(r -> rows.add(r.key())));
        List<Target> targets = SuiteLayout.targets();
        assertEquals(6, targets.size(), "reads vs tmpfs, mapped read and write, 1 MiB vs copy, FUSE read and write");
        for (Target t : targets) {
            assertTrue(rows.contains(t.numerator()), t.toString());
            assertTrue(rows.contains(t.denominator()), t.toString());
        }
    }

    @Test
    void sectionIdsAreDistinctAndTheDirectorySizeIsInTheTitles() {
        assertEquals(sections.size(), sections.stream().map(Section::id).distinct().count());
        assertTrue(sections.stream().anyMatch(s -> s.title().equals("Large directory: create 10,000 entries")));
        assertTrue(SuiteLayout.sections(RunMode.FULL).stream().anyMatch(s -> s.title().equals("Large directory: unlink 100,000 entries")));
    }

    @Test
    void everyInProcessWorkloadHasEveryPeerWithDaxFSFirst() {
        for (Section s : sections) {
            if (s.rows().stream().anyMatch(r -> r.key().param().equals(Peer.JIMFS.name()))) {
                assertEquals(Peer.DAXFS.name(), s.rows().getFirst().key().param(), s.id());
                assertEquals(s.rows().getFirst().key(), s.headline(), s.id());
                assertTrue(s.rows().stream().map(r -> r.key().param()).toList()
                        .containsAll(Arrays.stream(Peer.values()).map(Enum::name).toList()), s.id());
            }
        }
    }

    @Test
    void theFirstTouchStepLeavesTheMapOnlyBenchmarksOut() {
        Set<String> firstTouch = new HashSet<>();
        for (BenchmarkListEntry e : entries(SuiteStep.FIRST_TOUCH)) {
            firstTouch.add(last(e.getUsername()));
        }
        assertEquals(Set.of("mapTouchClose"), firstTouch);
        assertFalse(entries(SuiteStep.LARGE_DIRECTORY).isEmpty());
    }

    /** The method and group names of every benchmark some step runs, and fio's workloads. */
    private static Set<String> measuredBenchmarks() {
        Set<String> names = new HashSet<>();
        for (SuiteStep step : SuiteStep.values()) {
            if (!step.isJmh()) {
                continue;
            }
            for (BenchmarkListEntry e : entries(step)) {
                names.add(last(e.getUsername()));
                try {
                    // The methods of a thread group are measured too (JMH's secondary results).
                    for (Method m : Class.forName(e.getUserClassQName()).getMethods()) {
                        Group group = m.getAnnotation(Group.class);
                        if (group != null && group.value().equals(last(e.getUsername()))) {
                            names.add(m.getName());
                        }
                    }
                } catch (ClassNotFoundException ex) {
                    throw new AssertionError(ex);
                }
            }
        }
        for (FioWorkload w : FioWorkload.values()) {
            names.add(w.key("").benchmark());
        }
        return names;
    }

    private static List<BenchmarkListEntry> entries(SuiteStep step) {
        var quiet = OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()), VerboseMode.SILENT);
        return List.copyOf(BenchmarkList.defaultList().find(quiet, List.of(step.jmhInclude()), List.of()));
    }

    private static String last(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
