package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.readFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many threads on one file system: each on its own files, and several on one file. */
class ConcurrencyTest {
    private Device device;
    private DaxFileSystem fs;
    private ExecutorService pool;

    @BeforeEach
    void setUp() throws Exception {
        device = Devices.memory(128 * MIB);
        fs = TestImages.formatAndMount(device);
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void tearDown() throws Exception {
        pool.shutdownNow();
        fs.close();
        device.close();
    }

    @Test
    void threadsOnTheirOwnFilesAndDirectories() throws Exception {
        int threads = 4;
        int files = 40 * TestImages.scale();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                start.await();
                fs.mkdir("/t" + id, 0755);
                Random rnd = new Random(id);
                for (int i = 0; i < files; i++) {
                    String p = "/t" + id + "/f" + i;
                    byte[] content = pattern(id * 100_000L + i, 1 + rnd.nextInt(40_000));
                    TestImages.writeFile(fs, p, content);
                    if (i % 3 == 0) {
                        fs.rename(p, p + ".renamed");
                        p = p + ".renamed";
                    }
                    assertArrayEquals(content, readFile(fs, p));
                    if (i % 5 == 0) {
                        fs.unlink(p);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        for (int t = 0; t < threads; t++) {
            Set<String> names = fs.readdir("/t" + t).stream().map(DirEntry::name).collect(Collectors.toSet());
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < files; i++) {
                if (i % 5 != 0) {
                    expected.add("f" + i + (i % 3 == 0 ? ".renamed" : ""));
                }
            }
            assertEquals(expected, names);
        }
    }

    @Test
    void writersOnDisjointRangesOfOneFileAndReaders() throws Exception {
        int writers = 3;
        int chunk = 64 * 1024;
        int rounds = 20 * TestImages.scale();
        try (FileHandle h = fs.open("/shared", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE)) {
            CyclicBarrier start = new CyclicBarrier(writers + 1);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        byte[] b = new byte[chunk];
                        java.util.Arrays.fill(b, (byte) (id * 50 + r));
                        h.write(ByteBuffer.wrap(b), (long) id * chunk * 4 + (r % 4) * chunk);
                    }
                    return null;
                }));
            }
            done.add(pool.submit(() -> {
                start.await();
                byte[] b = new byte[chunk];
                for (int r = 0; r < rounds * 4; r++) {
                    long at = (long) (r % (writers * 4)) * chunk;
                    int n = h.read(ByteBuffer.wrap(b), at);
                    if (n > 0) {
                        // Every 4 KiB block holds one writer's whole store, or zeros: never a mix inside a write.
                        int owner = (int) (at / (chunk * 4L));
                        for (int i = 0; i < n; i += 4096) {
                            int v = b[i] & 0xff;
                            assertTrue(v == 0 || (v >= owner * 50 && v < owner * 50 + rounds), "byte " + v + " at " + (at + i));
                        }
                    }
                }
                return null;
            }));
            for (Future<?> f : done) {
                f.get();
            }
            byte[] all = new byte[writers * 4 * chunk];
            h.read(ByteBuffer.wrap(all), 0);
            for (int w = 0; w < writers; w++) {
                for (int slot = 0; slot < 4; slot++) {
                    int lastRound = rounds - 4 + slot;
                    int expect = (w * 50 + lastRound) & 0xff;
                    int at = (w * 4 + slot) * chunk;
                    for (int i = 0; i < chunk; i += 997) {
                        assertEquals(expect, all[at + i] & 0xff, "writer " + w + " slot " + slot);
                    }
                }
            }
        }
    }

    @Test
    void concurrentAppendsLoseNothing() throws Exception {
        int threads = 4;
        int each = 200 * TestImages.scale();
        try (FileHandle h = fs.open("/log", OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.APPEND)) {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        h.append(ByteBuffer.wrap(String.format("%d:%05d\n", id, i).getBytes()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        String[] lines = new String(readFile(fs, "/log")).split("\n");
        assertEquals(threads * each, lines.length);
        assertEquals(threads * each, new HashSet<>(List.of(lines)).size(), "no append overwrote another");
    }
}
