package org.daxfs.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.daxfs.bench.report.Key;
import org.daxfs.bench.report.Measurement;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * JMH's results as the report's measurements: one per benchmark and case, each measured iteration a
 * repetition, in operations per second whatever JMH's mode (a single-shot time becomes its inverse). A
 * thread group also gives one measurement per method of the group (JMH's secondary results). A benchmark
 * with an {@code entries} parameter does that many entries per operation, and is counted in entries.
 */
final class JmhMeasurements {
    /** The {@code @Param}s that name a benchmark's case; a benchmark has at most one of them. */
    private static final List<String> CASE_PARAMS = List.of("peer", "target", "faultCase", "cacheCase", "advice");

    private JmhMeasurements() {}

    static List<Measurement> of(Collection<RunResult> runs) {
        List<Measurement> measurements = new ArrayList<>();
        for (RunResult run : runs) {
            BenchmarkParams params = run.getParams();
            String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            String param = caseOf(params);
            String entries = params.getParam("entries");
            double perOp = entries == null ? 1 : Integer.parseInt(entries);
            List<Double> primary = new ArrayList<>();
            Map<String, List<Double>> secondary = new LinkedHashMap<>();
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    primary.add(opsPerSecond(iteration.getPrimaryResult()) * perOp);
                    for (Map.Entry<String, Result> e : iteration.getSecondaryResults().entrySet()) {
                        secondary.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                                .add(opsPerSecond(e.getValue()) * perOp);
                    }
                }
            }
            if (!primary.isEmpty()) {
                measurements.add(new Measurement(Key.of(method, param), primary));
            }
            secondary.forEach((label, values) -> {
                if (values.stream().allMatch(v -> v > 0)) {
                    measurements.add(new Measurement(Key.of(label, param), values));
                }
            });
        }
        return measurements;
    }

    private static String caseOf(BenchmarkParams params) {
        for (String name : CASE_PARAMS) {
            String value = params.getParam(name);
            if (value != null) {
                return value;
            }
        }
        return "";
    }

    private static double opsPerSecond(Result<?> r) {
        return opsPerSecond(r.getScore(), r.getScoreUnit());
    }

    /** A JMH score in its unit ({@code ops/s}, {@code ops/ms}, {@code s/op}, {@code us/op}, ...) as operations per second. */
    static double opsPerSecond(double score, String unit) {
        if (unit.startsWith("ops/")) {
            return score / seconds(unit.substring("ops/".length()), unit);
        }
        if (unit.endsWith("/op")) {
            return 1 / (score * seconds(unit.substring(0, unit.length() - "/op".length()), unit));
        }
        throw new IllegalArgumentException("unknown JMH unit " + unit);
    }

    private static double seconds(String timeUnit, String unit) {
        return switch (timeUnit) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("unknown JMH unit " + unit);
        };
    }
}
