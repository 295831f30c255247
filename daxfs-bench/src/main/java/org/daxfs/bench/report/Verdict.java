package org.daxfs.bench.report;

/**
 * A target judged on one run: met or not by the ratio of the medians, with the ratio's range over every
 * pairing of the two measurements' repetitions (slowest against fastest, fastest against slowest), which
 * says whether the verdict could have gone the other way on the noise of this run.
 */
public record Verdict(Target target, Status status, double ratio, double lowest, double highest) {
    public enum Status {
        MET("met"),
        NOT_MET("NOT met"),
        NOT_MEASURED("not measured");

        /** As the report says it. */
        public final String words;

        Status(String words) {
            this.words = words;
        }
    }

    static Verdict notMeasured(Target target) {
        return new Verdict(target, Status.NOT_MEASURED, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Whether the whole range of the ratio lies on the verdict's side of the goal. */
    public boolean clearOfNoise() {
        return switch (status) {
            case MET -> lowest >= target.atLeast();
            case NOT_MET -> highest < target.atLeast();
            case NOT_MEASURED -> false;
        };
    }
}
