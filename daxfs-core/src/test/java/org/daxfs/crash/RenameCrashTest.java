package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.RenameFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rename is whole after a crash at any persist point of the call: the old state or the new, never both
 * names, never neither, and the files keep their fsynced contents. For a rename that replaces a file, the
 * replaced file's blocks are given back (at once, or by orphan processing at mount) — none leak.
 */
class RenameCrashTest {
    private static final long SEED = 11;
    private Workload w;
    private byte[] contentA;
    private byte[] contentB;

    @BeforeEach
    void setUp() throws Exception {
        w = new Workload(SEED, 16 * CrashTesting.MIB);
        w.mkdir("/d");
        int a = w.create("/d/a", true);
        w.write(a, 0, 3 * CrashTesting.BLOCK + 500);
        w.fsync(a, false);
        int b = w.create("/b", true);
        w.write(b, 0, 2 * CrashTesting.BLOCK + 7);
        w.fsync(b, false);
        contentA = w.model.files.get(a).content.clone();
        contentB = w.model.files.get(b).content.clone();
    }

    @AfterEach
    void tearDown() {
        w.closeAll();
    }

    @Test
    void renameReplacingAFileIsWhole() throws Exception {
        w.close(w.model.before.get("/b").id());
        long freeBefore = w.fs.statfs().freeBlocks();
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.rename("/d/a", "/b"), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                byte[] atA = read(fs, "/d/a");
                byte[] atB = read(fs, "/b");
                long free = fs.statfs().freeBlocks();
                if (atA != null) {
                    assertArrayEquals(contentA, atA, "old name keeps its fsynced content");
                    assertArrayEquals(contentB, atB, "old state: the target is untouched");
                    assertEquals(freeBefore, free, "old state: no block freed or leaked");
                    return "old";
                }
                assertTrue(atB != null, "neither /d/a nor /b exists after a crash during rename");
                assertArrayEquals(contentA, atB, "new name holds the renamed file's fsynced content");
                assertEquals(freeBefore + 3, free, "new state: the replaced file's 3 blocks are free again");
                return "new";
            }
        });
        report("rename replacing", seen);
    }

    @Test
    void renameReplacingAnOpenFileFreesItAtMount() throws Exception {
        // /b stays open: the rename leaves it on the orphan list; mount after a crash must free it.
        long freeBefore = w.fs.statfs().freeBlocks();
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.rename("/d/a", "/b"), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                byte[] atA = read(fs, "/d/a");
                byte[] atB = read(fs, "/b");
                if (atA != null) {
                    assertArrayEquals(contentB, atB);
                    return "old";
                }
                assertArrayEquals(contentA, atB);
                assertEquals(freeBefore + 3, fs.statfs().freeBlocks(), "orphan processing freed the replaced file");
                return "new";
            }
        });
        report("rename replacing an open file", seen);
    }

    @Test
    void exchangeIsWhole() throws Exception {
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.rename("/d/a", "/b", RenameFlag.EXCHANGE), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                byte[] atA = read(fs, "/d/a");
                byte[] atB = read(fs, "/b");
                assertTrue(atA != null && atB != null, "both names exist through an exchange");
                if (Arrays.equals(atA, contentA)) {
                    assertArrayEquals(contentB, atB, "half an exchange: both names show the same file");
                    return "old";
                }
                assertArrayEquals(contentB, atA);
                assertArrayEquals(contentA, atB);
                return "swapped";
            }
        });
        report("exchange", seen, "old", "swapped");
    }

    @Test
    void moveToANewNameInAnotherDirectoryIsWhole() throws Exception {
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.rename("/d/a", "/c", RenameFlag.NOREPLACE), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                byte[] atA = read(fs, "/d/a");
                byte[] atC = read(fs, "/c");
                assertTrue((atA == null) != (atC == null), "exactly one of /d/a and /c exists");
                assertArrayEquals(contentA, atA != null ? atA : atC);
                assertEquals(atA != null ? 0 : 1, fs.readdir("/").stream().filter(e -> e.name().equals("c")).count());
                return atA != null ? "old" : "new";
            }
        });
        report("move to another directory", seen);
    }

    @Test
    void directoryRenameIsWhole() throws Exception {
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.rename("/d", "/e"), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                byte[] old = read(fs, "/d/a");
                byte[] moved = read(fs, "/e/a");
                assertTrue((old == null) != (moved == null), "the directory is under exactly one name");
                assertArrayEquals(contentA, old != null ? old : moved);
                return old != null ? "old" : "new";
            }
        });
        report("directory rename", seen);
    }

    /** Both sides of the change must have been seen, or the crash points missed the commit. */
    private static void report(String what, Map<String, Integer> seen, String... outcomes) {
        System.out.println("crash during " + what + ": outcomes " + seen);
        for (String o : outcomes.length == 0 ? new String[] {"old", "new"} : outcomes) {
            assertTrue(seen.containsKey(o), what + ": no crash image showed the " + o + " state: " + seen);
        }
    }

    /** The file's content, or null if the name does not exist. */
    private static byte[] read(DaxFileSystem fs, String path) throws FsException {
        try {
            return CrashTesting.readFile(fs, path);
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }
}
