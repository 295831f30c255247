package org.daxfs.stress;

import java.util.ArrayList;
import java.util.List;

/**
 * The last N operations of one thread with what DaxFS answered, for the failure report. A ring buffer:
 * keeping every operation of a run of millions would cost memory for nothing. Used by one thread.
 */
final class OpLog {
    private final long[] numbers;
    private final Operation[] ops;
    private final Outcome[] outcomes;
    private long added;

    OpLog(int capacity) {
        numbers = new long[capacity];
        ops = new Operation[capacity];
        outcomes = new Outcome[capacity];
    }

    void add(long opNumber, Operation op) {
        int i = (int) (added++ % ops.length);
        numbers[i] = opNumber;
        ops[i] = op;
        outcomes[i] = null;
    }

    /** Records the answer to the operation added last. */
    void answered(Outcome outcome) {
        outcomes[(int) ((added - 1) % ops.length)] = outcome;
    }

    /** The line of the operation added last, as {@link #lines} shows it. */
    String last() {
        return line((int) ((added - 1) % ops.length));
    }

    /** Oldest first: {@code #1207 write 4096+512 [0x1000,0x1200) -> 512}. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        long first = Math.max(0, added - ops.length);
        for (long k = first; k < added; k++) {
            out.add(line((int) (k % ops.length)));
        }
        return out;
    }

    private String line(int i) {
        return "#" + numbers[i] + " " + ops[i].describe() + " -> " + (outcomes[i] == null ? "(no answer)" : outcomes[i]);
    }
}
