package org.daxfs.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart of ratios as an SVG document: one bar per measurement, a whisker over the range of
 * its repetitions, an optional goal mark per bar, and a dashed line at 1.00x (the reference).
 *
 * <p>Written by hand rather than drawn with a chart library: the libraries on Maven Central draw through
 * AWT, and headless AWT needs fonts and fontconfig that a fresh Debian (CI's machine) lacks, where text
 * rendering then fails at run time. SVG is text; the browser or viewer that shows it brings the fonts.
 */
public final class BarChart {
    /**
     * One bar.
     *
     * @param label what the bar is
     * @param value its length, a ratio
     * @param low the left end of its whisker
     * @param high the right end of its whisker
     * @param goal where its goal mark goes, or NaN for none
     * @param tone its colour
     */
    public record Bar(String label, double value, double low, double high, double goal, Tone tone) {}

    /** What a bar's colour says. */
    public enum Tone {
        /** DaxFS among its peers. */
        OURS("#2f6db3"),
        /** A peer or a limit. */
        PEER("#a9b8c8"),
        /** A target met. */
        MET("#3a8f4b"),
        /** A target not met. */
        NOT_MET("#d9822b");

        final String colour;

        Tone(String colour) {
            this.colour = colour;
        }
    }

    private static final int WIDTH = 780;
    private static final int LABEL_WIDTH = 300;
    private static final int VALUE_WIDTH = 150;
    private static final int TOP = 48;
    private static final int BAR_HEIGHT = 18;
    private static final int BAR_GAP = 12;
    private static final int PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH;

    private final String title;
    private final String referenceLabel;
    private final List<Bar> bars;

    /**
     * @param title the heading
     * @param referenceLabel what 1.00x is, or null to draw no reference line
     * @param bars the bars, top to bottom
     */
    public BarChart(String title, String referenceLabel, List<Bar> bars) {
        if (bars.isEmpty()) {
            throw new IllegalArgumentException("a chart needs a bar");
        }
        this.title = title;
        this.referenceLabel = referenceLabel;
        this.bars = List.copyOf(bars);
    }

    public String svg() {
        double step = niceStep(largest() / 4);
        double axisMax = Math.ceil(largest() * 1.05 / step) * step;
        int plotBottom = TOP + bars.size() * (BAR_HEIGHT + BAR_GAP);
        int height = plotBottom + 56;
        StringBuilder out = new StringBuilder();
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, height, WIDTH, height));
        out.append(f("<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH, height));
        out.append(f("<text x=\"12\" y=\"26\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", escape(title)));
        for (double tick = 0; tick <= axisMax + step / 1000; tick += step) {
            double x = x(tick, axisMax);
            out.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e4e4e4\"/>\n", x, TOP - 6, x, plotBottom));
            out.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555555\">%s</text>\n",
                    x, plotBottom + 16, escape(Numbers.ratio(tick))));
        }
        int y = TOP;
        for (Bar b : bars) {
            out.append(bar(b, y, axisMax));
            y += BAR_HEIGHT + BAR_GAP;
        }
        String legend = "Bars: medians; whiskers: the range of the repetitions";
        if (referenceLabel != null) {
            double x = x(1, axisMax);
            out.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333333\" stroke-dasharray=\"4 3\"/>\n",
                    x, TOP - 8, x, plotBottom));
            legend = "Dashed line: 1.00x = " + referenceLabel + ". " + legend;
        }
        if (bars.stream().anyMatch(b -> !Double.isNaN(b.goal()))) {
            legend += "; red marks: goals; green bars met theirs, orange bars did not";
        }
        out.append(f("<text x=\"12\" y=\"%d\" fill=\"#333333\">%s</text>\n", plotBottom + 38, escape(legend + ".")));
        out.append("</svg>\n");
        return out.toString();
    }

    private String bar(Bar b, int y, double axisMax) {
        StringBuilder out = new StringBuilder();
        double mid = y + BAR_HEIGHT / 2.0;
        out.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>\n",
                LABEL_WIDTH - 8, mid, escape(b.label())));
        out.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", LABEL_WIDTH, y,
                x(b.value(), axisMax) - LABEL_WIDTH, BAR_HEIGHT, b.tone().colour));
        double lo = x(b.low(), axisMax);
        double hi = x(b.high(), axisMax);
        out.append(f("<path d=\"M%.1f %.1f H%.1f M%.1f %.1f V%.1f M%.1f %.1f V%.1f\" stroke=\"#222222\" fill=\"none\"/>\n",
                lo, mid, hi, lo, mid - 4, mid + 4, hi, mid - 4, mid + 4));
        String text = Numbers.ratio(b.value());
        double right = Math.max(hi, x(b.value(), axisMax));
        if (!Double.isNaN(b.goal())) {
            double g = x(b.goal(), axisMax);
            out.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c0392b\" stroke-width=\"3\"/>\n",
                    g, y - 3, g, y + BAR_HEIGHT + 3));
            text += " (goal " + Numbers.ratio(b.goal()) + ")";
            right = Math.max(right, g);
        }
        out.append(f("<text x=\"%.1f\" y=\"%.1f\" dominant-baseline=\"middle\">%s</text>\n", right + 6, mid, escape(text)));
        return out.toString();
    }

    private double largest() {
        double max = referenceLabel != null ? 1 : 0;
        for (Bar b : bars) {
            max = Math.max(max, Math.max(b.value(), b.high()));
            if (!Double.isNaN(b.goal())) {
                max = Math.max(max, b.goal());
            }
        }
        return max > 0 ? max : 1;
    }

    private static double x(double value, double axisMax) {
        return LABEL_WIDTH + Math.max(0, value) / axisMax * PLOT_WIDTH;
    }

    /** 1, 2, 2.5 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= rough) {
                return m * power;
            }
        }
        return 10 * power;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
