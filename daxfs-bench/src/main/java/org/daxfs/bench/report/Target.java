package org.daxfs.bench.report;

/**
 * A goal the suite exists to check: the speed of one measurement against another, in the same run, at
 * least some ratio ("in-process 4 KiB reads at least 3x tmpfs"). Judged on the medians.
 *
 * @param name the goal in a few words, for the chart
 * @param claim the goal in words
 * @param numerator DaxFS's measurement
 * @param denominator what it is held against
 * @param atLeast the smallest ratio that meets the goal
 */
public record Target(String name, String claim, Key numerator, Key denominator, double atLeast) {
    /** How this run did against the goal. */
    public Verdict judge(Results results) {
        var n = results.get(numerator);
        var d = results.get(denominator);
        if (n.isEmpty() || d.isEmpty()) {
            return Verdict.notMeasured(this);
        }
        Summary a = n.get().summary();
        Summary b = d.get().summary();
        double ratio = a.median() / b.median();
        return new Verdict(this, ratio >= atLeast ? Verdict.Status.MET : Verdict.Status.NOT_MET, ratio,
                a.min() / b.max(), a.max() / b.min());
    }
}
