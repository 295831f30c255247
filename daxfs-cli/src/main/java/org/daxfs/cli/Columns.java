package org.daxfs.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of cells printed in columns, as ls -l and filefrag -v print them: numbers right-aligned so their
 * digits line up, text left-aligned. The last column is never padded, so names may hold anything.
 */
final class Columns {
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /** {@code alignment} has one letter per column: {@code r} for right, {@code l} for left. */
    Columns(String alignment) {
        rightAligned = new boolean[alignment.length()];
        for (int i = 0; i < rightAligned.length; i++) {
            rightAligned[i] = alignment.charAt(i) == 'r';
        }
    }

    Columns row(Object... cells) {
        if (cells.length != rightAligned.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + rightAligned.length + " columns");
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    void print(PrintWriter out) {
        int[] width = new int[rightAligned.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    line.append(' ');
                }
                boolean last = i == r.length - 1;
                String pad = " ".repeat(width[i] - r[i].length());
                if (rightAligned[i]) {
                    line.append(pad).append(r[i]);
                } else {
                    line.append(r[i]).append(last ? "" : pad);
                }
            }
            // An empty last cell would leave the separator dangling at the end of the line.
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
