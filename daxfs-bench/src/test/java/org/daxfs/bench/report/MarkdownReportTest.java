package org.daxfs.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report rendered from fixed results: medians, ranges, spreads, ratios in the same run, verdicts. */
class MarkdownReportTest {
    private final String report = ReportFixtures.report().render();

    @Test
    void eachRowShowsItsMedianRangeSpreadBandwidthAndRatioAgainstEveryPeer() {
        assertContains("|  | ops/s (median) | min – max | spread | MiB/s | vs tmpfs FileChannel | vs Jimfs | vs memory copy |");
        assertContains("| DaxFS | 2,000,000 | 1,900,000 – 2,100,000 | ±5% | 7,813 | 2.00x | 1.60x | 0.80x |");
        assertContains("| DaxFS via java.nio.file | 1,500,000 | 1,500,000 – 1,500,000 | ±0.0% | 5,859 | 1.50x | 1.20x | 0.60x |");
        assertContains("| tmpfs FileChannel | 1,000,000 | 900,000 – 1,100,000 | ±10% | 3,906 | 1.00x | 0.80x | 0.40x |");
        assertContains("| memory copy (limit) | 2,500,000 | 2,400,000 – 2,600,000 | ±4% | 9,766 | 2.50x | 2.00x | 1.00x |");
    }

    @Test
    void latenciesAreShownAsTimeButComparedAsSpeed() {
        // 250,000 fsyncs/s is 4 µs each; the slowest repetition (200,000/s) is the top of the range.
        assertContains("|  | µs per op (median) | min – max | spread | vs tmpfs FileChannel |");
        assertContains("| DaxFS | 4.00 | 2.00 – 5.00 | ±38% | 0.25x |");
        assertContains("| tmpfs FileChannel | 1.00 | 1.00 – 1.00 | ±0.0% | 1.00x |");
    }

    @Test
    void aReferenceCanBeTheSameCaseInAnotherBenchmark() {
        assertContains("| DaxFS | 400,000 | 400,000 – 400,000 | ±0.0% | 0.40x |");
    }

    @Test
    void rowsThatDidNotRunSayNotMeasuredAndSectionsThatDidNotRunAreLeftOut() {
        Results partial = new Results(List.of(new Measurement(ReportFixtures.READ_DAX, List.of(10.0))));
        String text = new MarkdownReport(ReportFixtures.run(List.of()), ReportFixtures.sections(), ReportFixtures.targets(),
                partial).render();
        assertTrue(text.contains("| Jimfs | not measured |  |  |  |  |  |  |"), text);
        assertTrue(text.contains("| DaxFS | 10.00 | 10.00 – 10.00 | ±0.0% | 0.0391 | – | – | – |"), text);
        assertFalse(text.contains("## fsync"), "no fsync row ran");
        assertFalse(text.contains("## Skipped"), "nothing to say");
        assertFalse(text.contains("charts/random-read.svg"), "no reference measured, no chart");
    }

    @Test
    void targetsSayMetOrNotMetPlainlyAndWhetherTheNoiseCouldTurnThem() {
        assertContains("| 4 KiB reads at least 3x tmpfs | 2.00x | 1.73x – 2.33x | ≥ 3.00x | **NOT met** |");
        assertContains("| 4 KiB reads at least 80% of the copy | 0.80x | 0.73x – 0.88x | ≥ 0.80x | met (within this run's noise) |");
        assertContains("| fsync at least as fast as tmpfs | 0.25x | 0.20x – 0.50x | ≥ 1.00x | **NOT met** |");
        assertContains("| FUSE reads at least 80% of bindfs | – |  | ≥ 0.80x | not measured |");
    }

    @Test
    void theHeadlineIsDaxFSAgainstEveryPeerWithJimfsThroughTheSameCalls() {
        String headline = new HeadlineTable(ReportFixtures.sections(), ReportFixtures.results()).render();
        assertEquals("""
                | Workload | DaxFS (median) | spread | against, in the same run |
                | --- | ---: | ---: | --- |
                | 4 KiB random read | 2,000,000 ops/s | ±5% | 2.00x tmpfs FileChannel · 1.20x Jimfs (DaxFS via java.nio.file) · 0.80x memory copy |
                | fsync after a 4 KiB write | 4.00 µs per op | ±38% | 0.25x tmpfs FileChannel |
                | Reads beside a <writer> & more | 400,000 ops/s | ±0.0% | 0.40x alone |
                """, headline);
        assertContains(headline);
    }

    @Test
    void theRunLineGivesDateModeDurationMachineAndLoad() {
        assertEquals("2026-03-07 09:05 Z, quick run of 4 min 32 s on 2 CPUs, 23.5 GiB memory, a JVM; "
                + "load average (1 min) 0.50 before, 2.25 after.", ReportFixtures.report().runLine());
        assertTrue(report.startsWith("# DaxFS benchmarks, 2026-03-07 09:05 Z\n"), report);
        assertContains("Mode: 1 warmup and 3 measured iterations.");
    }

    @Test
    void chartsAreLinkedWhereThereIsDataAndSkipsAreListed() {
        assertContains("![targets](charts/targets.svg)");
        assertContains("![4 KiB random read](charts/random-read.svg)");
        assertContains("![fsync after a 4 KiB write](charts/fsync.svg)");
        assertFalse(report.contains("fuse-read.svg"), "nothing measured through FUSE");
        assertContains("## Skipped or failed\n\n- FUSE comparison skipped: bindfs is not installed\n");
        assertEquals(List.of("charts/targets.svg", "charts/random-read.svg", "charts/fsync.svg", "charts/beside.svg"),
                List.copyOf(ReportFixtures.report().charts().keySet()));
    }

    private void assertContains(String expected) {
        assertTrue(report.contains(expected), () -> "missing:\n" + expected + "\nin:\n" + report);
    }
}
