package org.daxfs.bench;

import java.util.SplittableRandom;

/**
 * A fixed, repeating sequence of file offsets, computed before measuring so that no peer pays for random
 * numbers inside the timed loop and every peer visits the very same offsets in the same order.
 */
final class Offsets {
    /** The seed of every random sequence: a run is the same access pattern for every peer and every run. */
    static final long SEED = 0xDA5F_5EEDL;
    /** Entries in a random sequence: far more than the iterations of one JMH invocation batch, and a power of two. */
    static final int RANDOM_COUNT = 1 << 16;

    private final long[] offsets;
    private int next;

    private Offsets(long[] offsets) {
        this.offsets = offsets;
    }

    /** {@code ioSize}-aligned offsets, uniformly random over a file of {@code fileSize}, from {@link #SEED}. */
    static Offsets random(long fileSize, int ioSize) {
        return random(0, fileSize, ioSize);
    }

    /**
     * {@code ioSize}-aligned offsets, uniformly random over {@code [base, base+span)}, from {@link #SEED}:
     * for threads that must each keep to their own part of one file.
     */
    static Offsets random(long base, long span, int ioSize) {
        long slots = checkedSlots(span, ioSize);
        if (base < 0 || base % ioSize != 0) {
            throw new IllegalArgumentException("base " + base + " is not a non-negative multiple of " + ioSize);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        long[] offsets = new long[RANDOM_COUNT];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = base + random.nextLong(slots) * ioSize;
        }
        return new Offsets(offsets);
    }

    /** Every {@code ioSize} step of a file of {@code fileSize} from the start, then around again. */
    static Offsets sequential(long fileSize, int ioSize) {
        long slots = checkedSlots(fileSize, ioSize);
        if (slots > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many " + ioSize + "-byte steps in " + fileSize + " bytes");
        }
        long[] offsets = new long[(int) slots];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = (long) i * ioSize;
        }
        return new Offsets(offsets);
    }

    private static long checkedSlots(long fileSize, int ioSize) {
        if (ioSize <= 0 || fileSize < ioSize) {
            throw new IllegalArgumentException("no " + ioSize + "-byte I/O fits in " + fileSize + " bytes");
        }
        return fileSize / ioSize;
    }

    /** The next offset, wrapping to the first after the last. */
    long next() {
        long offset = offsets[next];
        next = next + 1 == offsets.length ? 0 : next + 1;
        return offset;
    }

    /** How many offsets come before the sequence repeats. */
    int length() {
        return offsets.length;
    }
}
