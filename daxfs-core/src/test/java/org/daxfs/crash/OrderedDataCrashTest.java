package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.fs.DaxFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ordered data: a block newly allocated to a file never becomes visible after a crash before it holds
 * zeros or the written data. The blocks the write gets were freed by a deleted file and still hold its
 * bytes; a crash at any persist point of the write must show the hole (zeros) or the data — never those
 * bytes.
 */
class OrderedDataCrashTest {
    private static final long SEED = 21;
    private static final int FILE_SIZE = 10 * CrashTesting.BLOCK;
    private Workload w;
    private StaleBlocks stale;
    private int id;

    @BeforeEach
    void setUp() throws Exception {
        w = new Workload(SEED, 16 * CrashTesting.MIB);
        stale = new StaleBlocks(w);
        id = w.create("/new", true);
        w.truncate(id, FILE_SIZE); // all hole
    }

    @AfterEach
    void tearDown() {
        w.closeAll();
    }

    @Test
    void writeIntoAHoleShowsZerosOrDataNeverStaleBytes() throws Exception {
        long off = 3 * CrashTesting.BLOCK + 100; // unaligned: the engine zeroes the head and tail of the blocks
        int len = 2 * CrashTesting.BLOCK;
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> w.write(id, off, len), this::check);
        stale.assertReused(w.fs, "/new");
        System.out.println("crash during a write into a hole: outcomes " + seen);
        assertTrue(seen.containsKey("hole") && seen.containsKey("data"), "outcomes " + seen);
    }

    @Test
    void severalSmallWritesIntoHolesNeverShowStaleBytes() throws Exception {
        Map<String, Integer> seen = EveryPersistPoint.run(w, SEED, () -> {
            for (int i = 0; i < 5; i++) {
                w.write(id, i * 2L * CrashTesting.BLOCK + 37 * i, 1 + 50 * i);
            }
        }, this::check);
        stale.assertReused(w.fs, "/new");
        System.out.println("crash during small writes into holes: outcomes " + seen);
        assertTrue(seen.containsKey("hole") && seen.containsKey("data"), "outcomes " + seen);
    }

    /**
     * Every byte of /new is zero or what the writes so far put there (the model's content), and no 16
     * bytes anywhere match the deleted file. Outcome: "hole" (all zeros), "data" (all written bytes present)
     * or "partial" (some blocks of a call in progress, allowed).
     */
    private String check(CrashSimulatorDevice image) throws Exception {
        try (DaxFileSystem fs = CrashTesting.mount(image)) {
            byte[] r = CrashTesting.readFile(fs, "/new");
            assertEquals(FILE_SIZE, r.length, "the size was set by a completed truncate");
            int at = stale.findStale(r);
            assertEquals(-1, at, "bytes of the deleted file at offset " + at + " of /new");
            byte[] expected = w.model.files.get(id).content;
            boolean allZero = true;
            boolean allData = true;
            for (int o = 0; o < r.length; o++) {
                assertTrue(r[o] == 0 || r[o] == expected[o], "offset " + o + " of /new is neither zero nor written data");
                allZero &= r[o] == 0;
                allData &= r[o] == expected[o];
            }
            return allZero ? "hole" : allData ? "data" : "partial";
        }
    }
}
