package org.daxfs.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The results as a Markdown table, grouped by workload, each score with its ratio to the tmpfs peer of the
 * same workload in the same run (ratios across runs on a noisy machine would mean little). Higher is better
 * everywhere: the scores are throughputs. Each memory-copy limit is shown beside the workloads it bounds.
 */
final class ResultTable {
    private static final String HEADER = """
            | Workload | Peer | ops/s | error (99.9%) | MiB/s | vs tmpfs |
            |---|---|---:|---:|---:|---:|
            """;

    private final List<Score> scores;

    ResultTable(List<Score> scores) {
        this.scores = List.copyOf(scores);
    }

    String render() {
        StringBuilder out = new StringBuilder(HEADER);
        Set<Workload> limitsShown = EnumSet.noneOf(Workload.class);
        for (Workload w : Workload.values()) {
            if (w.isLimit()) {
                continue;
            }
            List<Score> rows = new ArrayList<>();
            for (Peer p : Peer.values()) {
                find(w, p).ifPresent(rows::add);
            }
            if (rows.isEmpty()) {
                continue;
            }
            w.limit().flatMap(limit -> find(limit, null)).ifPresent(s -> {
                rows.add(s);
                limitsShown.add(s.workload());
            });
            Optional<Score> baseline = find(w, Peer.TMPFS);
            for (Score s : rows) {
                appendRow(out, w, s, baseline);
            }
        }
        for (Workload limit : Workload.values()) {
            if (limit.isLimit() && !limitsShown.contains(limit)) {
                // Run without the workloads it bounds (a filtered run): there is no tmpfs peer to compare with.
                find(limit, null).ifPresent(s -> appendRow(out, limit, s, Optional.empty()));
            }
        }
        return out.toString();
    }

    private Optional<Score> find(Workload w, Peer p) {
        return scores.stream().filter(s -> s.workload() == w && s.peer() == p).findFirst();
    }

    private static void appendRow(StringBuilder out, Workload group, Score s, Optional<Score> baseline) {
        long bytes = s.workload().bytesPerOp;
        out.append("| ").append(group.title)
                .append(" | ").append(s.peer() == null ? "memory copy (limit)" : s.peer().label)
                .append(" | ").append(number(s.opsPerSecond()))
                .append(" | ").append(Double.isNaN(s.error()) ? "" : number(s.error()))
                .append(" | ").append(bytes == 0 ? "" : number(s.opsPerSecond() * bytes / (1 << 20)))
                .append(" | ").append(baseline.map(b -> ratio(s.opsPerSecond() / b.opsPerSecond())).orElse(""))
                .append(" |\n");
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%,.2f", v);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2fx", r);
    }
}
