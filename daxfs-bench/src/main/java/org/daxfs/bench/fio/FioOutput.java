package org.daxfs.bench.fio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What one fio run measured, from its {@code --output-format=json} output: the IOPS of its only job, for
 * reads and for writes.
 */
record FioOutput(String jobName, double readIops, double writeIops) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads fio's JSON output. fio may print notes before the JSON document (on some versions even on
     * standard output), so reading starts at the first {@code '{'}.
     *
     * @throws IOException if there is no JSON document, no job, or the job reports an error
     */
    static FioOutput parse(String output) throws IOException {
        int start = output.indexOf('{');
        if (start < 0) {
            throw new IOException("fio printed no JSON: " + abbreviate(output));
        }
        JsonNode root = JSON.readTree(output.substring(start));
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            throw new IOException("fio's JSON output has no job");
        }
        JsonNode job = jobs.get(0);
        int error = job.path("error").asInt(0);
        if (error != 0) {
            throw new IOException("fio job " + job.path("jobname").asText("?") + " failed with error " + error);
        }
        return new FioOutput(job.path("jobname").asText(""), iops(job, "read"), iops(job, "write"));
    }

    /** The IOPS of {@code workload}'s direction. */
    double iops(FioWorkload workload) throws IOException {
        double iops = workload == FioWorkload.RANDOM_READ ? readIops : writeIops;
        if (!(iops > 0)) {
            throw new IOException("fio job " + jobName + " did no " + workload.direction + "s");
        }
        return iops;
    }

    private static double iops(JsonNode job, String direction) throws IOException {
        JsonNode iops = job.path(direction).path("iops");
        if (!iops.isNumber()) {
            throw new IOException("fio's JSON output has no " + direction + ".iops");
        }
        return iops.asDouble();
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }
}
