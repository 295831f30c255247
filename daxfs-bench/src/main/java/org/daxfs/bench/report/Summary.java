package org.daxfs.bench.report;

import java.util.List;

/**
 * The middle and the range of the repetitions of one measurement. The median, not the mean: on a shared
 * machine one repetition that lost its core to another process moves a mean far more than a median.
 */
public record Summary(double median, double min, double max, int count) {
    /** Summarises {@code values} (at least one). */
    public static Summary of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(median, sorted[0], sorted[n - 1], n);
    }

    /** Half the range as a fraction of the median: 0.1 reads "±10%". */
    public double halfRangeOfMedian() {
        return (max - min) / 2 / median;
    }
}
