package org.daxfs.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report folder: the Markdown, well-formed SVG charts that say what they show, and the raw repetitions. */
class ReportFolderTest {
    private static final String SVG = "http://www.w3.org/2000/svg";

    @TempDir
    Path dir;

    @Test
    void writesTheReportEveryChartAndTheRepetitions() throws Exception {
        MarkdownReport report = ReportFixtures.report();
        Path markdown = new ReportFolder(dir.resolve("out")).write(report);
        assertEquals(dir.resolve("out/report.md"), markdown);
        assertEquals(report.render(), Files.readString(markdown));
        List<String> charts;
        try (Stream<Path> files = Files.list(dir.resolve("out/charts"))) {
            charts = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("beside.svg", "fsync.svg", "random-read.svg", "targets.svg"), charts);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
        assertEquals("quick", json.path("mode").asText());
        assertEquals(272, json.path("seconds").asInt());
        assertEquals(9, json.path("measurements").size());
        JsonNode first = json.path("measurements").get(0);
        assertEquals("randomRead4k", first.path("benchmark").asText());
        assertEquals("DAXFS", first.path("case").asText());
        assertEquals(2_100_000, first.path("opsPerSecond").get(0).asDouble());
        assertEquals("FUSE comparison skipped: bindfs is not installed", json.path("notes").get(0).asText());
    }

    @Test
    void everyChartIsWellFormedSvgWithABarPerMeasuredRow() throws Exception {
        MarkdownReport report = ReportFixtures.report();
        new ReportFolder(dir).write(report);

        Document section = parse(dir.resolve("charts/random-read.svg"));
        assertEquals(SVG, section.getDocumentElement().getNamespaceURI());
        assertEquals("svg", section.getDocumentElement().getLocalName());
        // A white background, then one bar per row: DaxFS, DaxFS via nio, tmpfs, Jimfs, the copy.
        assertEquals(1 + 5, section.getElementsByTagNameNS(SVG, "rect").getLength());
        List<String> texts = texts(section);
        assertTrue(texts.contains("4 KiB random read: speed against tmpfs FileChannel"), texts::toString);
        assertTrue(texts.containsAll(List.of("DaxFS", "Jimfs", "memory copy (limit)", "2.00x", "1.25x", "2.50x")), texts::toString);

        Document targets = parse(dir.resolve("charts/targets.svg"));
        assertEquals(1 + 3, targets.getElementsByTagNameNS(SVG, "rect").getLength(), "the three measured targets");
        List<String> targetTexts = texts(targets);
        assertTrue(targetTexts.contains("2.00x (goal 3.00x)"), targetTexts::toString);
        assertTrue(targetTexts.contains("0.25x (goal 1.00x)"), targetTexts::toString);
        // Reads vs tmpfs not met, reads vs the copy met, fsync not met: orange, green, orange.
        assertEquals(List.of("#ffffff", "#d9822b", "#3a8f4b", "#d9822b"), fills(targets));
        assertEquals(List.of("#ffffff", "#2f6db3", "#a9b8c8", "#a9b8c8", "#a9b8c8", "#a9b8c8"), fills(section),
                "DaxFS stands out from its peers");

        Document escaped = parse(dir.resolve("charts/beside.svg"));
        assertTrue(texts(escaped).contains("Reads beside a <writer> & more: speed against alone"), () -> texts(escaped).toString());
    }

    @Test
    void niceStepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        assertEquals(0.5, BarChart.niceStep(0.42), 1e-12);
        assertEquals(1, BarChart.niceStep(0.9), 1e-12);
        assertEquals(2.5, BarChart.niceStep(2.1), 1e-12);
        assertEquals(20, BarChart.niceStep(11), 1e-12);
    }

    private static Document parse(Path svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        try {
            return f.newDocumentBuilder().parse(svg.toFile());
        } catch (IOException e) {
            throw new AssertionError(svg + " is not readable", e);
        }
    }

    private static List<String> fills(Document doc) {
        NodeList rects = doc.getElementsByTagNameNS(SVG, "rect");
        List<String> fills = new ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            fills.add(((Element) rects.item(i)).getAttribute("fill"));
        }
        return fills;
    }

    private static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagNameNS(SVG, "text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(((Element) nodes.item(i)).getTextContent());
        }
        return texts;
    }
}
