package org.daxfs.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One table of the report: a workload, the measurements that ran it (DaxFS and its peers and limits), how
 * their speeds are shown, and what each row is compared with.
 *
 * @param id a short name, also the chart's file name
 * @param title the heading
 * @param about what one operation is and what it runs on, in a sentence or two
 * @param unit how the medians are shown
 * @param extraUnit a second way to show them (bandwidth beside ops/s), or null
 * @param rows the measurements, DaxFS first
 * @param references the ratio columns; the first is the chart's 1.00x
 * @param headline the row the headline shows (DaxFS's)
 */
public record Section(String id, String title, String about, Unit unit, Unit extraUnit, List<Row> rows,
                      List<Reference> references, Key headline) {
    public Section {
        rows = List.copyOf(rows);
        references = List.copyOf(references);
        if (rows.stream().noneMatch(r -> r.key().equals(headline))) {
            throw new IllegalArgumentException(id + ": the headline " + headline + " is not a row");
        }
    }

    /** Starts a section shown in {@code unit}. */
    public static Builder builder(String id, String title, Unit unit) {
        return new Builder(id, title, unit);
    }

    /** The label of the row measuring {@code key}, or the key itself if none does. */
    public String labelOf(Key key) {
        return rows.stream().filter(r -> r.key().equals(key)).map(Row::label).findFirst().orElse(key.toString());
    }

    /** Whether any row of this section was measured. */
    public boolean measuredIn(Results results) {
        return rows.stream().anyMatch(r -> results.get(r.key()).isPresent());
    }

    /** Collects a section's parts. */
    public static final class Builder {
        private final String id;
        private final String title;
        private final Unit unit;
        private String about = "";
        private Unit extraUnit;
        private final List<Row> rows = new ArrayList<>();
        private final List<Reference> references = new ArrayList<>();
        private Key headline;

        private Builder(String id, String title, Unit unit) {
            this.id = Objects.requireNonNull(id);
            this.title = Objects.requireNonNull(title);
            this.unit = Objects.requireNonNull(unit);
        }

        public Builder about(String text) {
            about = text;
            return this;
        }

        public Builder extraUnit(Unit u) {
            extraUnit = u;
            return this;
        }

        /** Adds a row; the first row added is the headline unless {@link #headline} says otherwise. */
        public Builder row(Key key, String label) {
            rows.add(new Row(key, label));
            if (headline == null) {
                headline = key;
            }
            return this;
        }

        public Builder headline(Key key) {
            headline = key;
            return this;
        }

        public Builder against(Reference reference) {
            references.add(reference);
            return this;
        }

        public Section build() {
            return new Section(id, title, about, unit, extraUnit, rows, references, headline);
        }
    }
}
