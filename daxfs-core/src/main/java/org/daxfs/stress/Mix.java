package org.daxfs.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The weighted choice of the next operation type for one thread. Immutable; the randomness comes from the
 * thread's {@link Rng}.
 */
final class Mix {
    private final List<OperationType> types;
    private final long[] cumulative;

    private Mix(List<OperationType> types, long[] cumulative) {
        this.types = types;
        this.cumulative = cumulative;
    }

    /**
     * The mix of a thread working on its own file in {@code mode}: each type available in the mode at its
     * default weight, or the weight {@code overrides} gives it (0 turns it off).
     */
    static Mix ownFile(Map<String, Integer> overrides, Mode mode) {
        List<OperationType> types = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (OperationType t : Operations.TABLE) {
            if (t.modes().contains(mode)) {
                types.add(t);
                weights.add(overrides.getOrDefault(t.name(), t.defaultWeight()));
            }
        }
        return of(types, weights);
    }

    /** The mix of the disruptor: each type at its disruptor weight, unless {@code overrides} turns it off. */
    static Mix disruptor(Map<String, Integer> overrides) {
        List<OperationType> types = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        for (OperationType t : Operations.TABLE) {
            types.add(t);
            weights.add(overrides.getOrDefault(t.name(), 1) == 0 ? 0 : t.disruptorWeight());
        }
        return of(types, weights);
    }

    /**
     * Checks a user's weights against {@code mode}; IllegalArgumentException with a message fit for the
     * user if a name is unknown, a weight negative, an operation unavailable in the mode, or nothing left.
     */
    static void validate(Map<String, Integer> overrides, Mode mode) {
        for (Map.Entry<String, Integer> e : overrides.entrySet()) {
            OperationType t = Operations.named(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("unknown operation '" + e.getKey() + "' (known: "
                        + String.join(", ", Operations.names()) + ")");
            }
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("weight of " + e.getKey() + " is negative: " + e.getValue());
            }
            if (e.getValue() > 0 && !t.modes().contains(mode)) {
                throw new IllegalArgumentException(e.getKey() + " does not run in " + mode.cliName() + " mode (only in "
                        + String.join(", ", t.modes().stream().map(Mode::cliName).toList()) + ")");
            }
        }
        if (ownFile(overrides, mode).isEmpty()) {
            throw new IllegalArgumentException("every operation has weight 0");
        }
        if (mode == Mode.DISRUPT && disruptor(overrides).isEmpty()) {
            throw new IllegalArgumentException("every operation of the disruptor has weight 0");
        }
    }

    private static Mix of(List<OperationType> types, List<Integer> weights) {
        List<OperationType> kept = new ArrayList<>();
        List<Long> sums = new ArrayList<>();
        long sum = 0;
        for (int i = 0; i < types.size(); i++) {
            if (weights.get(i) > 0) {
                sum += weights.get(i);
                kept.add(types.get(i));
                sums.add(sum);
            }
        }
        return new Mix(List.copyOf(kept), sums.stream().mapToLong(Long::longValue).toArray());
    }

    /** Whether nothing can be drawn. */
    boolean isEmpty() {
        return cumulative.length == 0;
    }

    OperationType pick(Rng r) {
        long x = r.below(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return types.get(i);
            }
        }
        throw new AssertionError("weights " + cumulative.length);
    }
}
