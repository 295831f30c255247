package org.daxfs.stress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Compares DaxFS's outcome with the model's, and bytes with bytes, into a {@link Mismatch}. Stateless. */
final class Comparison {
    /** Differing runs listed in a report; the count of all differing bytes is given besides. */
    static final int MAX_RUNS = 8;

    private Comparison() {
    }

    /**
     * Null if {@code actual} is what the model expected, else what differs. {@code dataOffset} is the file
     * offset of the first byte of a read's data.
     */
    static Mismatch compare(Outcome expected, Outcome actual, long dataOffset) {
        if (expected.errno() != actual.errno()) {
            String got = actual.succeeded() ? "success (" + actual + ")" : actual.errno().name()
                    + (actual.detail() != null ? ": " + actual.detail() : "");
            String wanted = expected.succeeded() ? "success (" + expected + ")" : expected.errno().name();
            return Mismatch.of("expected " + wanted + ", got " + got);
        }
        if (expected.value() != actual.value()) {
            return Mismatch.of("expected result " + expected + ", got " + actual);
        }
        if (expected.data() != null) {
            int n = (int) Math.max(0, expected.value());
            return bytes("read returned other bytes than the model holds", dataOffset, expected.data(), actual.data(), n);
        }
        return null;
    }

    /** Where the expected and the found bytes came from: {@code expected data op #12 wrote ...; found zeros}. */
    private static String note(byte[] expected, byte[] actual, long fileOffset, int at) {
        String e = Provenance.describe(expected, fileOffset, at);
        String a = Provenance.describe(actual, fileOffset, at);
        if (e == null && a == null) {
            return null;
        }
        return "expected " + (e == null ? "?" : e) + "; found " + (a == null ? "?" : a);
    }

    /** Null if the first {@code n} bytes agree, else their first differing runs. */
    static Mismatch bytes(String problem, long fileOffset, byte[] expected, byte[] actual, int n) {
        int first = Arrays.mismatch(expected, 0, n, actual, 0, n);
        if (first < 0) {
            return null;
        }
        List<Difference> runs = new ArrayList<>();
        long differing = 0;
        int i = first;
        while (i < n) {
            if (expected[i] == actual[i]) {
                i++;
                continue;
            }
            int start = i;
            while (i < n && expected[i] != actual[i]) {
                i++;
            }
            differing += i - start;
            if (runs.size() < MAX_RUNS) {
                int shown = Math.min(Difference.SHOWN, i - start);
                runs.add(new Difference(fileOffset + start, i - start,
                        Arrays.copyOfRange(expected, start, start + shown),
                        Arrays.copyOfRange(actual, start, start + shown),
                        note(expected, actual, fileOffset, start)));
            }
        }
        return new Mismatch(problem, runs, differing);
    }
}
