package org.daxfs.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Aligned {@code key: value} lines, as info and stat print them, so values start in one column. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table row(String key, Object value) {
        rows.add(new String[] {key, String.valueOf(value)});
        return this;
    }

    void print(PrintWriter out) {
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        for (String[] r : rows) {
            out.println(r[0] + ":" + " ".repeat(width - r[0].length() + 1) + r[1]);
        }
        out.flush();
    }
}
