package org.daxfs.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A listener that keeps every operation's log line, per thread. Calls are serialised by the run. */
final class Trace implements StressListener {
    final Map<Integer, List<String>> lines = new TreeMap<>();

    @Override
    public void progress(long done, long total) {
    }

    @Override
    public boolean traces() {
        return true;
    }

    @Override
    public void operation(int thread, String line) {
        lines.computeIfAbsent(thread, t -> new ArrayList<>()).add(line);
    }

    /** Lines of thread {@code thread} so far; read it from that thread only. */
    int count(int thread) {
        return lines.getOrDefault(thread, List.of()).size();
    }
}
