package org.daxfs.bench.report;

import java.util.Locale;

/** How the report writes numbers: grouped thousands, a few significant digits, ratios as {@code 1.57x}. */
final class Numbers {
    private Numbers() {}

    static String value(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.2fx", r);
    }

    /** A fraction as a plus-or-minus percentage: 0.084 is "±8%". */
    static String plusOrMinus(double fraction) {
        return String.format(Locale.ROOT, fraction < 0.01 ? "±%.1f%%" : "±%.0f%%", fraction * 100);
    }
}
