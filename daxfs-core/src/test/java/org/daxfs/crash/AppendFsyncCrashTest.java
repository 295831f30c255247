package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.fs.DaxFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Append + fsync, the pattern of every log: after a crash the file holds exactly what the last completed
 * fsync made durable, possibly followed by some of what was appended since — never less, never a byte
 * of the fsynced prefix changed, never garbage after it. Crashing once fsync has returned (and before the
 * next append) must give exactly the fsynced size and bytes. Appends of many sizes, so they end inside a
 * block, on a block boundary, and span blocks (both the "overwrite the tail of the last block" path,
 * durable only by fsync, and the "allocate new blocks" path, ordered).
 */
class AppendFsyncCrashTest {
    private static final long SEED = 41;
    private static final int[] APPENDS = {1, 100, 3995, 4096, 5000, 17, 9000, 4079, 64, 12288};
    private Workload w;
    private int id;

    @BeforeEach
    void setUp() throws Exception {
        w = new Workload(SEED, 16 * CrashTesting.MIB);
        id = w.create("/log", true);
    }

    @AfterEach
    void tearDown() {
        w.closeAll();
    }

    @Test
    void afterACrashTheLogHoldsItsFsyncedPrefix() throws Exception {
        check(false);
    }

    @Test
    void sameWithFdatasync() throws Exception {
        check(true);
    }

    private void check(boolean dataOnly) throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        for (int len : APPENDS) {
            EveryPersistPoint.run(w, SEED, () -> w.append(id, len), this::checkLog).forEach((k, v) -> seen.merge(k, v, Integer::sum));
            EveryPersistPoint.run(w, SEED, () -> w.fsync(id, dataOnly), this::checkLog).forEach((k, v) -> seen.merge(k, v, Integer::sum));
        }
        System.out.println("crash during appends and " + (dataOnly ? "fdatasyncs" : "fsyncs") + ": outcomes " + seen);
        assertTrue(seen.containsKey("exactly fsynced"), "outcomes " + seen);
        assertTrue(seen.containsKey("fsynced + appended"), "outcomes " + seen);
    }

    /**
     * The model's base is the content at the last completed fsync; its content, what has been appended
     * (including an append in progress).
     */
    private String checkLog(CrashSimulatorDevice image) throws Exception {
        FileModel fm = w.model.files.get(id);
        byte[] fsynced = fm.base;
        byte[] appended = fm.content;
        try (DaxFileSystem fs = CrashTesting.mount(image)) {
            byte[] r = CrashTesting.readFile(fs, "/log");
            String ctx = " (" + w.model.where() + ", fsynced " + fsynced.length + " bytes, appended " + appended.length + ")";
            if (fm.exact()) {
                assertArrayEquals(fsynced, r, "fsync returned and nothing was appended since: size and bytes exact" + ctx);
                return "exactly fsynced";
            }
            assertTrue(r.length >= fsynced.length && r.length <= appended.length, "size " + r.length + ctx);
            assertArrayEquals(fsynced, Arrays.copyOf(r, fsynced.length), "the fsynced prefix" + ctx);
            for (int o = fsynced.length; o < r.length; o++) {
                if (r[o] != 0 && r[o] != appended[o]) {
                    throw new AssertionError("offset " + o + " after the fsynced prefix is neither zero nor appended data" + ctx);
                }
            }
            return r.length == fsynced.length ? "fsynced only" : "fsynced + appended";
        }
    }
}
