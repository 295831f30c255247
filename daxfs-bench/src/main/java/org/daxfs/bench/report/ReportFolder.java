package org.daxfs.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a report into its folder: {@code report.md}, {@code charts/*.svg} and {@code results.json},
 * replacing files of the same names.
 */
public final class ReportFolder {
    /** The Markdown file's name in the folder. */
    public static final String REPORT_FILE = "report.md";
    /** The raw repetitions' file's name in the folder. */
    public static final String RESULTS_FILE = "results.json";

    private final Path dir;

    public ReportFolder(Path dir) {
        this.dir = dir;
    }

    /** Writes the report and its charts; returns the Markdown file. */
    public Path write(MarkdownReport report) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, String> chart : report.charts().entrySet()) {
            Path file = dir.resolve(chart.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, chart.getValue(), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve(RESULTS_FILE), ResultsJson.render(report.run(), report.results()),
                StandardCharsets.UTF_8);
        Path markdown = dir.resolve(REPORT_FILE);
        Files.writeString(markdown, report.render(), StandardCharsets.UTF_8);
        return markdown;
    }

    public Path dir() {
        return dir;
    }
}
