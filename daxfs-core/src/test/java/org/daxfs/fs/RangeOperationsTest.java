package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.readFile;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.format.Extent;
import org.junit.jupiter.api.Test;

/** Punch hole, zero range, collapse range and insert range: contents, extents, errors, space, persistence. */
class RangeOperationsTest extends MountedImageTest {
    private static final int B = 4096;
    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private void assertClean() throws Exception {
        fs.close();
        fs = null;
        FsckReport r = Fsck.run(device, false, null);
        assertEquals(0, r.exitCode(), r.toString());
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
    }

    /** {@code [logical, length, unwritten]} of each extent. */
    private List<String> shape(String path) throws FsException {
        return fs.extents(path).stream().map(e -> e.logical() + "+" + e.length() + (e.unwritten() ? "u" : "")).toList();
    }

    // ---- punch hole ------------------------------------------------------------------------------

    @Test
    void punchHoleZerosEdgesFreesWholeBlocksAndKeepsSize() throws Exception {
        byte[] content = pattern(1, 6 * B + 100);
        writeFile(fs, "/f", content);
        long free = fs.statfs().freeBlocks();
        try (FileHandle h = open("/f")) {
            h.punchHole(1000, 3 * B);
            assertEquals(content.length, h.size());
        }
        byte[] expected = content.clone();
        Arrays.fill(expected, 1000, 1000 + 3 * B, (byte) 0);
        assertArrayEquals(expected, readFile(fs, "/f"));
        assertEquals(List.of("0+1", "3+4"), shape("/f"));
        assertEquals(free + 2, fs.statfs().freeBlocks());
        assertClean();
        assertArrayEquals(expected, readFile(fs, "/f"));
    }

    @Test
    void punchHoleInsideOneBlockAndOverUnwrittenAndHoles() throws Exception {
        byte[] content = pattern(2, 4 * B);
        writeFile(fs, "/f", content);
        try (FileHandle h = open("/f")) {
            h.punchHole(10, 20);
            h.allocate(8 * B, 4 * B, false);
            h.punchHole(2 * B, 8 * B);
        }
        byte[] expected = new byte[12 * B];
        System.arraycopy(content, 0, expected, 0, 2 * B);
        Arrays.fill(expected, 10, 30, (byte) 0);
        assertArrayEquals(expected, readFile(fs, "/f"));
        assertEquals(List.of("0+2", "10+2u"), shape("/f"));
        assertClean();
    }

    @Test
    void punchHoleStopsAtTheBlockHoldingEof() throws Exception {
        byte[] content = pattern(3, 2 * B + 500);
        writeFile(fs, "/f", content);
        try (FileHandle h = open("/f")) {
            h.allocate(0, 8 * B, true);
            h.punchHole(5 * B, B); // at or past EOF: nothing happens
            assertEquals(List.of("0+3", "3+5u"), shape("/f"));
            h.punchHole(B + 7, 100 * B);
            assertEquals(content.length, h.size());
        }
        byte[] expected = content.clone();
        Arrays.fill(expected, B + 7, expected.length, (byte) 0);
        assertArrayEquals(expected, readFile(fs, "/f"));
        assertEquals(List.of("0+2", "3+5u"), shape("/f"), "space preallocated past the EOF block stays");
        assertClean();
    }

    // ---- zero range ------------------------------------------------------------------------------

    @Test
    void zeroRangeConvertsWholeBlocksAndZerosEdges() throws Exception {
        byte[] content = pattern(4, 4 * B);
        writeFile(fs, "/f", content);
        try (FileHandle h = open("/f")) {
            h.zeroRange(1000, 2 * B, true);
            assertEquals(4 * B, h.size());
        }
        byte[] expected = content.clone();
        Arrays.fill(expected, 1000, 1000 + 2 * B, (byte) 0);
        assertArrayEquals(expected, readFile(fs, "/f"));
        assertEquals(List.of("0+1", "1+1u", "2+2"), shape("/f"));
        assertClean();
        assertArrayEquals(expected, readFile(fs, "/f"));
    }

    @Test
    void zeroRangeOverHolesAllocatesAndGrowsUnlessKeepSize() throws Exception {
        try (FileHandle h = open("/f")) {
            h.write(ByteBuffer.wrap(pattern(5, 100)), 0);
            h.zeroRange(3 * B + 5, 2 * B, true);
            assertEquals(100, h.size());
            assertEquals(List.of("0+1", "3+3u"), shape("/f"));
            h.zeroRange(50, 10 * B, false);
            assertEquals(50 + 10 * B, h.size());
        }
        byte[] expected = new byte[50 + 10 * B];
        System.arraycopy(pattern(5, 100), 0, expected, 0, 50);
        assertArrayEquals(expected, readFile(fs, "/f"));
        List<Extent> after = fs.extents("/f");
        assertEquals("0+1", shape("/f").getFirst());
        long next = 1;
        for (Extent e : after.subList(1, after.size())) {
            assertTrue(e.unwritten() && e.logical() == next, after.toString());
            next = e.end();
        }
        assertEquals(11, next);
        assertClean();
    }

    // ---- collapse range --------------------------------------------------------------------------

    @Test
    void collapseRangeRemovesBlocksAndMovesTheRestDown() throws Exception {
        byte[] content = pattern(6, 8 * B + 100);
        writeFile(fs, "/f", content);
        long free = fs.statfs().freeBlocks();
        try (FileHandle h = open("/f")) {
            h.allocate(0, 12 * B, true);
            h.collapseRange(2 * B, 3 * B);
            assertEquals(content.length - 3 * B, h.size());
        }
        byte[] expected = concat(Arrays.copyOfRange(content, 0, 2 * B), Arrays.copyOfRange(content, 5 * B, content.length));
        assertArrayEquals(expected, readFile(fs, "/f"));
        assertEquals(List.of("0+2", "2+4", "6+3u"), shape("/f"));
        assertEquals(free - 3 + 3, fs.statfs().freeBlocks(), "3 preallocated, 3 collapsed away");
        assertClean();
        assertArrayEquals(expected, readFile(fs, "/f"));
    }

    @Test
    void collapseRangeErrors() throws Exception {
        writeFile(fs, "/f", pattern(7, 4 * B));
        try (FileHandle h = open("/f")) {
            assertErrno(Errno.EINVAL, () -> h.collapseRange(100, B));
            assertErrno(Errno.EINVAL, () -> h.collapseRange(B, 100));
            assertErrno(Errno.EINVAL, () -> h.collapseRange(B, 3 * B)); // reaches EOF
            assertErrno(Errno.EINVAL, () -> h.collapseRange(0, 0));
            assertErrno(Errno.EINVAL, () -> h.collapseRange(-B, B));
            assertErrno(Errno.EFBIG, () -> h.collapseRange(Long.MAX_VALUE - B + 1, 2L * B));
            assertErrno(Errno.EFBIG, () -> h.collapseRange(FileData.MAX_FILE_SIZE, B));
        }
        assertArrayEquals(pattern(7, 4 * B), readFile(fs, "/f"));
        try (FileHandle r = fs.open("/f", OpenFlag.READ)) {
            assertErrno(Errno.EBADF, () -> r.collapseRange(0, B));
        }
    }

    // ---- insert range ----------------------------------------------------------------------------

    @Test
    void insertRangeCutsTheStraddlingExtentAndLeavesAHole() throws Exception {
        byte[] content = pattern(8, 6 * B + 10);
        writeFile(fs, "/f", content);
        long free = fs.statfs().freeBlocks();
        try (FileHandle h = open("/f")) {
            h.insertRange(2 * B, 3 * B);
            assertEquals(content.length + 3 * B, h.size());
        }
        byte[] expected = concat(Arrays.copyOfRange(content, 0, 2 * B), new byte[3 * B], Arrays.copyOfRange(content, 2 * B, content.length));
        assertArrayEquals(expected, readFile(fs, "/f"));
        assertEquals(List.of("0+2", "5+5"), shape("/f"));
        assertEquals(free, fs.statfs().freeBlocks());
        assertClean();
        assertArrayEquals(expected, readFile(fs, "/f"));
    }

    @Test
    void insertRangeErrors() throws Exception {
        writeFile(fs, "/f", pattern(9, 4 * B));
        try (FileHandle h = open("/f")) {
            assertErrno(Errno.EINVAL, () -> h.insertRange(100, B));
            assertErrno(Errno.EINVAL, () -> h.insertRange(0, 10));
            assertErrno(Errno.EINVAL, () -> h.insertRange(4 * B, B)); // at EOF
            assertErrno(Errno.EINVAL, () -> h.insertRange(0, -B));
            assertErrno(Errno.EFBIG, () -> h.insertRange(0, FileData.MAX_FILE_SIZE - 3 * B));
            assertErrno(Errno.EFBIG, () -> h.insertRange(B, Long.MAX_VALUE - B + 1));
            h.insertRange(0, FileData.MAX_FILE_SIZE - 4 * B);
            assertEquals(FileData.MAX_FILE_SIZE, h.size());
        }
        assertClean();
    }

    @Test
    void insertRangeRefusesToMovePreallocationPastTheLimit() throws Exception {
        try (FileHandle h = open("/f")) {
            h.write(ByteBuffer.wrap(pattern(10, B)), 0);
            h.allocate(FileData.MAX_FILE_SIZE - B, B, true);
            assertErrno(Errno.EFBIG, () -> h.insertRange(0, B));
            assertEquals(B, h.size());
        }
        assertEquals(List.of("0+1", (FileData.MAX_FILE_SIZE / B - 1) + "+1u"), shape("/f"));
    }

    @Test
    void unwrittenAndMisalignedCallsOnReadOnlyHandlesFail() throws Exception {
        writeFile(fs, "/f", pattern(11, B));
        try (FileHandle r = fs.open("/f", OpenFlag.READ)) {
            assertErrno(Errno.EBADF, () -> r.punchHole(0, B));
            assertErrno(Errno.EBADF, () -> r.zeroRange(0, B, false));
            assertErrno(Errno.EBADF, () -> r.insertRange(0, B));
        }
        try (FileHandle h = open("/f")) {
            assertErrno(Errno.EINVAL, () -> h.punchHole(-1, B));
            assertErrno(Errno.EINVAL, () -> h.zeroRange(0, 0, true));
            assertErrno(Errno.EFBIG, () -> h.punchHole(FileData.MAX_FILE_SIZE, 1));
            assertErrno(Errno.EFBIG, () -> h.zeroRange(Long.MAX_VALUE, 1, false));
        }
    }

    // ---- many extents, many transactions ---------------------------------------------------------

    @Test
    void collapseAndInsertOnAFileWithThousandsOfExtents() throws Exception {
        fs.close();
        DaxFileSystem.format(device, new FormatOptions(64, null)); // the smallest journal: a tight budget
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        int extents = 1500 * TestImages.scale();
        byte[] model;
        try (FileHandle h = open("/many")) {
            byte[] word = new byte[B];
            for (int i = 0; i < extents; i++) {
                Arrays.fill(word, (byte) (i * 7 + 1));
                h.write(ByteBuffer.wrap(word), 2L * i * B);
            }
            assertEquals(extents, fs.extents("/many").size());
            model = readFile(fs, "/many");
            h.collapseRange(B, 3 * B); // removes block 2's data, moves the other 1498 extents
            model = concat(Arrays.copyOfRange(model, 0, B), Arrays.copyOfRange(model, 4 * B, model.length));
            h.insertRange(2 * B, 5 * B); // cuts nothing, moves 1498 extents up
            model = concat(Arrays.copyOfRange(model, 0, 2 * B), new byte[5 * B], Arrays.copyOfRange(model, 2 * B, model.length));
            h.punchHole(0, (long) extents * B);
            Arrays.fill(model, 0, extents * B, (byte) 0);
            h.zeroRange(extents * B + 17L, 100L * B, true);
            Arrays.fill(model, extents * B + 17, extents * B + 17 + 100 * B, (byte) 0);
        }
        assertArrayEquals(model, readFile(fs, "/many"));
        assertClean();
        assertArrayEquals(model, readFile(fs, "/many"));
        assertTrue(fs.extents("/many").size() > 500);
    }

    // ---- against a model -------------------------------------------------------------------------

    /** The file as a growable byte array, with Linux's semantics for each call (only the successful ones are drawn). */
    private static final class Model {
        byte[] data = new byte[0];

        void resize(long n) {
            data = Arrays.copyOf(data, (int) n);
        }
    }

    @Test
    void randomSequencesMatchAModel() throws Exception {
        Random rnd = new Random(42);
        Model m = new Model();
        int steps = 600 * TestImages.scale();
        try (FileHandle h = open("/r")) {
            for (int step = 0; step < steps; step++) {
                int size = m.data.length;
                int op = rnd.nextInt(7);
                long off = rnd.nextBoolean() ? rnd.nextInt(64) * (long) B : rnd.nextInt(64 * B);
                long len = rnd.nextBoolean() ? (1 + rnd.nextInt(8)) * (long) B : 1 + rnd.nextInt(8 * B);
                String what = step + ": op " + op + " " + off + "+" + len + " size " + size;
                switch (op) {
                    case 0, 1 -> {
                        byte[] src = pattern(step, (int) len);
                        h.write(ByteBuffer.wrap(src), off);
                        if (off + len > size) {
                            m.resize(off + len);
                        }
                        System.arraycopy(src, 0, m.data, (int) off, (int) len);
                    }
                    case 2 -> {
                        h.punchHole(off, len);
                        if (off < size) {
                            Arrays.fill(m.data, (int) off, (int) Math.min(size, off + len), (byte) 0);
                        }
                    }
                    case 3 -> {
                        boolean keep = rnd.nextBoolean();
                        h.zeroRange(off, len, keep);
                        long end = keep ? Math.min(size, off + len) : off + len;
                        if (!keep && end > size) {
                            m.resize(end);
                        }
                        if (off < end) {
                            Arrays.fill(m.data, (int) off, (int) end, (byte) 0);
                        }
                    }
                    case 4 -> {
                        off = off / B * B;
                        len = (len + B - 1) / B * B;
                        if (off + len >= size) {
                            long o = off;
                            long l = len;
                            assertErrno(Errno.EINVAL, () -> h.collapseRange(o, l));
                        } else {
                            h.collapseRange(off, len);
                            m.data = concat(Arrays.copyOfRange(m.data, 0, (int) off), Arrays.copyOfRange(m.data, (int) (off + len), size));
                        }
                    }
                    case 5 -> {
                        off = off / B * B;
                        len = (len + B - 1) / B * B;
                        if (off >= size || size + len > 512 * B) {
                            if (off >= size) {
                                long o = off;
                                long l = len;
                                assertErrno(Errno.EINVAL, () -> h.insertRange(o, l));
                            }
                        } else {
                            h.insertRange(off, len);
                            m.data = concat(Arrays.copyOfRange(m.data, 0, (int) off), new byte[(int) len], Arrays.copyOfRange(m.data, (int) off, size));
                        }
                    }
                    default -> {
                        long n = rnd.nextInt(64 * B);
                        h.truncate(n);
                        m.resize(n);
                    }
                }
                assertEquals(m.data.length, h.size(), what);
                byte[] got = new byte[m.data.length];
                if (got.length > 0) {
                    h.read(ByteBuffer.wrap(got), 0);
                }
                assertArrayEquals(m.data, got, what);
                if (rnd.nextInt(10) == 0) {
                    h.allocate(rnd.nextInt(64 * B), 1 + rnd.nextInt(8 * B), true);
                }
            }
        }
        assertClean();
        assertArrayEquals(m.data, readFile(fs, "/r"));
    }

    // ---- races -----------------------------------------------------------------------------------

    /** An 8-byte word tagged with its file, the generation that wrote it and its offset then. */
    private static long tag(int file, long generation, long offset) {
        return (long) file << 56 | (generation & 0xFFFFFF) << 32 | (offset / 8 & 0xFFFFFFFFL);
    }

    private static byte[] tagged(int file, long generation, long offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < length; i += 8) {
            b.putLong(i, tag(file, generation, offset + i));
        }
        return b.array();
    }

    /**
     * One thread punches, collapses, inserts and truncates file 1 while two readers read it and another
     * thread churns file 2 so that freed blocks are reused at once. Every word a reader sees must be zeros
     * or file 1's data from a generation already begun: never file 2's (a freed block read after reuse).
     */
    @Test
    void readersNeverSeeBlocksFreedAndReusedByAnotherFile() throws Exception {
        int rounds = 400 * TestImages.scale();
        long span = 64 * B;
        AtomicLong generation = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (FileHandle a = open("/a"); FileHandle b = open("/b")) {
            a.write(ByteBuffer.wrap(tagged(1, 0, 0, (int) span)), 0);
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().unstarted(() -> {
                try {
                    Random r = new Random(1);
                    for (int i = 0; i < rounds; i++) {
                        long g = generation.incrementAndGet();
                        long at = r.nextInt((int) (span / 8)) * 8L;
                        a.write(ByteBuffer.wrap(tagged(1, g, at, 8 * (1 + r.nextInt(2048)))), at);
                        long size = a.size();
                        long off = r.nextInt((int) (span / 8)) * 8L;
                        long len = 8L * (1 + r.nextInt(4096));
                        switch (i % 4) {
                            case 0 -> a.punchHole(off, len);
                            case 1 -> {
                                long o = off / B * B;
                                long l = (len + B - 1) / B * B;
                                if (o + l < size) {
                                    a.collapseRange(o, l);
                                }
                            }
                            case 2 -> {
                                long o = off / B * B;
                                if (o < size && size < 4 * span) {
                                    a.insertRange(o, (len + B - 1) / B * B);
                                }
                            }
                            default -> a.truncate(r.nextInt((int) (2 * span / 8)) * 8L);
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    stop.set(true);
                }
            }));
            threads.add(Thread.ofPlatform().unstarted(() -> {
                try {
                    Random r = new Random(2);
                    for (long g = 1; !stop.get(); g++) {
                        b.write(ByteBuffer.wrap(tagged(2, g, 0, (int) span)), 0);
                        b.punchHole(r.nextInt(16) * (long) B, span / 2);
                        b.truncate(0);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
            for (int reader = 0; reader < 2; reader++) {
                long seed = 10 + reader;
                threads.add(Thread.ofPlatform().unstarted(() -> {
                    try (FileHandle h = fs.open("/a", OpenFlag.READ)) {
                        Random r = new Random(seed);
                        ByteBuffer buf = ByteBuffer.allocate(16 * B).order(ByteOrder.LITTLE_ENDIAN);
                        while (!stop.get()) {
                            long pos = r.nextInt((int) (4 * span / 8)) * 8L;
                            buf.clear();
                            int n = h.read(buf, pos);
                            for (int i = 0; i < n; i += 8) {
                                long w = buf.getLong(i);
                                long g = w >>> 32 & 0xFFFFFF;
                                if (w != 0 && ((w >>> 56) != 1 || g > generation.get())) {
                                    throw new AssertionError("word " + Long.toHexString(w) + " at " + (pos + i)
                                            + " is not file 1's, or from a generation not begun");
                                }
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " thread(s) failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
        assertClean();
    }
}
