package org.daxfs.fs;

/**
 * Free space: the blocks the metadata claims against the bitmap, both ways, and the superblock's free
 * count against the bitmap's.
 *
 * <ul>
 * <li>A claimed block the bitmap marks free could be handed out again and end up in two files: always
 *     reported, and repair marks it in use.
 * <li>A block the bitmap marks in use that nobody claims is leaked: reported only when every owner is
 *     known ({@link CheckContext#ownershipUnknown} unset), since a block of a damaged file would look
 *     leaked too; repair frees it.
 * </ul>
 * Repair rewrites the bitmap blocks that differ from the computed usage (with a damaged bitmap block, the
 * part it covers is marked wholly in use unless every owner is known) together with the free count.
 *
 * <p>Locking: none; one fsck thread on an unmounted image.
 */
final class CheckSpace {
    /** Ranges reported one per line; the rest are counted in one more line. */
    private static final int MAX_RANGES = 20;

    private final CheckContext cx;
    private final CheckBitmap bitmap;

    private CheckSpace(CheckContext cx, CheckBitmap bitmap) {
        this.cx = cx;
        this.bitmap = bitmap;
    }

    static void check(CheckContext cx, CheckBitmap bitmap, FsckProgress.Span progress) {
        new CheckSpace(cx, bitmap).run(progress);
    }

    private void run(FsckProgress.Span progress) {
        long[] claimed = cx.usage.words();
        long[] marked = bitmap.words();
        boolean reportLeaks = !cx.ownershipUnknown;
        Ranges inUseFree = new Ranges(true);
        Ranges leaked = new Ranges(false);
        for (int w = 0; w < marked.length; w++) {
            if (!bitmap.isWordKnown(w)) {
                continue;
            }
            long device = deviceMask(w);
            long free = claimed[w] & ~marked[w] & device;
            long unclaimed = reportLeaks ? marked[w] & ~claimed[w] & device : 0;
            if (free != 0) {
                inUseFree.add(w, free);
            }
            if (unclaimed != 0) {
                leaked.add(w, unclaimed);
            }
            if ((w & 0xffff) == 0) {
                progress.at(w, marked.length);
            }
        }
        inUseFree.flush();
        leaked.flush();
        inUseFree.summary();
        leaked.summary();
        boolean rewrite = !bitmap.allSound() || inUseFree.blocks > 0 || leaked.blocks > 0;
        if (rewrite) {
            plan(claimed, marked);
        } else {
            long free = bitmap.freeCount();
            if (cx.sb.freeBlocks() != free) {
                cx.plan.freeBlocks = free;
            }
        }
        if (bitmap.allSound() && cx.sb.freeBlocks() != bitmap.freeCount()) {
            cx.findings.problem("superblock: free block count " + cx.sb.freeBlocks() + ", the bitmap has "
                    + bitmap.freeCount() + " free");
        }
        progress.done();
    }

    /** Bits of word {@code w} that stand for blocks on the device. */
    private long deviceMask(int w) {
        long first = (long) w << 6;
        if (first + 64 <= cx.total) {
            return -1L;
        }
        return first >= cx.total ? 0 : (1L << (cx.total - first)) - 1;
    }

    /** Plans the bitmap to write and its free count. */
    private void plan(long[] claimed, long[] marked) {
        long[] want = claimed.clone();
        if (cx.ownershipUnknown) {
            // Free nothing: keep every bit set, and where a bitmap block is unreadable, take it all as used.
            for (int w = 0; w < want.length; w++) {
                want[w] |= bitmap.isWordKnown(w) ? marked[w] : -1L;
            }
        }
        long used = 0;
        for (int w = 0; w < want.length; w++) {
            want[w] &= deviceMask(w);
            used += Long.bitCount(want[w]);
        }
        cx.plan.bitmap = want;
        cx.plan.freeBlocks = cx.total - used;
    }

    /** Runs of blocks of one kind of difference, reported as ranges. */
    private final class Ranges {
        private final boolean inUse;
        private long start = -1;
        private long end = -1;
        private long runs;
        private long blocks;
        private long unreported;

        Ranges(boolean inUse) {
            this.inUse = inUse;
        }

        void add(int w, long bits) {
            while (bits != 0) {
                int bit = Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                long blk = ((long) w << 6) + bit;
                blocks++;
                if (blk == end) {
                    end++;
                } else {
                    flush();
                    start = blk;
                    end = blk + 1;
                }
            }
        }

        void flush() {
            if (start < 0) {
                return;
            }
            runs++;
            if (runs > MAX_RANGES) {
                unreported += end - start;
            } else {
                String what = end - start == 1 ? "block " + start : "blocks " + start + "-" + (end - 1);
                if (inUse) {
                    String owner = cx.usage.ownerOf(start);
                    cx.findings.problem(what + (end - start == 1 ? " is" : " are") + " in use"
                            + (owner == null ? "" : " by " + owner) + " but marked free");
                } else {
                    cx.findings.problem(what + (end - start == 1 ? " is" : " are")
                            + " marked in use but belong" + (end - start == 1 ? "s" : "") + " to nothing (leaked)");
                }
            }
            start = -1;
        }

        void summary() {
            if (unreported > 0) {
                cx.findings.problem("... and " + unreported + " more blocks "
                        + (inUse ? "in use but marked free" : "marked in use that belong to nothing"));
            }
        }
    }
}
