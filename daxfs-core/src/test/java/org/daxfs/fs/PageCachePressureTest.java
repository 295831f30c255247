package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.daxfs.cache.PageCache;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.locking.NoLockOrderViolations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several threads write and read files eight times larger together than the page cache, each checking
 * every byte against its own model, while eviction, writers' own writeback and the background writeback
 * thread all run: nothing is lost, nothing is read stale, nobody waits forever for a free page.
 */
@ExtendWith(NoLockOrderViolations.class)
class PageCachePressureTest {
    private static final int THREADS = 4;
    private static final int FILE_BYTES = 2 << 20;

    @Test
    void writersAndReadersUnderEvictionNeverLoseOrMixBytes() throws Exception {
        int ops = 600 * TestImages.scale();
        try (Device device = Devices.memory(64 * MIB)) {
            DaxFileSystem.format(device, FormatOptions.defaults());
            byte[][] models = new byte[THREADS][FILE_BYTES];
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            try (DaxFileSystem fs = DaxFileSystem.mount(device,
                    MountOptions.defaults().withDax(DaxMode.NEVER).withCacheBytes(PageCache.MIN_BYTES))) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t;
                    threads.add(Thread.ofPlatform().start(() -> run(fs, id, ops, models[id], failures)));
                }
                for (Thread th : threads) {
                    th.join();
                }
                assertTrue(failures.isEmpty(), String.join("\n", failures));
                assertTrue(fs.pageCache().evictions() > 0, "the files did not fit: pages were evicted");
            }
            try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults().withDax(DaxMode.ALWAYS))) {
                for (int t = 0; t < THREADS; t++) {
                    byte[] got = TestImages.readFile(fs, "/f" + t);
                    assertTrue(Arrays.equals(models[t], Arrays.copyOf(got, FILE_BYTES)), "file " + t + " after unmount");
                }
            }
            assertEquals(0, Fsck.run(device, false, null).exitCode());
        }
    }

    private static void run(DaxFileSystem fs, int id, int ops, byte[] model, ConcurrentLinkedQueue<String> failures) {
        SplittableRandom rnd = new SplittableRandom(id * 7919L + 1);
        try (FileHandle h = fs.open("/f" + id, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE)) {
            h.truncate(FILE_BYTES);
            for (int i = 0; i < ops && failures.isEmpty(); i++) {
                int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 300_000 : 9000);
                int pos = rnd.nextInt(FILE_BYTES - len);
                int what = rnd.nextInt(10);
                if (what < 5) {
                    byte[] b = new byte[len];
                    rnd.nextBytes(b);
                    h.write(MemorySegment.ofArray(b), pos);
                    System.arraycopy(b, 0, model, pos, len);
                } else if (what < 9) {
                    byte[] b = new byte[len];
                    h.read(MemorySegment.ofArray(b), pos);
                    if (!Arrays.equals(b, 0, len, model, pos, pos + len)) {
                        failures.add("thread " + id + " op " + i + ": read of " + len + " at " + pos + " differs");
                    }
                } else {
                    h.fsync();
                }
            }
        } catch (Exception | Error e) {
            failures.add("thread " + id + ": " + e);
        }
    }
}
