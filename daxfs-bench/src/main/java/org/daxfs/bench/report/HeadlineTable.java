package org.daxfs.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * DaxFS's row of every section on one line each, with its ratio against every reference of the section:
 * the table the README shows. Sections that did not run are left out.
 */
public final class HeadlineTable {
    private final List<Section> sections;
    private final Results results;

    public HeadlineTable(List<Section> sections, Results results) {
        this.sections = List.copyOf(sections);
        this.results = results;
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(Markdown.row(List.of("Workload", "DaxFS (median)", "spread", "against, in the same run")));
        out.append(Markdown.row(List.of("---", "---:", "---:", "---")));
        for (Section s : sections) {
            if (!s.measuredIn(results)) {
                continue;
            }
            var ours = results.get(s.headline());
            String median = ours.map(m -> Numbers.value(m.summary(s.unit()).median()) + " " + s.unit().label())
                    .orElse("not measured");
            String spread = ours.map(m -> Numbers.plusOrMinus(m.summary(s.unit()).halfRangeOfMedian())).orElse("");
            out.append(Markdown.row(List.of(s.title(), median, spread, ratios(s))));
        }
        return out.toString();
    }

    private String ratios(Section s) {
        List<String> parts = new ArrayList<>();
        for (Reference r : s.references()) {
            Key numerator = r.headlineNumerator() != null ? r.headlineNumerator() : s.headline();
            OptionalDouble ratio = results.ratio(numerator, r.denominator().apply(numerator));
            if (ratio.isPresent()) {
                parts.add(Numbers.ratio(ratio.getAsDouble()) + " " + r.name()
                        + (numerator.equals(s.headline()) ? "" : " (" + s.labelOf(numerator) + ")"));
            }
        }
        return String.join(" · ", parts);
    }
}
