package org.daxfs.bench.report;

import java.util.List;

/** Pieces of Markdown the report's tables share. */
final class Markdown {
    private Markdown() {}

    /** One table row from its cells. */
    static String row(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }
}
