package org.daxfs.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the suite through JMH's Runner API and prints the results as tables: the file I/O workloads with
 * ratios to tmpfs, then the mapping and concurrency benchmarks with ratios to their own references.
 * Iteration counts come from {@link SuiteDefaults} unless {@code --quick} asks for fewer.
 */
public final class BenchMain {
    /** Parameters that name what a mapping or concurrency benchmark ran on; each benchmark has at most one. */
    private static final List<String> MAPPING_PARAMS = List.of("faultCase", "target", "peer");

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
        List<Score> scores = scores(results);
        if (!scores.isEmpty()) {
            System.out.println();
            System.out.print(new ResultTable(scores).render());
        }
        MappingReport mapping = new MappingReport(measured(results));
        if (!mapping.isEmpty()) {
            System.out.println();
            System.out.print(mapping.render());
        }
    }

    /**
     * JMH's results for the mapping report: each benchmark's primary result under its method name, and for
     * a thread group each thread's method under its own name (JMH's secondary results). The report picks
     * out the ones it knows.
     */
    static List<Measured> measured(Collection<RunResult> results) {
        List<Measured> measured = new ArrayList<>();
        for (RunResult r : results) {
            String param = null;
            for (String name : MAPPING_PARAMS) {
                if (param == null) {
                    param = r.getParams().getParam(name);
                }
            }
            measured.add(measured(r.getParams().getBenchmark(), param, r.getPrimaryResult()));
            for (Result<?> secondary : r.getSecondaryResults().values()) {
                measured.add(measured(secondary.getLabel(), param, secondary));
            }
        }
        return measured;
    }

    private static Measured measured(String name, String param, Result<?> result) {
        return new Measured(name.substring(name.lastIndexOf('.') + 1), param, result.getScore(), result.getScoreError());
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
