package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.daxfs.fs.DaxFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Overwrites of existing blocks are durable only through fsync, which flushes the ranges the file dirtied;
 * past a bound (4096 ranges) it stops tracking them and flushes all of the file's blocks instead. Both
 * ways, a crash once fsync has returned must show every overwrite, and a crash before or during it each
 * byte old or new (the generic model).
 */
class OverwriteFsyncCrashTest {
    private static final long SEED = 91;
    private static final int SIZE = 100 * 1024;
    private Workload w;
    private int id;

    @BeforeEach
    void setUp() throws Exception {
        w = new Workload(SEED, 16 * CrashTesting.MIB);
        id = w.create("/f", true);
        w.write(id, 0, SIZE);
        w.fsync(id, false);
    }

    @AfterEach
    void tearDown() {
        w.closeAll();
    }

    @Test
    void fewOverwritesThenFsync() throws Exception {
        for (int i = 0; i < 50; i++) {
            w.write(id, i * 2000L + i, 1 + i);
        }
        fsyncAndCheck("a few overwrites");
    }

    @Test
    void moreOverwritesThanFsyncTracksThenFsync() throws Exception {
        for (int i = 0; i < 4200; i++) {
            w.write(id, i * 24L, 1); // not adjacent: each is its own dirty range
        }
        fsyncAndCheck("4200 overwrites");
    }

    private void fsyncAndCheck(String what) throws Exception {
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.fsync(id, false), image -> {
            FileModel fm = w.model.files.get(id);
            try (DaxFileSystem fs = CrashTesting.mount(image)) {
                byte[] r = CrashTesting.readFile(fs, "/f");
                if (fm.exact()) {
                    assertArrayEquals(fm.base, r, "fsync returned: every overwrite is durable");
                    return "after fsync";
                }
                return "during fsync";
            }
        });
        System.out.println("crash during fsync after " + what + ": outcomes " + seen);
        assertTrue(seen.containsKey("after fsync") && seen.containsKey("during fsync"), "outcomes " + seen);
    }
}
