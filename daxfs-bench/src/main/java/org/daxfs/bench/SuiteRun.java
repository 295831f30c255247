package org.daxfs.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.daxfs.bench.fio.FuseComparison;
import org.daxfs.bench.report.Measurement;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the chosen steps of the suite one after another, collecting their measurements and saying what could
 * not run. JMH's own output goes to a log; progress, one line per step, to the console.
 */
final class SuiteRun {
    private final RunMode mode;
    private final PrintStream progress;
    private final PrintStream jmhLog;
    private final List<Measurement> measurements = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    SuiteRun(RunMode mode, PrintStream progress, PrintStream jmhLog) {
        this.mode = mode;
        this.progress = progress;
        this.jmhLog = jmhLog;
    }

    void run(List<SuiteStep> steps) {
        int i = 0;
        for (SuiteStep step : steps) {
            i++;
            progress.printf(Locale.ROOT, "[%d/%d] %s%n", i, steps.size(), step.title);
            long start = System.nanoTime();
            int before = measurements.size();
            if (step.isJmh()) {
                runJmh(step);
            } else {
                FuseComparison.Outcome outcome = new FuseComparison(mode.fio(), progress).run();
                measurements.addAll(outcome.measurements());
                notes.addAll(outcome.notes());
            }
            progress.printf(Locale.ROOT, "      %d measurements in %d s%n", measurements.size() - before,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
        }
    }

    List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /** JMH's options for {@code step} in this mode; exposed so a check can run a step in miniature. */
    ChainedOptionsBuilder options(SuiteStep step) {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(step.jmhInclude())
                .measurementIterations(mode.repetitions())
                .measurementTime(TimeValue.milliseconds(mode.iteration().toMillis()))
                .warmupTime(TimeValue.seconds(1));
        if (step == SuiteStep.LARGE_DIRECTORY) {
            // Single-shot passes: one pass over the whole directory warms up enough, and takes long at full size.
            o.warmupIterations(1).param("entries", Integer.toString(mode.directoryEntries()));
        } else {
            o.warmupIterations(mode.warmups());
        }
        return o;
    }

    private void runJmh(SuiteStep step) {
        try {
            Collection<RunResult> results = new Runner(options(step).build(),
                    OutputFormatFactory.createFormatInstance(jmhLog, VerboseMode.NORMAL)).run();
            measurements.addAll(JmhMeasurements.of(results));
        } catch (RunnerException | RuntimeException e) {
            notes.add(step.title + ": JMH failed (" + e.getMessage() + "); see jmh.log");
        }
    }
}
