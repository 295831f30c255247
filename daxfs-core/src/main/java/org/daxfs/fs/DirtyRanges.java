package org.daxfs.fs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Device byte ranges written but not yet flushed, merged as they come. Beyond a bound it stops tracking
 * ranges one by one and remembers only that everything must be flushed.
 *
 * <p>Context: the owning inode's lock (see {@link Inode}).
 */
final class DirtyRanges {
    private static final int MAX_RANGES = 4096;
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private boolean overflow;

    void add(long offset, long length) {
        if (overflow || length <= 0) {
            return;
        }
        long start = offset;
        long end = offset + length;
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
            ranges.remove(before.getKey());
        }
        Map.Entry<Long, Long> next;
        while ((next = ranges.ceilingEntry(start)) != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(start, end);
        if (ranges.size() > MAX_RANGES) {
            overflow = true;
            ranges.clear();
        }
    }

    boolean isEmpty() {
        return !overflow && ranges.isEmpty();
    }

    /** True when ranges were too many to track: flush all of the file. */
    boolean overflowed() {
        return overflow;
    }

    /** The ranges as {@code start -> end}. */
    Map<Long, Long> ranges() {
        return ranges;
    }

    void clear() {
        ranges.clear();
        overflow = false;
    }
}
