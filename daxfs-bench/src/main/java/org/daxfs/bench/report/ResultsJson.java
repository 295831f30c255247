package org.daxfs.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Every repetition of every measurement of a run as JSON ({@code results.json} beside the report), for
 * anyone who wants to compute other ratios than the report's. Speeds in operations per second.
 */
final class ResultsJson {
    private ResultsJson() {}

    static String render(RunInfo run, Results results) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("started", run.started().toOffsetDateTime().toString());
        root.put("seconds", run.took().toSeconds());
        root.put("mode", run.mode());
        root.put("modeDetails", run.modeDetails());
        root.put("machine", run.machine());
        root.put("loadBefore", run.loadBefore());
        root.put("loadAfter", run.loadAfter());
        ArrayNode notes = root.putArray("notes");
        run.notes().forEach(notes::add);
        ArrayNode measurements = root.putArray("measurements");
        for (Measurement m : results.all()) {
            ObjectNode node = measurements.addObject();
            node.put("benchmark", m.key().benchmark());
            node.put("case", m.key().param());
            ArrayNode values = node.putArray("opsPerSecond");
            m.opsPerSecond().forEach(values::add);
        }
        return mapper.writeValueAsString(root) + "\n";
    }
}
