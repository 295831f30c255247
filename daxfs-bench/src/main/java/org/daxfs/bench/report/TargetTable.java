package org.daxfs.bench.report;

import java.util.List;

/** The targets of the suite with this run's verdicts: met, NOT met, or not measured (and why not). */
public final class TargetTable {
    private final List<Verdict> verdicts;

    public TargetTable(List<Verdict> verdicts) {
        this.verdicts = List.copyOf(verdicts);
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(Markdown.row(List.of("Target", "ratio (median)", "range over repetitions", "goal", "verdict")));
        out.append(Markdown.row(List.of("---", "---:", "---:", "---:", "---")));
        for (Verdict v : verdicts) {
            out.append(Markdown.row(List.of(v.target().claim(), Numbers.ratio(v.ratio()),
                    v.status() == Verdict.Status.NOT_MEASURED ? ""
                            : Numbers.ratio(v.lowest()) + " – " + Numbers.ratio(v.highest()),
                    "≥ " + Numbers.ratio(v.target().atLeast()), verdict(v))));
        }
        return out.toString();
    }

    private static String verdict(Verdict v) {
        return switch (v.status()) {
            case MET -> v.clearOfNoise() ? "met" : "met (within this run's noise)";
            case NOT_MET -> v.clearOfNoise() ? "**NOT met**" : "**NOT met** (within this run's noise)";
            case NOT_MEASURED -> "not measured";
        };
    }
}
