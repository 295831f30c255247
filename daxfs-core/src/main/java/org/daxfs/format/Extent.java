package org.daxfs.format;

/**
 * A run of file blocks {@code [logical, logical+length)} stored at device blocks
 * {@code [physical, physical+length)}. An unwritten extent is allocated but reads as zeros until its data
 * has landed and it is converted to written.
 */
public record Extent(long logical, long physical, long length, boolean unwritten) {
    public Extent {
        if (logical < 0 || physical <= 0 || length <= 0) {
            throw new IllegalArgumentException("bad extent " + logical + "/" + physical + "/" + length);
        }
    }

    /** One past the last logical block. */
    public long end() {
        return logical + length;
    }

    /** The physical block backing logical block {@code lblk}, which must lie inside this extent. */
    public long physicalOf(long lblk) {
        return physical + (lblk - logical);
    }

    public boolean contains(long lblk) {
        return lblk >= logical && lblk < end();
    }

    /** The part of this extent inside {@code [from, to)}, or null if none. */
    public Extent clip(long from, long to) {
        long s = Math.max(from, logical);
        long e = Math.min(to, end());
        if (s >= e) {
            return null;
        }
        return new Extent(s, physical + (s - logical), e - s, unwritten);
    }

    public Extent withUnwritten(boolean u) {
        return new Extent(logical, physical, length, u);
    }
}
