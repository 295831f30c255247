package org.daxfs.bench;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The results of the mapping and concurrency benchmarks as Markdown tables, each with the ratio to its
 * reference measured in the same run: fault costs against tmpfs's own mapping, mapped bandwidth against
 * the device's mapping of the same bytes (the limit), and a reader beside a writer against the same reader
 * alone. Tables whose benchmarks did not run are left out.
 */
final class MappingReport {
    /** Pages in one mapping of {@link MapFaultBenchmark}. */
    static final long FAULT_PAGES = FaultFixture.MAP_LENGTH / DaxFiles.PAGE;
    /** 2 MiB units in one mapping of {@link MapFaultBenchmark}. */
    static final long FAULT_HUGE_UNITS = FaultFixture.MAP_LENGTH / DaxFiles.HUGE;

    private static final String FAULT_HEADER = """
            | Mapping (%d MiB, read-only) | Work | ops/s | error (99.9%%) | µs per op | ns per 4 KiB page | µs per 2 MiB | vs tmpfs |
            |---|---|---:|---:|---:|---:|---:|---:|
            """.formatted(FaultFixture.MAP_LENGTH >> 20);
    private static final String ACCESS_HEADER = """
            | Access (%d MiB, mapping in place) | Mapping | ops/s | error (99.9%%) | MiB/s | vs device mapping |
            |---|---|---:|---:|---:|---:|
            """.formatted(MappedRangeFixture.RANGE_SIZE >> 20);
    private static final String CONCURRENT_HEADER = """
            | Peer | reader alone, ops/s | error (99.9%) | reader beside writer, ops/s | error (99.9%) | writer, ops/s | beside / alone |
            |---|---:|---:|---:|---:|---:|---:|
            """;

    private final List<Measured> results;

    MappingReport(List<Measured> results) {
        this.results = List.copyOf(results);
    }

    /** Whether any benchmark of this report ran. */
    boolean isEmpty() {
        return render().isEmpty();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        String faults = faults();
        String access = access();
        String concurrent = concurrent();
        for (String table : new String[] {faults, access, concurrent}) {
            if (!table.isEmpty()) {
                out.append(out.isEmpty() ? "" : "\n").append(table);
            }
        }
        return out.toString();
    }

    private String faults() {
        StringBuilder rows = new StringBuilder();
        for (String[] work : new String[][] {{"mapTouchClose", "map + touch + close"}, {"mapClose", "map + close"}}) {
            Optional<Measured> tmpfs = find(work[0], FaultCase.TMPFS.name());
            for (FaultCase c : FaultCase.values()) {
                find(work[0], c.name()).ifPresent(m -> rows.append(row(c.label, work[1], number(m.opsPerSecond()),
                        error(m), number(micros(m)), number(micros(m) * 1000 / FAULT_PAGES),
                        number(micros(m) / FAULT_HUGE_UNITS), tmpfs.map(t -> ratio(m, t)).orElse(""))));
            }
        }
        find("sharedArenaOpenClose", null).ifPresent(m -> rows.append(row("shared arena, no mapping", "open + close",
                number(m.opsPerSecond()), error(m), number(micros(m)), "", "", "")));
        return rows.isEmpty() ? "" : FAULT_HEADER + rows;
    }

    private String access() {
        StringBuilder rows = new StringBuilder();
        for (String[] work : new String[][] {{"mappedRead64m", "read (sum longs)"}, {"mappedWrite64m", "write (fill)"}}) {
            Optional<Measured> device = find(work[0], MapTarget.DEVICE.name());
            for (MapTarget t : MapTarget.values()) {
                find(work[0], t.name()).ifPresent(m -> rows.append(row(work[1], t.label, number(m.opsPerSecond()),
                        error(m), number(m.opsPerSecond() * MappedRangeFixture.RANGE_SIZE / (1 << 20)),
                        device.map(d -> ratio(m, d)).orElse(""))));
            }
        }
        return rows.isEmpty() ? "" : ACCESS_HEADER + rows;
    }

    private String concurrent() {
        StringBuilder rows = new StringBuilder();
        for (Peer p : Peer.values()) {
            // A group of one thread has no per-thread result in JMH: the group's own result is the reader's.
            Optional<Measured> alone = find("readerAlone", p.name());
            Optional<Measured> beside = find("readBesideWriter4k", p.name());
            Optional<Measured> writer = find("writeBesideReader4k", p.name());
            if (alone.isEmpty() && beside.isEmpty()) {
                continue;
            }
            rows.append(row(p.label,
                    alone.map(m -> number(m.opsPerSecond())).orElse(""), alone.map(MappingReport::error).orElse(""),
                    beside.map(m -> number(m.opsPerSecond())).orElse(""), beside.map(MappingReport::error).orElse(""),
                    writer.map(m -> number(m.opsPerSecond())).orElse(""),
                    alone.isPresent() && beside.isPresent() ? ratio(beside.get(), alone.get()) : ""));
        }
        return rows.isEmpty() ? "" : CONCURRENT_HEADER + rows;
    }

    private Optional<Measured> find(String method, String param) {
        return results.stream()
                .filter(m -> m.method().equals(method) && Objects.equals(m.param(), param))
                .findFirst();
    }

    private static double micros(Measured m) {
        return 1e6 / m.opsPerSecond();
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String error(Measured m) {
        return Double.isNaN(m.error()) ? "" : number(m.error());
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : "%,.2f", v);
    }

    private static String ratio(Measured a, Measured b) {
        return String.format(Locale.ROOT, "%.2fx", a.opsPerSecond() / b.opsPerSecond());
    }
}
