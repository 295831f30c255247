package org.daxfs.stress;

import java.util.List;
import java.util.Map;

/**
 * How a run went: operations done and how fast, how many of each kind, the checks after the run, and the
 * failure if there was one.
 *
 * @param options the options of the run
 * @param opsDone operations done (fewer than asked if the run stopped at a failure)
 * @param elapsedNanos time the operations took (not counting the checks after the run)
 * @param counts operations done per type, in table order; types never drawn are left out
 * @param checks one line per check passed after the run, in order
 * @param failure what failed, or null
 * @param cacheEvictions pages the page cache evicted in the run and its checks (over every mount), to tell that a
 *     small cache really was too small for the files
 */
public record StressResult(StressOptions options, long opsDone, long elapsedNanos, Map<String, Long> counts,
                           List<String> checks, FailureReport failure, long cacheEvictions) {
    /** A result of a run that evicted nothing. */
    public StressResult(StressOptions options, long opsDone, long elapsedNanos, Map<String, Long> counts,
            List<String> checks, FailureReport failure) {
        this(options, opsDone, elapsedNanos, counts, checks, failure, 0);
    }

    public boolean passed() {
        return failure == null;
    }

    public double opsPerSecond() {
        return elapsedNanos == 0 ? 0 : opsDone * 1e9 / elapsedNanos;
    }
}
