package org.daxfs.stress;

/**
 * How parameters are drawn: offsets and lengths at every alignment (whole blocks, a few bytes off a block
 * boundary, anywhere), near the end of file, at a few far offsets (past 4 GiB, near 1 TiB, just below the
 * largest file size), and now and then values Linux rejects (negative offsets, sizes past the limit,
 * empty ranges). Most draws stay below the run's largest file size, so that the file keeps being
 * overwritten, cut and regrown rather than spreading thinly.
 *
 * <p>The disruptor of disrupt mode draws with {@code align} 8 and no edge cases: its data must stay in
 * whole 8-byte words so that readers can recognise every word (see {@link Pattern}).
 *
 * <p>A worker of flip mode draws in a window of the shared file, its region ({@link #window}): offsets
 * and mapped ranges mostly inside it, as if it were a file of its own starting at {@code base}; new sizes
 * for truncate over the whole file.
 *
 * <p>Immutable; the randomness comes from the caller's {@link Rng}.
 */
final class Choices {
    static final int BLOCK = FileModel.BLOCK;
    /** Starts of the far windows: past 4 GiB (unaligned), just below 1 TiB, 1 MiB below the largest size. */
    static final long[] FAR = {(4L << 30) + 12_345, (1L << 40) - 3, FileModel.MAX_FILE_SIZE - (1 << 20)};
    static final long FAR_WINDOW = 1 << 20;
    /** Longest preallocation drawn. */
    static final long MAX_ALLOCATE = 2 << 20;

    /** Size of the range most offsets fall in (of the window, for a worker of flip mode). */
    final long maxSize;
    final int maxIo;
    final int align;
    final boolean edgeCases;
    /** Where the window starts (0: the whole file). */
    final long base;
    /** Size of the range truncates aim at: the file's main range ({@code maxSize} but in a window). */
    final long fileSize;

    Choices(long maxSize, int maxIo, int align, boolean edgeCases) {
        this(maxSize, maxIo, align, edgeCases, 0, maxSize);
    }

    private Choices(long maxSize, int maxIo, int align, boolean edgeCases, long base, long fileSize) {
        if (maxSize < BLOCK || maxIo < align || Long.bitCount(align) != 1 || base % BLOCK != 0 || fileSize < maxSize) {
            throw new IllegalArgumentException("maxSize " + maxSize + ", maxIo " + maxIo + ", align " + align + ", base "
                    + base + ", fileSize " + fileSize);
        }
        this.maxSize = maxSize;
        this.maxIo = maxIo;
        this.align = align;
        this.edgeCases = edgeCases;
        this.base = base;
        this.fileSize = fileSize;
    }

    /**
     * Choices for the window {@code [base, base+size)} of a file whose main range is {@code fileSize}
     * bytes, with reads and writes of at most {@code maxIo} bytes (a fraction of the window, so most stay
     * inside it). {@code base} and {@code size} are whole blocks, so that pages and blocks of different
     * windows never mix.
     */
    static Choices window(long base, long size, long fileSize, int maxIo) {
        if (size % BLOCK != 0) {
            throw new IllegalArgumentException("window of " + size + " bytes");
        }
        return new Choices(size, maxIo, 1, true, base, fileSize);
    }

    /** Blocks a file may hold before the checker shrinks it: the main range, the far windows, some slack. */
    long budgetBlocks() {
        return (fileSize + fileSize / 4 + FAR.length * (FAR_WINDOW + maxIo) + MAX_ALLOCATE) / BLOCK;
    }

    /** {@code size} as seen from the window: how much of it lies in the window ({@code size} itself without one). */
    private long relative(long size) {
        return base == 0 && fileSize == maxSize ? size : Math.min(Math.max(0, size - base), maxSize);
    }

    /** An offset for a read, write or preallocation of a file of {@code size} bytes. */
    long offset(Rng r, long size) {
        return base + offsetInWindow(r, relative(size));
    }

    private long offsetInWindow(Rng r, long size) {
        int p = r.below(100);
        long o;
        if (p < 3 && edgeCases) {
            o = far(r);
        } else if (p < 20) {
            o = Math.max(0, size + r.between(-8192, 8192));
        } else if (p < 35) {
            o = r.below(maxSize / BLOCK) * BLOCK;
        } else if (p < 45) {
            o = Math.max(0, r.below(maxSize / BLOCK + 1) * BLOCK + r.between(-16, 16));
        } else {
            o = r.below(maxSize);
        }
        return down(o);
    }

    /** A length for a read or write: a few bytes, up to a block, whole blocks, or anything up to maxIo. */
    int length(Rng r) {
        int p = r.below(100);
        long n;
        if (p < 20) {
            n = r.between(1, 16);
        } else if (p < 50) {
            n = r.between(1, BLOCK);
        } else if (p < 65) {
            n = r.between(1, Math.max(1, maxIo / BLOCK)) * BLOCK;
        } else {
            n = r.between(1, maxIo);
        }
        return (int) Math.min(up(n), down(maxIo));
    }

    /**
     * A {@code {offset, length}} for a mapping of a file of {@code size} bytes: mostly inside the file, at
     * any alignment (a mapping never extends a file); now and then one reaching past EOF (ENXIO), and what
     * mmap rejects: a negative offset, an empty or negative length, an end past Long.MAX_VALUE (EINVAL).
     */
    long[] mapRange(Rng r, long size) {
        if (edge(r, 1)) {
            return new long[] {negative(r), length(r)};
        }
        if (edge(r, 1)) {
            return new long[] {offset(r, size), -r.below(2)};
        }
        if (edge(r, 1)) {
            return new long[] {Long.MAX_VALUE - r.below(BLOCK), length(r) + BLOCK};
        }
        long rel = relative(size);
        long offset = offsetInWindow(r, rel);
        long length = length(r);
        if (rel == 0 || edge(r, 5)) {
            return new long[] {base + offset, length};
        }
        if (offset >= rel) {
            offset = down(r.below(rel));
        }
        return new long[] {base + offset, Math.min(length, rel - offset)};
    }

    /** A length for a preallocation: like {@link #length}, or up to {@link #MAX_ALLOCATE}. */
    long allocateLength(Rng r) {
        return r.percent(50) ? length(r) : up(r.between(1, Math.min(MAX_ALLOCATE, maxSize)));
    }

    /**
     * A {@code {offset, length}} for collapse or insert range: whole blocks, the offset inside or just past
     * a file of {@code size} bytes; now and then misaligned, empty, negative or near the limit (what Linux
     * rejects).
     */
    long[] blockRange(Rng r, long size) {
        long offset = r.below(size / BLOCK + 2) * BLOCK;
        long length = r.between(1, 16) * BLOCK;
        if (edge(r, 2)) {
            offset += r.between(1, BLOCK - 1);
        } else if (edge(r, 2)) {
            length += r.between(1, BLOCK - 1);
        } else if (edge(r, 1)) {
            offset = negative(r);
        } else if (edge(r, 1)) {
            length = -r.below(2) * BLOCK;
        } else if (edge(r, 1)) {
            offset = nearLimit(r) & -BLOCK;
        } else if (edge(r, 1)) {
            length = FileModel.MAX_FILE_SIZE - size + BLOCK;
        }
        return new long[] {offset, length};
    }

    /** A new size for truncate: the same, smaller, a block multiple, far, or anything up to fileSize. */
    long newSize(Rng r, long size) {
        int p = r.below(100);
        long s;
        if (p < 5) {
            s = size;
        } else if (p < 35) {
            s = r.below(size + 1);
        } else if (p < 45) {
            s = r.below(fileSize / BLOCK + 1) * BLOCK;
        } else if (p < 48 && edgeCases) {
            s = far(r);
        } else {
            s = r.below(fileSize + 1);
        }
        return down(s);
    }

    /** Somewhere in one of the far windows. */
    long far(Rng r) {
        return FAR[r.below(FAR.length)] + r.below(FAR_WINDOW);
    }

    /**
     * A file position for a read or write: now and then a negative one (EINVAL), now and then one near the
     * largest file size (at odds {@code nearLimitOdds}, as {@link #edge}), else one in or around the file.
     */
    long position(Rng r, long size, int nearLimitOdds) {
        if (edge(r, 1)) {
            return negative(r);
        }
        if (edge(r, nearLimitOdds)) {
            return nearLimit(r);
        }
        return offset(r, size);
    }

    /** A negative offset or size: -1, the most negative long, or anything between. */
    static long negative(Rng r) {
        int p = r.below(100);
        return p < 30 ? -1 : p < 60 ? Long.MIN_VALUE : -1 - r.below(1L << 40);
    }

    /** An offset within 8 KiB either side of the largest file size. */
    static long nearLimit(Rng r) {
        return FileModel.MAX_FILE_SIZE + r.between(-8192, 8192);
    }

    /** True with probability {@code percent}/100, but only when edge cases are drawn at all. */
    boolean edge(Rng r, int percent) {
        return edgeCases && r.percent(percent);
    }

    private long down(long v) {
        return v & -align;
    }

    private long up(long v) {
        return (v + align - 1) & -align;
    }
}
