package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.fs.DaxFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * rmdir crashed at every persist point: the directory is there (empty) or gone, the image is clean for
 * fsck before and after mount, and its blocks come back. rmdir commits the name removal with the
 * directory on the orphan list, then frees its blocks and its inode in further transactions; a crash in
 * between leaves an orphan directory without blocks, which mount must finish freeing and fsck must accept
 * as work in progress (like e2fsck, which processes the orphan list first).
 */
class RmdirCrashTest {
    private static final long SEED = 71;
    private Workload w;

    @BeforeEach
    void setUp() throws Exception {
        w = new Workload(SEED, 16 * CrashTesting.MIB);
        w.create("/keep", false);
        w.mkdir("/d");
        // Names added and removed again: the directory keeps the blocks its table grew to.
        for (int i = 0; i < 3; i++) {
            w.create("/d/f" + i, false);
        }
        for (int i = 0; i < 3; i++) {
            w.unlink("/d/f" + i);
        }
    }

    @AfterEach
    void tearDown() {
        w.closeAll();
    }

    @Test
    void renameOverAnEmptyDirectoryIsWholeAndFsckClean() throws Exception {
        // The replaced directory is freed the same way as by rmdir.
        w.mkdir("/e");
        w.create("/e/x", false);
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.rename("/e", "/d"), image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                boolean old = fs.readdir("/").stream().anyMatch(e -> e.name().equals("e"));
                assertEquals(old ? 0 : 1, fs.readdir("/d").size());
                return old ? "old" : "new";
            }
        });
        System.out.println("crash during rename over an empty directory: outcomes " + seen);
        assertTrue(seen.containsKey("old") && seen.containsKey("new"), "outcomes " + seen);
    }

    @Test
    void rmdirIsWholeAndFsckClean() throws Exception {
        long freeBefore = w.fs.statfs().freeBlocks();
        long[] free = new long[1];
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> {
            w.rmdir("/d");
            free[0] = w.fs.statfs().freeBlocks();
        }, image -> {
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                try {
                    assertTrue(fs.stat("/d").isDirectory());
                    assertEquals(0, fs.readdir("/d").size());
                    return "present";
                } catch (FsException e) {
                    assertEquals(Errno.ENOENT, e.errno());
                    if (free[0] > 0) {
                        assertEquals(free[0], fs.statfs().freeBlocks(), "the directory's blocks are free again");
                    }
                    return "removed";
                }
            }
        });
        System.out.println("crash during rmdir: outcomes " + seen);
        assertTrue(seen.containsKey("present") && seen.containsKey("removed"), "outcomes " + seen);
        assertTrue(free[0] > freeBefore, "rmdir gave blocks back: " + freeBefore + " -> " + free[0]);
    }
}
