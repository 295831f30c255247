package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.format.Extent;
import org.daxfs.fs.DaxFileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The crash checks must be able to fail. Each test here breaks one guarantee on purpose — a lost flush, a
 * stale block, half a rename, a wrong size — and asserts that {@link RecoveryChecker} reports exactly that.
 * Without these, a checker that accepted everything would make every crash test pass.
 */
class CheckerSelfTest {
    private Workload w;

    @BeforeEach
    void setUp() throws Exception {
        w = new Workload(0, 16 * CrashTesting.MIB);
    }

    @AfterEach
    void tearDown() {
        w.closeAll();
    }

    private String check(CrashSimulatorDevice image) {
        return new RecoveryChecker(w.model, new RecoveryChecker.Stats()).check(image, 0, new Random(0));
    }

    private CrashSimulatorDevice crashNow() {
        return w.simulator().crash(new Random(0), 0.0);
    }

    @Test
    void acceptsAnHonestImage() throws Exception {
        int a = w.create("/a", true);
        w.write(a, 0, 3 * CrashTesting.BLOCK + 17);
        w.fsync(a, false);
        w.write(a, 100, 50);
        assertNull(check(crashNow()));
    }

    @Test
    void lostFsyncIsCaught() throws Exception {
        int a = w.create("/a", true);
        w.write(a, 0, 2 * CrashTesting.BLOCK);
        w.fsync(a, false);
        w.write(a, 10, 100); // overwrite: durable only through the next fsync
        w.device.losePersists((off, len) -> true);
        w.fsync(a, false);
        w.device.losePersists(null);
        String p = check(crashNow());
        assertNotNull(p, "an fsync whose flush was lost must be reported");
        assertTrue(p.contains("fsynced content lost"), p);
        assertTrue(p.contains("offset 10 "), p);
    }

    @Test
    void lostJournalFlushIsCaught() throws Exception {
        w.create("/a", false);
        w.device.losePersists((off, len) -> true);
        w.create("/b", false);
        w.device.losePersists(null);
        String p = check(crashNow());
        assertNotNull(p, "a create that returned but is not durable must be reported");
        assertTrue(p.contains("/b is missing"), p);
    }

    @Test
    void staleBlockOfAnotherFileIsCaught() throws Exception {
        int a = w.create("/a", true);
        w.write(a, 0, CrashTesting.BLOCK);
        int b = w.create("/b", true);
        w.write(b, 0, CrashTesting.BLOCK);
        w.fsync(a, false);
        w.fsync(b, false);
        long blockOfA = onlyExtent(w.fs, "/a").physical();
        long blockOfB = onlyExtent(w.fs, "/b").physical();
        CrashSimulatorDevice image = crashNow();
        // What an ordered-data bug would show: /a mapping a block that still holds /b's bytes.
        byte[] stale = new byte[CrashTesting.BLOCK];
        image.read(blockOfB * CrashTesting.BLOCK, stale, 0, stale.length);
        image.write(blockOfA * CrashTesting.BLOCK, stale, 0, stale.length);
        image.persistAll();
        String p = check(image);
        assertNotNull(p, "another file's bytes in /a must be reported");
        assertTrue(p.contains("file #" + b + "'s write gen"), p);
    }

    @Test
    void lostOrderedDataFlushIsCaught() throws Exception {
        // The write into a hole gets blocks of a deleted file; if its data flush were lost (or came after
        // the commit), the crash image would map those blocks with the deleted file's bytes.
        StaleBlocks stale = new StaleBlocks(w);
        int a = w.create("/a", true);
        long dataStart = stale.blocks.stream().min(Long::compare).orElseThrow() * CrashTesting.BLOCK;
        w.device.losePersists((off, len) -> off >= dataStart);
        w.write(a, 0, 2 * CrashTesting.BLOCK);
        w.device.losePersists(null);
        stale.assertReused(w.fs, "/a");
        String p = check(crashNow());
        assertNotNull(p, "stale bytes of a deleted file must be reported");
        assertTrue(p.contains("byte not explained") && p.contains("write gen 1 "), p);
    }

    @Test
    void halfDoneRenameIsCaught() throws Exception {
        w.create("/a", false);
        w.create("/b", false);
        // The model says "rename /a -> /c is in progress"; the image shows both names (a broken rename).
        w.model.begin("rename /a -> /c", w.model.before.renamed("/a", "/c"));
        CrashSimulatorDevice image = crashNow();
        try (DaxFileSystem fs = CrashTesting.mount(image)) {
            fs.link("/a", "/c");
        }
        String p = check(image);
        assertNotNull(p);
        assertTrue(p.contains("neither the one before nor the one after"), p);
    }

    @Test
    void sizeOutsideTheWindowIsCaught() throws Exception {
        int a = w.create("/a", true);
        w.write(a, 0, 5000);
        w.fsync(a, false);
        CrashSimulatorDevice image = crashNow();
        try (DaxFileSystem fs = CrashTesting.mount(image)) {
            fs.truncate("/a", 3000);
        }
        String p = check(image);
        assertNotNull(p);
        assertTrue(p.contains("size 3000 is not one the file had"), p);
    }

    @Test
    void bytesFromBeforeACompletedTruncateAreCaught() throws Exception {
        int a = w.create("/a", true);
        w.write(a, 0, 6000);
        w.fsync(a, false);
        w.truncate(a, 1000);
        w.truncate(a, 6000); // must read zeros in [1000, 6000) from now on, crash or not
        CrashSimulatorDevice image = crashNow();
        long block = onlyExtent(w.fs, "/a").physical();
        byte[] old = CrashTesting.data(1, 0, 6000); // the workload's first write has generation 1
        image.write(block * CrashTesting.BLOCK + 1000, old, 1000, 3096);
        image.persistAll();
        String p = check(image);
        assertNotNull(p);
        assertTrue(p.contains("offset 1000 ") && p.contains("this file's write gen"), p);
    }

    @Test
    void damageThatFsckFindsIsReported() throws Exception {
        w.create("/a", false);
        CrashSimulatorDevice image = crashNow();
        long bitmap = 1 + DaxFileSystem.info(image).journalBlocks(); // device layout: superblock, journal, bitmap
        byte[] b = new byte[1];
        image.read(bitmap * CrashTesting.BLOCK + 100, b, 0, 1);
        b[0] ^= 0x10;
        image.write(bitmap * CrashTesting.BLOCK + 100, b, 0, 1);
        image.persistAll();
        String p = check(image);
        assertNotNull(p);
        assertTrue(p.startsWith("before mount: fsck exit code"), p);
    }

    private static Extent onlyExtent(DaxFileSystem fs, String path) throws Exception {
        List<Extent> e = fs.extents(path);
        assertEquals(1, e.size(), path + " extents " + e);
        return e.get(0);
    }
}
