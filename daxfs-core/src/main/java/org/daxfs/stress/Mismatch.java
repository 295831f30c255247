package org.daxfs.stress;

import java.util.List;

/**
 * How DaxFS's answer differs from the model's: one line that says what, and for data the first differing
 * runs of bytes.
 *
 * @param problem what differs, e.g. "read returned different bytes" or "expected EFBIG, got success"
 * @param differences the first differing runs, in file order (empty when no data is concerned)
 * @param differingBytes how many bytes differ in all (0 when no data is concerned)
 */
public record Mismatch(String problem, List<Difference> differences, long differingBytes) {
    static Mismatch of(String problem) {
        return new Mismatch(problem, List.of(), 0);
    }
}
