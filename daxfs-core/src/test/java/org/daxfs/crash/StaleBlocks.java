package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.daxfs.FsException;
import org.daxfs.format.Extent;
import org.daxfs.fs.DaxFileSystem;

/**
 * Sets up the situation where stale data could leak: a file full of recognisable bytes is written,
 * fsynced and deleted, and the file system remounted, so its blocks are free, still hold those bytes, and
 * are the first the allocator will hand out (after mount it searches from the start of the data area).
 */
final class StaleBlocks {
    static final int BLOCKS = 8;

    /** Device blocks that held the deleted file. */
    final Set<Long> blocks = new HashSet<>();
    /** Its content (every byte a function of its write generation and offset). */
    final byte[] bytes;

    StaleBlocks(Workload w) throws FsException {
        int id = w.create("/stale", true);
        w.write(id, 0, BLOCKS * CrashTesting.BLOCK);
        w.fsync(id, false);
        bytes = w.model.files.get(id).content.clone();
        for (Extent e : w.fs.extents("/stale")) {
            for (long b = 0; b < e.length(); b++) {
                blocks.add(e.physical() + b);
            }
        }
        w.close(id);
        w.unlink("/stale");
        w.remount();
    }

    /** Asserts the test really exercised reuse: {@code path} maps at least one block the deleted file had. */
    void assertReused(DaxFileSystem fs, String path) throws FsException {
        assertReused(fs, path, 0);
    }

    /** As above, counting only the file's logical blocks from {@code fromBlock} on. */
    void assertReused(DaxFileSystem fs, String path, long fromBlock) throws FsException {
        List<Extent> extents = fs.extents(path);
        boolean reused = false;
        for (Extent e : extents) {
            for (long b = 0; b < e.length(); b++) {
                reused |= e.logical() + b >= fromBlock && blocks.contains(e.physical() + b);
            }
        }
        assertTrue(reused, path + " was meant to reuse a block of the deleted file " + blocks + " from its block "
                + fromBlock + " on, but maps " + extents);
    }

    /** Returns the offset of the first 16 bytes of {@code r} equal to the deleted file's bytes at the same in-block position, or -1. */
    int findStale(byte[] r) {
        for (int o = 0; o + 16 <= r.length; o += 16) {
            int inBlock = o % CrashTesting.BLOCK;
            for (int blk = 0; blk < BLOCKS; blk++) {
                int at = blk * CrashTesting.BLOCK + inBlock;
                boolean same = true;
                for (int i = 0; i < 16 && same; i++) {
                    same = r[o + i] == bytes[at + i];
                }
                if (same) {
                    return o;
                }
            }
        }
        return -1;
    }
}
