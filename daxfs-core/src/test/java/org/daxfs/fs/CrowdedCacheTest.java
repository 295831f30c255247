package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.daxfs.cache.PageCache;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.locking.NoLockOrderViolations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A small cache, most of it taken by pages a mapping shows (they cannot go), still serves readers and
 * writers: a page they wait for is one that can be had. Found by the stress checker with
 * {@code --mode multi --threads 4 --dax never --cache 1048576} (ENOMEM after the 10 s wait for a page, with
 * readers holding half-filled readahead windows and a writer holding its own dirty pages):
 * <ul>
 *   <li>a reader filled a readahead window page by page, each new page locked until the whole window was
 *       read, and waited for a slot with the pages it had locked; two such readers could each hold what the
 *       other needed. Pages beyond the one asked for are now taken only if free: the window stops short;
 *   <li>a writer dirtied page after page holding the inode lock, which the background writeback needs, and
 *       wrote its own pages back only at the start of a write once half the cache was dirty; a long write
 *       could fill what the mappings left with its own dirty pages and wait for itself. It now writes them
 *       back when no page is free.
 * </ul>
 */
@ExtendWith(NoLockOrderViolations.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CrowdedCacheTest {
    private static final int PAGE = 4096;
    /** Pages of the cache a mapping keeps: all but a few readahead windows' worth. */
    private static final int MAPPED = 256 - 48;

    private Device device;
    private DaxFileSystem fs;
    private Arena arena;

    @BeforeEach
    void mapMostOfTheCache() throws Exception {
        device = Devices.memory(64 * MIB);
        DaxFileSystem.format(device, FormatOptions.defaults());
        fs = DaxFileSystem.mount(device, MountOptions.defaults().withDax(DaxMode.NEVER).withCacheBytes(PageCache.MIN_BYTES));
        arena = Arena.ofShared();
        try (FileHandle h = fs.open("/mapped", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE)) {
            h.write(MemorySegment.ofArray(pattern(1, MAPPED * PAGE)), 0);
            h.fsync();
            h.map(MapMode.READ_ONLY, 0, (long) MAPPED * PAGE, arena);
        }
    }

    @AfterEach
    void close() throws Exception {
        arena.close();
        fs.close();
        device.close();
    }

    @Test
    void sequentialReadersShareWhatTheMappingLeaves() throws Exception {
        int readers = 4;
        int size = 2 * (int) MIB;
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            contents.add(pattern(10 + i, size));
            TestImages.writeFile(fs, "/r" + i, contents.get(i));
        }
        try (FileHandle h = fs.open("/r0", OpenFlag.READ, OpenFlag.WRITE)) {
            h.fsync();
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            int n = i;
            threads.add(Thread.ofPlatform().start(() -> {
                try (FileHandle h = fs.open("/r" + n, OpenFlag.READ)) {
                    byte[] buf = new byte[3 * PAGE];
                    for (int round = 0; round < 4 * TestImages.scale(); round++) {
                        for (int at = 0; at + buf.length <= size; at += buf.length) {
                            assertEquals(buf.length, h.read(MemorySegment.ofArray(buf), at));
                            assertArrayEquals(Arrays.copyOfRange(contents.get(n), at, at + buf.length), buf);
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " readers failed, the first with " + failures.peek());
    }

    @Test
    void aLongWriteWritesBackItsOwnPagesWhenNoneIsFree() throws Exception {
        byte[] data = pattern(3, 2 * (int) MIB);
        try (FileHandle h = fs.open("/w", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE)) {
            assertEquals(data.length, h.write(MemorySegment.ofArray(data), 0), "one write, 512 pages");
            byte[] back = new byte[data.length];
            assertEquals(data.length, h.read(MemorySegment.ofArray(back), 0));
            assertArrayEquals(data, back);
        }
    }
}
