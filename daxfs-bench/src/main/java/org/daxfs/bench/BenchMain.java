package org.daxfs.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.daxfs.bench.report.HeadlineTable;
import org.daxfs.bench.report.MarkdownReport;
import org.daxfs.bench.report.ReportFolder;
import org.daxfs.bench.report.Results;
import org.daxfs.bench.report.Row;
import org.daxfs.bench.report.RunInfo;
import org.daxfs.bench.report.Section;
import org.daxfs.bench.report.TargetTable;

/**
 * Runs the suite ({@code ./daxfs bench} starts this in a JVM of its own) and writes the report: JMH's
 * in-process benchmarks step by step, then fio through FUSE; the targets and the headline table go to the
 * console as well.
 */
public final class BenchMain {
    /** JMH's full output, in the report folder. */
    static final String JMH_LOG = "jmh.log";

    private BenchMain() {}

    public static void main(String[] args) throws IOException {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("daxfs-bench: " + e.getMessage());
            System.err.print(Settings.USAGE);
            System.exit(2);
            return;
        }
        if (settings.help()) {
            System.out.print(Settings.USAGE);
            return;
        }
        System.exit(run(settings, System.out));
    }

    /** Runs the suite as {@code settings} say; the exit code (1 when nothing at all was measured). */
    static int run(Settings settings, PrintStream console) throws IOException {
        RunMode mode = settings.mode();
        console.println("DaxFS benchmarks, " + mode.name() + " mode: " + mode.describe());
        ZonedDateTime started = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS);
        double loadBefore = MachineInfo.loadAverage();
        SuiteRun run;
        try (PrintStream jmhLog = jmhLog(settings.out(), console)) {
            run = new SuiteRun(mode, console, jmhLog);
            run.run(settings.steps());
        }
        List<Section> sections = SuiteLayout.sections(mode);
        Results results = new Results(run.measurements());
        List<String> notes = new ArrayList<>(run.notes());
        notes.addAll(unmeasuredRows(sections, results));
        RunInfo info = new RunInfo(started, Duration.between(started, ZonedDateTime.now()).truncatedTo(ChronoUnit.SECONDS),
                MachineInfo.describe(), mode.name(), mode.describe(), loadBefore, MachineInfo.loadAverage(), notes);
        MarkdownReport report = new MarkdownReport(info, sections, SuiteLayout.targets(), results);
        console.println();
        console.println(report.runLine());
        console.println();
        console.print(new TargetTable(report.verdicts()).render());
        console.println();
        console.print(new HeadlineTable(sections, results).render());
        notes.forEach(n -> console.println("note: " + n));
        if (settings.out() != null) {
            Path markdown = new ReportFolder(settings.out()).write(report);
            console.println();
            console.println("report: " + markdown);
        } else {
            console.println();
            console.print(report.render());
        }
        return results.all().isEmpty() ? 1 : 0;
    }

    /** A row of a section that ran but that has no result: its benchmark failed (JMH's log says why). */
    static List<String> unmeasuredRows(List<Section> sections, Results results) {
        List<String> notes = new ArrayList<>();
        for (Section s : sections) {
            if (!s.measuredIn(results)) {
                continue;
            }
            for (Row r : s.rows()) {
                if (results.get(r.key()).isEmpty()) {
                    notes.add(s.title() + ": " + r.label() + " has no result (see " + JMH_LOG + " or the notes above)");
                }
            }
        }
        return notes;
    }

    /** Where JMH's output goes: a log in the report folder, or nowhere when there is no folder. */
    private static PrintStream jmhLog(Path out, PrintStream console) throws IOException {
        if (out == null) {
            return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        }
        Files.createDirectories(out);
        return new PrintStream(Files.newOutputStream(out.resolve(JMH_LOG)), true, StandardCharsets.UTF_8);
    }
}
