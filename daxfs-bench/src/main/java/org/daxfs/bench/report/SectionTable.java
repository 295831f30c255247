package org.daxfs.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One section as a Markdown table: each row's median in the section's unit, the range of its repetitions,
 * and its ratio against each reference measured in the same run. A row that did not run says so.
 */
final class SectionTable {
    private final Section section;
    private final Results results;

    SectionTable(Section section, Results results) {
        this.section = section;
        this.results = results;
    }

    String render() {
        List<String> header = new ArrayList<>(List.of("", section.unit().label() + " (median)", "min – max", "spread"));
        if (section.extraUnit() != null) {
            header.add(section.extraUnit().label());
        }
        for (Reference r : section.references()) {
            header.add("vs " + r.name());
        }
        StringBuilder out = new StringBuilder();
        out.append(Markdown.row(header));
        List<String> rule = new ArrayList<>(List.of("---"));
        for (int i = 1; i < header.size(); i++) {
            rule.add("---:");
        }
        out.append(Markdown.row(rule));
        for (Row row : section.rows()) {
            out.append(Markdown.row(cells(row)));
        }
        return out.toString();
    }

    private List<String> cells(Row row) {
        List<String> cells = new ArrayList<>();
        cells.add(row.label());
        Optional<Measurement> m = results.get(row.key());
        if (m.isEmpty()) {
            cells.add("not measured");
            cells.addAll(java.util.Collections.nCopies(2 + (section.extraUnit() == null ? 0 : 1)
                    + section.references().size(), ""));
            return cells;
        }
        Summary s = m.get().summary(section.unit());
        cells.add(Numbers.value(s.median()));
        cells.add(Numbers.value(s.min()) + " – " + Numbers.value(s.max()));
        cells.add(Numbers.plusOrMinus(s.halfRangeOfMedian()));
        if (section.extraUnit() != null) {
            cells.add(Numbers.value(m.get().summary(section.extraUnit()).median()));
        }
        for (Reference r : section.references()) {
            cells.add(Numbers.ratio(results.ratio(row.key(), r.denominator().apply(row.key())).orElse(Double.NaN)));
        }
        return cells;
    }
}
