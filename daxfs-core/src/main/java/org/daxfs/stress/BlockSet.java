package org.daxfs.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of block numbers kept as disjoint, coalesced ranges {@code [start, end)}: the blocks the model says
 * a file has allocated. Not thread safe.
 */
final class BlockSet {
    /** start -> end of each range; ranges never touch or overlap. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private long count;

    /** Adds {@code [from, to)}. */
    void add(long from, long to) {
        if (from >= to) {
            return;
        }
        Map.Entry<Long, Long> before = ranges.floorEntry(from);
        if (before != null && before.getValue() >= from) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        // Swallow every range that starts inside the new one or right at its end (that one included).
        Map<Long, Long> inside = ranges.subMap(from, true, to, true);
        for (Map.Entry<Long, Long> e : inside.entrySet()) {
            to = Math.max(to, e.getValue());
            count -= e.getValue() - e.getKey();
        }
        inside.clear();
        ranges.put(from, to);
        count += to - from;
    }

    /** Removes every block at or after {@code from}. */
    void removeFrom(long from) {
        Map.Entry<Long, Long> before = ranges.lowerEntry(from);
        if (before != null && before.getValue() > from) {
            count -= before.getValue() - from;
            ranges.put(before.getKey(), from);
        }
        for (Map.Entry<Long, Long> e : ranges.tailMap(from, true).entrySet()) {
            count -= e.getValue() - e.getKey();
        }
        ranges.tailMap(from, true).clear();
    }

    /** Removes {@code [from, to)}. */
    void remove(long from, long to) {
        if (from >= to) {
            return;
        }
        BlockSet tail = new BlockSet();
        for (Map.Entry<Long, Long> e : ranges.tailMap(to, false).entrySet()) {
            tail.add(e.getKey(), e.getValue());
        }
        Map.Entry<Long, Long> across = ranges.floorEntry(to);
        if (across != null && across.getValue() > to) {
            tail.add(to, across.getValue());
        }
        removeFrom(from);
        for (Map.Entry<Long, Long> e : tail.ranges.entrySet()) {
            add(e.getKey(), e.getValue());
        }
    }

    /**
     * Moves every block at or after {@code from} by {@code delta} (collapse and insert range); a range
     * across {@code from} is cut there. The blocks landed on must not be in the set.
     */
    void shift(long from, long delta) {
        List<long[]> moved = new ArrayList<>();
        Map.Entry<Long, Long> across = ranges.lowerEntry(from);
        if (across != null && across.getValue() > from) {
            moved.add(new long[] {from, across.getValue()});
        }
        for (Map.Entry<Long, Long> e : ranges.tailMap(from, true).entrySet()) {
            moved.add(new long[] {e.getKey(), e.getValue()});
        }
        removeFrom(from);
        for (long[] r : moved) {
            add(r[0] + delta, r[1] + delta);
        }
    }

    /** One past the last block in the set, or 0 if it is empty. */
    long end() {
        return ranges.isEmpty() ? 0 : ranges.lastEntry().getValue();
    }

    /** The blocks of this set that {@code other} lacks. */
    BlockSet minus(BlockSet other) {
        BlockSet out = new BlockSet();
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            long at = e.getKey();
            long end = e.getValue();
            Map.Entry<Long, Long> o = other.ranges.floorEntry(at);
            if (o == null || o.getValue() <= at) {
                o = other.ranges.higherEntry(at);
            }
            while (at < end) {
                if (o == null || o.getKey() >= end) {
                    out.add(at, end);
                    break;
                }
                out.add(at, Math.max(at, o.getKey()));
                at = Math.max(at, o.getValue());
                o = other.ranges.higherEntry(o.getKey());
            }
        }
        return out;
    }

    /** The blocks of this set in {@code [from, to)}. */
    BlockSet within(long from, long to) {
        BlockSet out = new BlockSet();
        Map.Entry<Long, Long> first = ranges.lowerEntry(from);
        if (first != null) {
            out.add(from, Math.min(to, first.getValue()));
        }
        for (Map.Entry<Long, Long> e : ranges.subMap(from, true, to, false).entrySet()) {
            out.add(e.getKey(), Math.min(to, e.getValue()));
        }
        return out;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    long count() {
        return count;
    }

    /** The ranges, as {@code {start, end}} pairs in order. */
    List<long[]> ranges() {
        List<long[]> out = new ArrayList<>(ranges.size());
        ranges.forEach((s, e) -> out.add(new long[] {s, e}));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockSet b && b.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    /** {@code [0,4) [9,10)}; long sets are cut short after a few ranges. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            if (shown++ == 6) {
                sb.append(" ... (").append(ranges.size()).append(" ranges)");
                break;
            }
            sb.append(sb.isEmpty() ? "" : " ").append('[').append(e.getKey()).append(',').append(e.getValue()).append(')');
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }
}
