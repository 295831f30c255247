package org.daxfs.bench.report;

import java.util.List;
import java.util.Objects;

/**
 * The repetitions of one measurement in one run, each in operations per second: higher is faster, for
 * every kind of workload (a latency is measured as its operations per second too, and only shown as time).
 */
public record Measurement(Key key, List<Double> opsPerSecond) {
    public Measurement {
        Objects.requireNonNull(key, "key");
        opsPerSecond = List.copyOf(opsPerSecond);
        if (opsPerSecond.isEmpty()) {
            throw new IllegalArgumentException(key + ": no repetitions");
        }
        for (double v : opsPerSecond) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(key + ": " + v + " is not a speed");
            }
        }
    }

    /** The repetitions in operations per second. */
    public Summary summary() {
        return Summary.of(opsPerSecond);
    }

    /** The repetitions shown in {@code unit}. */
    public Summary summary(Unit unit) {
        return Summary.of(opsPerSecond.stream().map(unit::show).toList());
    }

    public double median() {
        return summary().median();
    }
}
