package org.daxfs.bench.report;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole report as Markdown: when and where it ran, the targets and their verdicts, the headline table,
 * then one section per workload with its table and chart, and what was skipped. The charts are
 * {@link #charts}, which {@link ReportFolder} writes beside it.
 */
public final class MarkdownReport {
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

    private final RunInfo run;
    private final List<Section> sections;
    private final List<Target> targets;
    private final Results results;

    public MarkdownReport(RunInfo run, List<Section> sections, List<Target> targets, Results results) {
        this.run = run;
        this.sections = List.copyOf(sections);
        this.targets = List.copyOf(targets);
        this.results = results;
    }

    public RunInfo run() {
        return run;
    }

    public Results results() {
        return results;
    }

    /** The verdict on every target. */
    public List<Verdict> verdicts() {
        return targets.stream().map(t -> t.judge(results)).toList();
    }

    /** The charts the Markdown shows, by file name relative to the report folder. */
    public Map<String, String> charts() {
        return ReportCharts.render(sections, verdicts(), results);
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("# DaxFS benchmarks, ").append(run.started().format(WHEN)).append("\n\n");
        out.append(runLine()).append("\n\n");
        out.append("Mode: ").append(run.modeDetails()).append(".\n\n");
        out.append("""
                Every figure is the median of this run's repetitions, with their range (min – max) and the half \
                range as a share of the median (spread). Every ratio is between two medians of this same run and \
                compares speeds: above 1.00x is faster than the peer or limit it is against, below is slower, for \
                latencies too.

                """);
        List<Verdict> verdicts = verdicts();
        out.append("## Targets\n\n").append(new TargetTable(verdicts).render()).append('\n');
        if (verdicts.stream().anyMatch(v -> v.status() != Verdict.Status.NOT_MEASURED)) {
            out.append(image("targets", ReportCharts.TARGETS_FILE));
        }
        out.append("## Headline\n\n").append(new HeadlineTable(sections, results).render()).append('\n');
        for (Section s : sections) {
            if (!s.measuredIn(results)) {
                continue;
            }
            out.append("## ").append(s.title()).append("\n\n");
            if (!s.about().isEmpty()) {
                out.append(s.about()).append("\n\n");
            }
            out.append(new SectionTable(s, results).render()).append('\n');
            if (ReportCharts.of(s, results).isPresent()) {
                out.append(image(s.title(), ReportCharts.fileOf(s)));
            }
        }
        if (!run.notes().isEmpty()) {
            out.append("## Skipped or failed\n\n");
            for (String note : run.notes()) {
                out.append("- ").append(note).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The date and machine line: what the README quotes above the headline table. */
    public String runLine() {
        return String.format(Locale.ROOT, "%s, %s run of %d min %02d s on %s; load average (1 min) %s before, %s after.",
                run.started().format(WHEN), run.mode(), run.took().toMinutes(), run.took().toSecondsPart(), run.machine(),
                load(run.loadBefore()), load(run.loadAfter()));
    }

    private static String load(double v) {
        return v < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String image(String alt, String file) {
        return "![" + alt + "](" + file + ")\n\n";
    }
}
