package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Preallocated (unwritten) extents read as zeros after a crash, although the blocks under them were freed
 * by a deleted file and still hold its bytes: the unwritten flag, not the block contents, is what keeps
 * them zero. Covers fallocate keep-size (then the size is grown after recovery to look at the blocks),
 * extending fallocate, and a write into the middle of a preallocated range (only the written blocks turn
 * written; the rest still reads zeros).
 */
class PreallocationCrashTest {
    private static final long SEED = 31;
    private static final int HEAD = 100;
    private static final int END = 7 * CrashTesting.BLOCK;
    private Workload w;
    private StaleBlocks stale;
    private int id;
    private byte[] head;

    @BeforeEach
    void setUp() throws Exception {
        w = new Workload(SEED, 16 * CrashTesting.MIB);
        stale = new StaleBlocks(w);
        id = w.create("/p", true);
        w.write(id, 0, HEAD);
        w.fsync(id, false);
        head = w.model.files.get(id).content.clone();
    }

    @AfterEach
    void tearDown() {
        w.closeAll();
    }

    @Test
    void keepSizePreallocationReadsZeros() throws Exception {
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.allocate(id, CrashTesting.BLOCK, END - CrashTesting.BLOCK, true), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                assertEquals(HEAD, fs.stat("/p").size(), "keep-size preallocation does not change the size");
                boolean preallocated = fs.extents("/p").stream().anyMatch(e -> e.unwritten());
                try (FileHandle h = fs.open("/p", OpenFlag.READ, OpenFlag.WRITE)) {
                    h.truncate(END); // now the preallocated blocks are inside the file
                    byte[] r = CrashTesting.readAll(h);
                    assertArrayEquals(head, Arrays.copyOf(r, HEAD));
                    assertAllZero(r, HEAD, END);
                }
                return preallocated ? "preallocated" : "not yet";
            }
        });
        stale.assertReused(w.fs, "/p", 1);
        report("keep-size preallocation", seen, "preallocated", "not yet");
    }

    @Test
    void extendingPreallocationReadsZeros() throws Exception {
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.allocate(id, 0, END, false), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                byte[] r = CrashTesting.readFile(fs, "/p");
                assertTrue(r.length == HEAD || r.length == END, "size " + r.length + " is neither before nor after");
                assertArrayEquals(head, Arrays.copyOf(r, HEAD));
                assertAllZero(r, HEAD, r.length);
                return r.length == END ? "extended" : "not yet";
            }
        });
        stale.assertReused(w.fs, "/p", 1);
        report("extending preallocation", seen, "extended", "not yet");
    }

    @Test
    void writeIntoPreallocatedRangeLeavesTheRestZero() throws Exception {
        w.allocate(id, 0, END, false);
        long off = 3 * CrashTesting.BLOCK + 5;
        int len = 10;
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.write(id, off, len), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                byte[] r = CrashTesting.readFile(fs, "/p");
                byte[] expected = w.model.files.get(id).content;
                assertEquals(END, r.length);
                assertArrayEquals(head, Arrays.copyOf(r, HEAD));
                assertAllZero(r, HEAD, (int) off);
                assertAllZero(r, (int) off + len, END);
                boolean written = Arrays.equals(r, (int) off, (int) off + len, expected, (int) off, (int) off + len);
                if (!written) {
                    assertAllZero(r, (int) off, (int) off + len);
                }
                return written ? "written" : "zeros";
            }
        });
        stale.assertReused(w.fs, "/p", 1);
        report("a write into a preallocated range", seen, "written", "zeros");
    }

    private static void assertAllZero(byte[] r, int from, int to) {
        for (int o = from; o < to; o++) {
            if (r[o] != 0) {
                throw new AssertionError("offset " + o + " reads 0x" + Integer.toHexString(r[o] & 0xff)
                        + ", not zero: " + CrashTesting.hex(r, o, 16));
            }
        }
    }

    private static void report(String what, Map<String, Integer> seen, String... outcomes) {
        System.out.println("crash during " + what + ": outcomes " + seen);
        for (String o : outcomes) {
            assertTrue(seen.containsKey(o), what + ": no crash image showed '" + o + "': " + seen);
        }
    }
}
