package org.daxfs.stress;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * Why a run failed, with everything needed to chase it: the seed, where (thread, file, operation number),
 * what differed (the first differing offsets with expected and actual bytes), the operations that led
 * there, and the command that replays the run.
 *
 * @param headline one line: what failed, where
 * @param seed the run's seed
 * @param thread the thread that found it, or -1 for a check after the run
 * @param path the file concerned, or null
 * @param opNumber the operation number within the thread (from 1), or 0 if not during an operation
 * @param operation the operation's log line, or null
 * @param mismatch what differed
 * @param lastOps the last operations of the thread, oldest first (empty for a check after the run)
 * @param replay the command line that runs the same operations again
 * @param cause the exception behind it, or null
 */
public record FailureReport(String headline, long seed, int thread, String path, long opNumber, String operation,
                            Mismatch mismatch, List<String> lastOps, String replay, Throwable cause) {
    /** The report of a failure a checker thread (or the run itself) found. */
    static FailureReport of(StressFailure f, StressOptions options) {
        String where = f.thread < 0 ? "" : f.opNumber > 0
                ? " at op #" + f.opNumber + " of thread " + f.thread + " (" + f.path + ")"
                : " on thread " + f.thread + " (" + f.path + ")";
        return new FailureReport(f.kind + where + ", seed " + options.seed(), options.seed(), f.thread, f.path,
                f.opNumber, f.operation, f.mismatch, f.lastOps, options.replayCommand(), f.getCause());
    }

    /** The report of a check after the run (fsck, space accounting) that failed. */
    static FailureReport afterRun(String kind, Mismatch m, Throwable cause, StressOptions options) {
        return new FailureReport(kind + " in the checks after the run, seed " + options.seed(), options.seed(), -1,
                null, 0, null, m, List.of(), options.replayCommand(), cause);
    }

    /** What differed, in one line (or a few, for fsck's problems). */
    public String problem() {
        return mismatch.problem();
    }

    /** The report as printed: headline, problem, differences, last operations, replay command. */
    public String format() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.println(headline);
        out.println("  seed:      " + seed);
        if (thread >= 0) {
            out.println("  thread:    " + thread + (path != null ? " (" + path + ")" : ""));
        } else if (path != null) {
            out.println("  file:      " + path);
        }
        if (operation != null) {
            out.println("  operation: " + operation);
        }
        out.println("  problem:   " + mismatch.problem());
        if (!mismatch.differences().isEmpty()) {
            out.println("  first differences (" + mismatch.differingBytes() + " bytes differ in all):");
            for (Difference d : mismatch.differences()) {
                out.println("    " + d.format());
            }
        }
        if (cause != null) {
            out.println("  cause:     " + cause);
        }
        if (!lastOps.isEmpty()) {
            out.println("  last " + lastOps.size() + " operations of the thread, oldest first:");
            for (String line : lastOps) {
                out.println("    " + line);
            }
        }
        out.println("  replay:    " + replay);
        out.flush();
        return text.toString();
    }

    /** Every byte-level difference, for tests. */
    List<Difference> differences() {
        return mismatch.differences();
    }
}
