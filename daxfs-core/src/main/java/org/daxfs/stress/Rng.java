package org.daxfs.stress;

/**
 * The checker's random numbers: SplitMix64, written out here rather than taken from the JDK so that a seed
 * printed today replays the same operations on any later JDK. One instance per thread; not thread safe.
 */
final class Rng {
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** The seed of thread {@code index} of a run with {@code seed}: independent streams, fixed forever. */
    static long derive(long seed, int index) {
        return mix(seed + GOLDEN * (index + 1L));
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in {@code [0, bound)}; {@code bound} must be positive. */
    long below(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound " + bound);
        }
        // Rejection keeps the draw uniform for bounds that are not powers of two.
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return r % bound;
    }

    /** Uniform in {@code [from, to]}. */
    long between(long from, long to) {
        return from + below(to - from + 1);
    }

    int below(int bound) {
        return (int) below((long) bound);
    }

    /** True with probability {@code percent}/100. */
    boolean percent(int percent) {
        return below(100) < percent;
    }

    /** The finaliser of SplitMix64 (Stafford's mix 13): a bijection on longs with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
