package org.daxfs.crash;

import java.util.ArrayList;
import java.util.List;

/**
 * Every write a test made, to every file: used only to say where an unexpected byte came from (another
 * file's freed block, an older generation of this file), so a failure message points at the bug.
 */
final class WriteLog {
    record Entry(int file, long gen, long off, int len, int op) {
    }

    private final List<Entry> all = new ArrayList<>();
    private long nextGen = 1;

    /** A new generation for a write of {@code [off, off+len)} to {@code file} by op {@code op}. */
    long record(int file, long off, int len, int op) {
        long gen = nextGen++;
        all.add(new Entry(file, gen, off, len, op));
        return gen;
    }

    /**
     * Guesses the origin of the bytes at {@code r[o..]}: a write whose bytes at an offset with the same
     * position in its block match 16 bytes there (a stale block keeps positions within the block).
     */
    String attribute(byte[] r, int o, int thisFile) {
        int n = Math.min(16, r.length - o);
        boolean zeros = true;
        for (int i = 0; i < n; i++) {
            zeros &= r[o + i] == 0;
        }
        if (zeros) {
            return "zeros";
        }
        int inBlock = o % CrashTesting.BLOCK;
        for (int k = all.size() - 1; k >= 0; k--) {
            Entry e = all.get(k);
            long first = e.off - e.off % CrashTesting.BLOCK + inBlock;
            for (long at = first; at + n <= e.off + e.len; at += CrashTesting.BLOCK) {
                if (at < e.off) {
                    continue;
                }
                boolean match = true;
                for (int i = 0; i < n && match; i++) {
                    match = r[o + i] == CrashTesting.val(e.gen, at + i);
                }
                if (match) {
                    return (e.file == thisFile ? "this file's" : "file #" + e.file + "'s") + " write gen " + e.gen
                            + " (op " + e.op + ") at its offset " + at;
                }
            }
        }
        if (n >= 4 && r[o] == 'D' && r[o + 1] == 'X') {
            return "metadata (magic 'DX..')";
        }
        return "no write of any file (metadata or garbage?)";
    }
}
