package org.daxfs.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the suite through JMH's Runner API and prints the results as a table with ratios to tmpfs.
 * Iteration counts come from {@link SuiteDefaults} unless {@code --quick} asks for fewer.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws RunnerException {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(Settings.USAGE);
            System.exit(2);
            return;
        }
        if (settings.help()) {
            System.out.print(Settings.USAGE);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().include(settings.include());
        if (settings.quick()) {
            options.warmupIterations(1).measurementIterations(2);
        }
        double loadBefore = MachineInfo.loadAverage();
        Collection<RunResult> results = new Runner(options.build()).run();
        double loadAfter = MachineInfo.loadAverage();
        if (results.isEmpty()) {
            System.err.println("no benchmark matched " + settings.include());
            System.exit(1);
        }
        System.out.println();
        System.out.println("Machine: " + MachineInfo.describe());
        System.out.println(settings.quick() ? "Mode: --quick" : "Mode: full");
        System.out.printf(Locale.ROOT, "Load average (1 min): %.2f before, %.2f after%n", loadBefore, loadAfter);
        System.out.println();
        System.out.print(new ResultTable(scores(results)).render());
    }

    /** JMH's results as scores, skipping any benchmark the table does not know. */
    static List<Score> scores(Collection<RunResult> results) {
        List<Score> scores = new ArrayList<>();
        for (RunResult r : results) {
            String peer = r.getParams().getParam("peer");
            Workload.ofBenchmark(r.getParams().getBenchmark()).ifPresent(w -> scores.add(new Score(w,
                    peer == null ? null : Peer.valueOf(peer),
                    r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError())));
        }
        return scores;
    }
}
