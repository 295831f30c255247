package org.daxfs.fs;

/**
 * The blocks the metadata says are in use, as fsck computes them: one bit per device block, plus who
 * claimed each run, so that a block claimed twice can be reported with both owners.
 *
 * <p>Runs are kept in a flat array (24 bytes each) and searched only when a conflict needs the other
 * owner's name, which keeps a big image's walk cheap.
 *
 * <p>Locking: none; one fsck thread.
 */
final class CheckBlockUsage {
    /** What a claimed run is. */
    enum Kind {
        FIXED("the superblock, journal and bitmap"),
        TABLE("inode table"),
        DATA("data"),
        NODE("extent tree"),
        XATTR("xattr block");

        final String what;

        Kind(String what) {
            this.what = what;
        }
    }

    /** Conflicts past this many are counted in one line each but without searching for the other owner. */
    private static final int NAMED_CONFLICTS = 1000;

    private final long total;
    private final long[] words;
    private long[] runs = new long[3 * 256];
    private int runCount;
    private int conflicts;

    CheckBlockUsage(long totalBlocks, int words) {
        this.total = totalBlocks;
        this.words = new long[words];
    }

    /** The bits, one per block, 1 = claimed; the caller must not change them. */
    long[] words() {
        return words;
    }

    /**
     * Claims {@code [start, start+length)}, which the caller has checked lies on the device, for
     * {@code ino}. Blocks someone already claimed are reported (and stay claimed).
     *
     * @return false if any block was already claimed
     */
    boolean claim(long start, long length, long ino, Kind kind, FsckFindings findings) {
        long end = start + length;
        long first = firstClaimed(start, end);
        if (first >= 0) {
            String other = ++conflicts <= NAMED_CONFLICTS ? ownerOf(first) : "another file";
            String mine = ino == InodeTable.TABLE_INO || kind == Kind.FIXED ? kind.what : "its " + kind.what;
            String where = "block " + first + (end - start > 1 ? " (of " + start + "-" + (end - 1) + ")" : "");
            if (kind == Kind.FIXED || ino == InodeTable.TABLE_INO) {
                findings.problem(where + " of the " + mine + " is also claimed by " + other);
            } else {
                findings.inode(ino, where + " of " + mine + " is also claimed by " + other);
            }
        }
        set(start, end);
        remember(start, end, ino, kind);
        return first < 0;
    }

    boolean isClaimed(long blk) {
        return (words[(int) (blk >>> 6)] & (1L << blk)) != 0;
    }

    /** Who claimed block {@code blk}, for messages; null if nobody did. */
    String ownerOf(long blk) {
        for (int i = 0; i < runCount; i++) {
            long s = runs[3 * i];
            long e = runs[3 * i + 1];
            if (blk >= s && blk < e) {
                long code = runs[3 * i + 2];
                Kind kind = Kind.values()[(int) (code & 7)];
                long ino = code >>> 3;
                if (kind == Kind.FIXED) {
                    return kind.what;
                }
                if (ino == InodeTable.TABLE_INO) {
                    return "the inode table (" + kind.what + ")";
                }
                return "inode " + ino + " (" + kind.what + ")";
            }
        }
        return null;
    }

    /** The first claimed block in {@code [start, end)}, or -1. */
    private long firstClaimed(long start, long end) {
        long blk = start;
        while (blk < end) {
            int wi = (int) (blk >>> 6);
            long mask = -1L << blk;
            long stop = Math.min(end, ((long) wi + 1) << 6);
            if (stop < ((long) wi + 1) << 6) {
                mask &= (1L << stop) - 1;
            }
            long hit = words[wi] & mask;
            if (hit != 0) {
                return ((long) wi << 6) + Long.numberOfTrailingZeros(hit);
            }
            blk = stop;
        }
        return -1;
    }

    private void set(long start, long end) {
        long blk = Math.max(0, start);
        end = Math.min(end, total);
        while (blk < end) {
            int wi = (int) (blk >>> 6);
            long mask = -1L << blk;
            long stop = Math.min(end, ((long) wi + 1) << 6);
            if (stop < ((long) wi + 1) << 6) {
                mask &= (1L << stop) - 1;
            }
            words[wi] |= mask;
            blk = stop;
        }
    }

    private void remember(long start, long end, long ino, Kind kind) {
        if (3 * runCount + 3 > runs.length) {
            runs = java.util.Arrays.copyOf(runs, runs.length * 2);
        }
        runs[3 * runCount] = start;
        runs[3 * runCount + 1] = end;
        runs[3 * runCount + 2] = ino << 3 | kind.ordinal();
        runCount++;
    }
}
