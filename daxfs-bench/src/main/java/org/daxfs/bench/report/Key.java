package org.daxfs.bench.report;

import java.util.Objects;

/**
 * What was measured: a benchmark (a JMH method, or an fio job) and the case it ran on, such as
 * {@code randomRead4k} on {@code DAXFS}. The case is empty for a benchmark that has none (a memory-copy limit).
 */
public record Key(String benchmark, String param) {
    public Key {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(param, "param");
    }

    /** A benchmark on one case. */
    public static Key of(String benchmark, String param) {
        return new Key(benchmark, param);
    }

    /** A benchmark without cases. */
    public static Key of(String benchmark) {
        return new Key(benchmark, "");
    }

    /** The same case in another benchmark. */
    public Key in(String otherBenchmark) {
        return new Key(otherBenchmark, param);
    }

    @Override
    public String toString() {
        return param.isEmpty() ? benchmark : benchmark + "[" + param + "]";
    }
}
