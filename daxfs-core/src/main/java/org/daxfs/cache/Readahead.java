package org.daxfs.cache;

/**
 * The readahead state of one open file (Linux's {@code file_ra_state}): a reader that goes on where it
 * stopped gets windows that grow (4x while small, then 2x) up to {@link #MAX_PAGES}; any other read gets
 * only what it asked for, rounded up to a small window. Inside each window one page carries a mark; a
 * reader reaching it reads the next window ahead before it is needed, so a sequential reader rarely
 * waits on a miss.
 *
 * <p>{@link Advice#RANDOM} turns readahead off, {@link Advice#SEQUENTIAL} starts at the largest window,
 * as posix_fadvise does on Linux.
 *
 * <p>Locks: this object's monitor, a leaf, guards the state; several threads may share one open file.
 */
public final class Readahead {
    /** Largest window: 128 KiB, Linux's default read_ahead_kb. */
    public static final long MAX_PAGES = 32;

    /** Access pattern hints (posix_fadvise). */
    public enum Advice { NORMAL, SEQUENTIAL, RANDOM }

    /** A run of pages to read: {@code [start, start+size)}, the mark at {@code mark} (-1 for none). */
    record Window(long start, long size, long mark) {
        long end() {
            return start + size;
        }
    }

    private long start;
    private long size;
    private long asyncSize;
    /** Last page the reader asked for, -1 before the first read. */
    private long prevPage = -1;
    private Advice advice = Advice.NORMAL;

    public synchronized void advise(Advice a) {
        advice = a;
    }

    public synchronized Advice advice() {
        return advice;
    }

    /**
     * The window to read on a miss at {@code page}, for a request of {@code reqPages} pages.
     */
    synchronized Window onMiss(long page, long reqPages) {
        long req = Math.max(1, reqPages);
        if (advice == Advice.RANDOM) {
            return new Window(page, req, -1);
        }
        boolean sequential = page == prevPage + 1 || (size > 0 && page == start + size);
        if (advice == Advice.SEQUENTIAL) {
            size = MAX_PAGES;
        } else if (sequential && size > 0) {
            size = next(size);
        } else {
            size = initial(req);
        }
        size = Math.max(size, Math.min(req, MAX_PAGES));
        start = page;
        asyncSize = Math.max(0, size - req);
        return window();
    }

    /** The next window, read ahead because the reader reached the mark of the current one. */
    synchronized Window onMark(long page) {
        if (advice == Advice.RANDOM) {
            return null;
        }
        start = start + size > page ? start + size : page + 1;
        size = advice == Advice.SEQUENTIAL ? MAX_PAGES : next(size);
        asyncSize = size;
        return window();
    }

    /** Records where a read ended, to tell sequential readers. */
    synchronized void read(long firstPage, long lastPage) {
        prevPage = lastPage;
    }

    private Window window() {
        long mark = asyncSize > 0 ? start + size - asyncSize : -1;
        return new Window(start, size, mark);
    }

    private static long initial(long req) {
        long n = Long.highestOneBit(req) == req ? req : Long.highestOneBit(req) << 1;
        if (n <= MAX_PAGES / 32) {
            n *= 4;
        } else if (n <= MAX_PAGES / 4) {
            n *= 2;
        } else {
            n = MAX_PAGES;
        }
        return Math.min(n, MAX_PAGES);
    }

    private static long next(long cur) {
        if (cur < MAX_PAGES / 16) {
            return Math.min(cur * 4, MAX_PAGES);
        }
        return Math.min(cur * 2, MAX_PAGES);
    }

    synchronized long windowSize() {
        return size;
    }
}
