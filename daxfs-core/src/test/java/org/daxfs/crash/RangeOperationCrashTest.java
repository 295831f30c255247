package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import org.junit.jupiter.api.Test;

/**
 * Punch hole, zero range, collapse range and insert range crashed at every persist point (after each
 * persist, with every unpersisted store dropped, and with random halves of them kept).
 *
 * <p>What must hold on every crash image: it mounts; fsck is clean after unmount; an untouched second file
 * is intact; and every 4 KiB block of the file being changed is either zeros or one of that file's own
 * blocks — never another file's bytes. Punch and zero keep every block outside their range exactly, and
 * inside it each block is the old block or zeros. Collapse and insert run in several transactions for a
 * fragmented file and may be found half done (as on ext4, which has no orphan-style rollback for them),
 * but their size is the old or the new one.
 */
class RangeOperationCrashTest {
    private static final int BLOCK = CrashTesting.BLOCK;
    private static final int BLOCKS = 200;

    private interface Change {
        void apply(FileHandle h) throws Exception;
    }

    /** Block i of file {@code id}: 8-byte words (id << 32 | i), recognisable wherever it ends up. */
    private static byte[] block(int id, int i) {
        ByteBuffer b = ByteBuffer.allocate(BLOCK);
        while (b.hasRemaining()) {
            b.putLong(((long) id << 32) | i);
        }
        return b.array();
    }

    /** The file's blocks at every other block, so it has many extents and the operations batch. */
    private static void fill(DaxFileSystem fs, String path, int id) throws Exception {
        try (FileHandle h = fs.open(path, OpenFlag.WRITE, OpenFlag.CREATE)) {
            for (int i = 0; i < BLOCKS; i += 2) {
                CrashTesting.writeFully(h, block(id, i), (long) i * BLOCK);
            }
            for (int i = 1; i < BLOCKS; i += 2) {
                CrashTesting.writeFully(h, block(id, i), (long) i * BLOCK);
            }
            h.fsync();
        }
    }

    private void crashEverywhere(String name, Change change, boolean exactOutsideRange, long rangeStart,
                                 long rangeEnd, long newSize) throws Exception {
        try (CrashSimulatorDevice device = CrashTesting.formattedDevice(32 * CrashTesting.MIB)) {
            DaxFileSystem fs = CrashTesting.mount(device);
            // A file written in two interleaved passes, so its blocks are scattered into many extents.
            fill(fs, "/other", 2);
            fill(fs, "/f", 1);
            fs.sync();
            byte[] before = CrashTesting.readFile(fs, "/f");
            byte[] other = CrashTesting.readFile(fs, "/other");
            List<String> failures = new ArrayList<>();
            TreeMap<String, Integer> outcomes = new TreeMap<>();
            int[] points = {0};
            device.onPersist(seq -> {
                points[0]++;
                for (double keep : new double[] {0.0, 0.5}) {
                    if (!failures.isEmpty()) {
                        return;
                    }
                    try (CrashSimulatorDevice image = device.crash(new Random(seq * 31L + (long) (keep * 10)), keep)) {
                        String outcome = check(image, before, other, exactOutsideRange, rangeStart, rangeEnd, newSize);
                        outcomes.merge(outcome, 1, Integer::sum);
                    } catch (Throwable t) {
                        failures.add(name + ": crash after persist " + seq + " (keep " + keep + "): " + t);
                    }
                }
            });
            try (FileHandle h = fs.open("/f", OpenFlag.READ, OpenFlag.WRITE)) {
                change.apply(h);
            }
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            assertTrue(points[0] > 1, name + " persisted nothing");
            assertTrue(outcomes.containsKey("new"), name + ": no crash point saw the change done: " + outcomes);
        }
    }

    /** Checks one crash image; returns "old", "new" or "partial". */
    private static String check(CrashSimulatorDevice image, byte[] before, byte[] other, boolean exactOutsideRange,
                                long rangeStart, long rangeEnd, long newSize) throws Exception {
        byte[] now;
        try (DaxFileSystem fs = CrashTesting.mount(image)) {
            assertTrue(Arrays.equals(other, CrashTesting.readFile(fs, "/other")), "the untouched file changed");
            now = CrashTesting.readFile(fs, "/f");
        }
        String fsck = CrashTesting.fsckProblems(image);
        assertEquals(null, fsck);
        assertTrue(now.length == before.length || now.length == newSize,
                "size " + now.length + " is neither the old " + before.length + " nor the new " + newSize);
        byte[] zero = new byte[BLOCK];
        for (int off = 0; off < now.length; off += BLOCK) {
            byte[] b = Arrays.copyOfRange(now, off, Math.min(now.length, off + BLOCK));
            boolean zeros = Arrays.equals(b, Arrays.copyOf(zero, b.length));
            boolean ownBlock = isOwnBlock(b);
            assertTrue(zeros || ownBlock, "block at " + off + " is neither zeros nor one of the file's own blocks");
            if (exactOutsideRange && off < before.length) {
                byte[] old = Arrays.copyOfRange(before, off, Math.min(before.length, off + BLOCK));
                boolean inRange = off + BLOCK > rangeStart && off < rangeEnd;
                if (inRange) {
                    assertTrue(zeros || Arrays.equals(b, old), "block at " + off + " in the range is neither old nor zeros");
                } else {
                    assertTrue(Arrays.equals(b, old), "block at " + off + " outside the range changed");
                }
            }
        }
        if (Arrays.equals(now, before)) {
            return "old";
        }
        return now.length == newSize && !exactOutsideRange || exactOutsideRange && rangeIsZero(now, rangeStart, rangeEnd)
                ? "new" : "partial";
    }

    private static boolean rangeIsZero(byte[] now, long start, long end) {
        for (long i = start; i < Math.min(end, now.length); i++) {
            if (now[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOwnBlock(byte[] b) {
        ByteBuffer w = ByteBuffer.wrap(b);
        long first = w.getLong(0);
        if ((first >>> 32) != 1 || (first & 0xffffffffL) >= BLOCKS) {
            return false;
        }
        for (int i = 0; i + 8 <= b.length; i += 8) {
            if (w.getLong(i) != first) {
                return false;
            }
        }
        return true;
    }

    @Test
    void punchHole() throws Exception {
        long start = 10L * BLOCK;
        long end = 150L * BLOCK;
        crashEverywhere("punch", h -> h.punchHole(start, end - start), true, start, end, (long) BLOCKS * BLOCK);
    }

    @Test
    void zeroRange() throws Exception {
        long start = 20L * BLOCK;
        long end = 170L * BLOCK;
        crashEverywhere("zero", h -> h.zeroRange(start, end - start, true), true, start, end, (long) BLOCKS * BLOCK);
    }

    @Test
    void collapseRange() throws Exception {
        crashEverywhere("collapse", h -> h.collapseRange(8L * BLOCK, 40L * BLOCK), false, 0, 0,
                (long) (BLOCKS - 40) * BLOCK);
    }

    @Test
    void insertRange() throws Exception {
        crashEverywhere("insert", h -> h.insertRange(8L * BLOCK, 40L * BLOCK), false, 0, 0,
                (long) (BLOCKS + 40) * BLOCK);
    }
}
