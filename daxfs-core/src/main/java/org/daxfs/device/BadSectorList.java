package org.daxfs.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device's bad 512-byte sectors, kept as merged, sorted ranges of sector numbers (like Linux's badblocks
 * list for a pmem namespace).
 *
 * <p>Every device consults this list on every read and write, and it is nearly always empty, so the empty
 * case is one volatile read and takes no lock. When the list is not empty, queries and updates synchronize
 * on the list itself; media errors are rare enough that this is never a bottleneck.
 *
 * <p>Locks: the list's own monitor, held only inside its methods. Callers may hold anything (it is the
 * innermost lock of all); it calls nothing outside itself while holding it.
 */
public final class BadSectorList implements MediaErrors {
    /** start sector -> end sector (exclusive); ranges neither overlap nor touch. Guarded by this. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    /** Mirrors ranges.isEmpty(), written under the monitor, read without it. */
    private volatile boolean empty = true;

    @Override
    public void add(long offset, long length) {
        checkRange(offset, length);
        if (length == 0) {
            return;
        }
        long first = offset / SECTOR;
        long end = Math.ceilDiv(offset + length, SECTOR);
        synchronized (this) {
            // Merge with a range that overlaps or touches on the left, then swallow those on the right.
            Map.Entry<Long, Long> left = ranges.floorEntry(first);
            if (left != null && left.getValue() >= first) {
                first = left.getKey();
                end = Math.max(end, left.getValue());
            }
            Map.Entry<Long, Long> next = ranges.ceilingEntry(first);
            while (next != null && next.getKey() <= end) {
                end = Math.max(end, next.getValue());
                ranges.remove(next.getKey());
                next = ranges.higherEntry(next.getKey());
            }
            ranges.put(first, end);
            empty = false;
        }
    }

    @Override
    public void clear(long offset, long length) {
        checkRange(offset, length);
        if (empty) {
            return;
        }
        long first = Math.ceilDiv(offset, SECTOR);
        long end = (offset + length) / SECTOR;
        if (first >= end) {
            return; // no sector lies wholly inside
        }
        synchronized (this) {
            Map.Entry<Long, Long> left = ranges.lowerEntry(first);
            if (left != null && left.getValue() > first) {
                // Split the range that starts before the cleared part.
                ranges.put(left.getKey(), first);
                if (left.getValue() > end) {
                    ranges.put(end, left.getValue());
                }
            }
            Map.Entry<Long, Long> next = ranges.ceilingEntry(first);
            while (next != null && next.getKey() < end) {
                ranges.remove(next.getKey());
                if (next.getValue() > end) {
                    ranges.put(end, next.getValue());
                }
                next = ranges.higherEntry(next.getKey());
            }
            empty = ranges.isEmpty();
        }
    }

    @Override
    public boolean touches(long offset, long length) {
        return !empty && firstBad(offset, length) >= 0;
    }

    /**
     * The first byte offset inside {@code [offset, offset+length)} that lies in a bad sector, or -1 if none
     * does. This is the offset a failing read reports.
     */
    public long firstBad(long offset, long length) {
        if (empty || length == 0) {
            return -1;
        }
        checkRange(offset, length);
        long first = offset / SECTOR;
        long last = (offset + length - 1) / SECTOR;
        synchronized (this) {
            Map.Entry<Long, Long> left = ranges.floorEntry(first);
            if (left != null && left.getValue() > first) {
                return offset;
            }
            Map.Entry<Long, Long> next = ranges.higherEntry(first);
            if (next != null && next.getKey() <= last) {
                return next.getKey() * SECTOR;
            }
            return -1;
        }
    }

    /**
     * The offset of a bad sector that {@code [offset, offset+length)} covers only in part, or -1 if there is
     * none. Such a write cannot repair the sector (the rest of it is unreadable), so it fails, as on pmem.
     * Only the first and last sector of a range can be partly covered.
     */
    public long firstPartlyCovered(long offset, long length) {
        if (empty || length == 0) {
            return -1;
        }
        checkRange(offset, length);
        long end = offset + length;
        if (offset % SECTOR != 0 && isBad(offset / SECTOR)) {
            return offset;
        }
        if (end % SECTOR != 0 && isBad((end - 1) / SECTOR)) {
            return Math.max(offset, (end - 1) / SECTOR * SECTOR);
        }
        return -1;
    }

    private synchronized boolean isBad(long sector) {
        Map.Entry<Long, Long> e = ranges.floorEntry(sector);
        return e != null && e.getValue() > sector;
    }

    @Override
    public synchronized List<long[]> ranges() {
        List<long[]> out = new ArrayList<>(ranges.size());
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            out.add(new long[] {e.getKey() * SECTOR, (e.getValue() - e.getKey()) * SECTOR});
        }
        return out;
    }

    @Override
    public boolean isEmpty() {
        return empty;
    }

    /** Copies every bad range of {@code other} into this list (a crash image keeps its bad media). */
    void addAll(MediaErrors other) {
        for (long[] r : other.ranges()) {
            add(r[0], r[1]);
        }
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder("BadSectorList[");
        String sep = "";
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            sb.append(sep).append("sectors ").append(e.getKey()).append('-').append(e.getValue() - 1);
            sep = ", ";
        }
        return sb.append(']').toString();
    }

    private static void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length < 0) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
    }
}
