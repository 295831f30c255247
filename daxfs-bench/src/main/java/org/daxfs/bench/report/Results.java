package org.daxfs.bench.report;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Everything one run measured, by key. */
public final class Results {
    private final Map<Key, Measurement> byKey = new LinkedHashMap<>();

    public Results(Collection<Measurement> measurements) {
        for (Measurement m : measurements) {
            if (byKey.putIfAbsent(m.key(), m) != null) {
                throw new IllegalArgumentException("measured twice: " + m.key());
            }
        }
    }

    public Optional<Measurement> get(Key key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The speed of {@code numerator} against {@code denominator}, medians of this run; empty if either is missing. */
    public OptionalDouble ratio(Key numerator, Key denominator) {
        Measurement n = byKey.get(numerator);
        Measurement d = byKey.get(denominator);
        return n == null || d == null ? OptionalDouble.empty() : OptionalDouble.of(n.median() / d.median());
    }

    /** Every measurement, in the order they were given. */
    public List<Measurement> all() {
        return List.copyOf(byKey.values());
    }
}
