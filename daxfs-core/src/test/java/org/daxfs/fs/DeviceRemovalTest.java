package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device goes away while threads read, write, punch, map and access mappings: work in flight completes
 * or fails with EIO, later work fails with EIO, mapped accesses throw IllegalStateException, nothing else
 * is thrown, the JVM lives, and the image mounts clean afterwards.
 */
class DeviceRemovalTest {
    private static final int B = 4096;
    private static final int FILE = 64 * B;

    private interface Work {
        void run(FileHandle h, Random rnd, Arena arena) throws FsException;
    }

    @Test
    void removalDuringReadsWritesFaultsAndMappedAccess(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("img");
        Devices.createImage(image, 32 * MIB);
        try (Device device = Devices.open(image)) {
            DaxFileSystem fs = TestImages.formatAndMount(device);
            List<Work> kinds = List.of(
                    (h, rnd, arena) -> h.read(MemorySegment.ofArray(new byte[8 * B]), rnd.nextInt(FILE)),
                    (h, rnd, arena) -> h.write(MemorySegment.ofArray(pattern(rnd.nextInt(), B)), rnd.nextInt(FILE - B)),
                    (h, rnd, arena) -> {
                        h.punchHole((long) rnd.nextInt(64) * B, B);
                        h.write(MemorySegment.ofArray(pattern(rnd.nextInt(), 2 * B)), (long) rnd.nextInt(62) * B);
                    },
                    (h, rnd, arena) -> {
                        MemorySegment s = h.map(MapMode.READ_ONLY, 0, FILE, arena);
                        touch(s, rnd, false);
                    },
                    (h, rnd, arena) -> {
                        MemorySegment s = h.map(MapMode.READ_WRITE, (long) rnd.nextInt(32) * B, 16 * B, arena);
                        touch(s, rnd, true);
                    });
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch warmedUp = new CountDownLatch(kinds.size());
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                String path = "/f" + i;
                writeFile(fs, path, pattern(i, FILE));
                FileHandle h = fs.open(path, OpenFlag.READ, OpenFlag.WRITE);
                Work work = kinds.get(i);
                int seed = i;
                threads.add(new Thread(() -> runUntilEio(h, work, seed, warmedUp, failures)));
            }
            threads.forEach(Thread::start);
            warmedUp.await();
            device.kill();
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> failures.size() + " failures, first: " + failures.peek());
            FsException later = assertThrows(FsException.class, () -> fs.open("/f0", OpenFlag.READ));
            assertEquals(Errno.EIO, later.errno());
        }
        try (Device again = Devices.open(image)) {
            FsckReport before = Fsck.run(again, false, null);
            DaxFileSystem fs = DaxFileSystem.mount(again, MountOptions.defaults());
            assertEquals(FILE, fs.stat("/f0").size());
            fs.close();
            FsckReport report = Fsck.run(again, false, null);
            assertTrue(report.clean(), "after replay: " + report + " (before mount: " + before + ")");
        }
    }

    /** Reads (or stores into) a mapping until it is revoked or enough was touched. */
    private static void touch(MemorySegment s, Random rnd, boolean store) {
        try {
            for (int i = 0; i < 64; i++) {
                long at = rnd.nextLong(s.byteSize() / 8) * 8;
                if (store) {
                    s.set(ValueLayout.JAVA_LONG, at, rnd.nextLong());
                } else {
                    s.get(ValueLayout.JAVA_LONG, at);
                }
            }
        } catch (IllegalStateException revoked) {
            // Revoked under our feet: the clean outcome of device removal for a mapping.
        }
    }

    private static void runUntilEio(FileHandle h, Work work, long seed, CountDownLatch warmedUp,
            ConcurrentLinkedQueue<String> failures) {
        Random rnd = new Random(seed);
        boolean counted = false;
        try {
            for (int op = 0; ; op++) {
                if (op == 20) {
                    warmedUp.countDown();
                    counted = true;
                }
                try (Arena arena = Arena.ofConfined()) {
                    work.run(h, rnd, arena);
                } catch (FsException e) {
                    if (e.errno() != Errno.EIO) {
                        failures.add("thread " + seed + " op " + op + ": " + e);
                    }
                    return;
                }
            }
        } catch (Throwable t) {
            failures.add("thread " + seed + ": " + t);
        } finally {
            if (!counted) {
                warmedUp.countDown();
            }
        }
    }
}
