package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.fs.DaxFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Work that takes several transactions and is finished by mount after a crash: freeing a file with many
 * extents (unlinked while closed, or unlinked while open and then closed) and truncating one. Crashed at
 * every persist point, the next mount must finish the job: the name state is before or after, the size is
 * the old or the new one (with the old size, the tail of the new last block may already read zeros: it is
 * zeroed and flushed before the transaction, as XFS does), and the free block count is exactly what it would be had the call completed —
 * no block leaks, none is freed twice. (Fsck checks the same from the bitmap; this count is independent of
 * it.)
 */
class OrphanCrashTest {
    private static final long SEED = 51;
    /** More extents than one freeing transaction removes (FileData.REMOVE_BATCH is 64). */
    private static final int EXTENTS = 150;
    private Workload w;
    private long freeBeforeFile;
    private int id;
    private byte[] content;

    @BeforeEach
    void setUp() throws Exception {
        w = new Workload(SEED, 16 * CrashTesting.MIB);
        w.create("/keep", false);
        id = w.create("/frag", true);
        w.close(id);
        freeBeforeFile = w.fs.statfs().freeBlocks();
        for (int i = 0; i < EXTENTS; i++) {
            w.write(id, i * 2L * CrashTesting.BLOCK + i, 1 + i); // a hole between every two blocks
        }
        w.fsync(id, false);
        content = w.model.files.get(id).content.clone();
        assertEquals(EXTENTS, w.fs.extents("/frag").size(), "one extent per written block");
    }

    @AfterEach
    void tearDown() {
        w.closeAll();
    }

    @Test
    void unlinkOfAClosedFileWithManyExtents() throws Exception {
        w.close(id);
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.unlink("/frag"), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                return gone(fs);
            }
        });
        report("unlink of a closed file with " + EXTENTS + " extents", seen, "present", "freed");
    }

    @Test
    void closeOfAnUnlinkedFileWithManyExtents() throws Exception {
        w.unlink("/frag"); // still open: on the orphan list until closed
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.close(id), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                assertEquals(Errno.ENOENT, errnoOf(() -> fs.stat("/frag")));
                assertEquals(freeBeforeFile, fs.statfs().freeBlocks(), "mount finished freeing the orphan, exactly");
                return "freed";
            }
        });
        report("last close of an unlinked file with " + EXTENTS + " extents", seen, "freed");
        assertTrue(seen.get("freed") > 4, "crashed at several points of the freeing: " + seen);
    }

    @Test
    void truncateOfAFileWithManyExtents() throws Exception {
        long newSize = 10 * CrashTesting.BLOCK + 5;
        long[] freeAfter = new long[1];
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> {
            w.truncate(id, newSize);
            freeAfter[0] = w.fs.statfs().freeBlocks();
        }, image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                byte[] r = CrashTesting.readFile(fs, "/frag");
                if (r.length == content.length) {
                    // Not committed yet. Like XFS, the engine zeroes (and flushes) the rest of the new last
                    // block before the transaction, so that range may read zeros; every other byte is as fsynced.
                    int tailEnd = (int) Math.min(content.length, (newSize / CrashTesting.BLOCK + 1) * CrashTesting.BLOCK);
                    byte[] expected = content.clone();
                    for (int o = (int) newSize; o < tailEnd; o++) {
                        expected[o] = r[o] == 0 ? 0 : expected[o];
                    }
                    assertArrayEquals(expected, r, "truncate not yet committed: the fsynced content");
                    return "old size";
                }
                assertEquals(newSize, r.length, "size is the old or the new one");
                assertArrayEquals(Arrays.copyOf(content, (int) newSize), r);
                if (freeAfter[0] > 0) {
                    assertEquals(freeAfter[0], fs.statfs().freeBlocks(), "every block past the new size was freed, once");
                }
                return "new size";
            }
        });
        assertTrue(freeAfter[0] > freeBeforeFile - EXTENTS, "the truncate freed blocks");
        report("truncate of a file with " + EXTENTS + " extents", seen, "old size", "new size");
    }

    private String gone(DaxFileSystem fs) throws Exception {
        Errno e = errnoOf(() -> CrashTesting.readFile(fs, "/frag"));
        if (e == null) {
            assertArrayEquals(content, CrashTesting.readFile(fs, "/frag"), "not yet unlinked: the fsynced content");
            return "present";
        }
        assertEquals(Errno.ENOENT, e);
        assertEquals(freeBeforeFile, fs.statfs().freeBlocks(), "unlinked: every block is free again, exactly once");
        return "freed";
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Errno errnoOf(Call c) throws Exception {
        try {
            c.run();
            return null;
        } catch (FsException e) {
            return e.errno();
        }
    }

    private static void report(String what, Map<String, Integer> seen, String... outcomes) {
        System.out.println("crash during " + what + ": outcomes " + seen);
        for (String o : outcomes) {
            assertTrue(seen.containsKey(o), what + ": no crash image showed '" + o + "': " + seen);
        }
    }
}
