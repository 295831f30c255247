package org.daxfs.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report's charts: one per section, each row's speed against the section's first reference (bars at
 * the median, whiskers over the repetitions), and one of the targets against their goals.
 */
final class ReportCharts {
    /** Where the targets chart goes, relative to the report folder. */
    static final String TARGETS_FILE = "charts/targets.svg";

    private ReportCharts() {}

    /** Where a section's chart goes, relative to the report folder. */
    static String fileOf(Section section) {
        return "charts/" + section.id() + ".svg";
    }

    /** Every chart there is data for, by file. */
    static Map<String, String> render(List<Section> sections, List<Verdict> verdicts, Results results) {
        Map<String, String> files = new LinkedHashMap<>();
        targets(verdicts).ifPresent(c -> files.put(TARGETS_FILE, c.svg()));
        for (Section s : sections) {
            of(s, results).ifPresent(c -> files.put(fileOf(s), c.svg()));
        }
        return files;
    }

    /** The section's chart, if its first reference and at least one row were measured. */
    static Optional<BarChart> of(Section section, Results results) {
        if (section.references().isEmpty()) {
            return Optional.empty();
        }
        Reference ref = section.references().getFirst();
        List<BarChart.Bar> bars = new ArrayList<>();
        for (Row row : section.rows()) {
            var m = results.get(row.key());
            var d = results.get(ref.denominator().apply(row.key()));
            if (m.isPresent() && d.isPresent()) {
                Summary s = m.get().summary();
                double base = d.get().median();
                bars.add(new BarChart.Bar(row.label(), s.median() / base, s.min() / base, s.max() / base, Double.NaN,
                        row.key().equals(section.headline()) ? BarChart.Tone.OURS : BarChart.Tone.PEER));
            }
        }
        if (bars.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BarChart(section.title() + ": speed against " + ref.name(), ref.name(), bars));
    }

    private static Optional<BarChart> targets(List<Verdict> verdicts) {
        List<BarChart.Bar> bars = new ArrayList<>();
        for (Verdict v : verdicts) {
            if (v.status() != Verdict.Status.NOT_MEASURED) {
                bars.add(new BarChart.Bar(v.target().name(), v.ratio(), v.lowest(), v.highest(), v.target().atLeast(),
                        v.status() == Verdict.Status.MET ? BarChart.Tone.MET : BarChart.Tone.NOT_MET));
            }
        }
        return bars.isEmpty() ? Optional.empty() : Optional.of(new BarChart("Targets: DaxFS's ratio against its goal", null, bars));
    }
}
