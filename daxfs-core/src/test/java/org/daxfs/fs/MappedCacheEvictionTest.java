package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
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
 * A mapping of a few pages of a cached file keeps just those pages in the cache, not the whole file.
 * Found by the stress checker with {@code --dax never --cache 1048576} (seeds 21, 22 and 23 of
 * StressModesTest): a file with a mapping, or with the entries a writable mapping leaves until msync or
 * fsync, could not have any of its cached pages evicted (InodePages.pagesShown asked about the whole
 * file), so reading more of it than the cache holds failed with ENOMEM after the 10 s wait for a page.
 * The pages a mapping shows must stay, though: evicting one and giving its slot to another page would show
 * that page's bytes through the mapping.
 */
@ExtendWith(NoLockOrderViolations.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MappedCacheEvictionTest {
    private static final int PAGE = 4096;
    /** Four times the cache. */
    private static final int FILE = 4 * (int) MIB;

    private Device device;
    private DaxFileSystem fs;
    private FileHandle h;
    private byte[] content;

    @BeforeEach
    void writeAFileLargerThanTheCache() throws Exception {
        device = Devices.memory(64 * MIB);
        DaxFileSystem.format(device, FormatOptions.defaults());
        fs = DaxFileSystem.mount(device, MountOptions.defaults().withDax(DaxMode.NEVER).withCacheBytes(PageCache.MIN_BYTES));
        h = fs.open("/f", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
        content = pattern(7, FILE);
        for (int at = 0; at < FILE; at += 64 * 1024) {
            h.write(MemorySegment.ofArray(Arrays.copyOfRange(content, at, at + 64 * 1024)), at);
        }
        h.fsync();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
        fs.close();
        device.close();
    }

    /** Reads the whole file through the cache, which evicts whatever it may, and compares it. */
    private void readAll() throws Exception {
        byte[] buf = new byte[64 * 1024];
        for (int at = 0; at < FILE; at += buf.length) {
            assertEquals(buf.length, h.read(MemorySegment.ofArray(buf), at));
            assertArrayEquals(Arrays.copyOfRange(content, at, at + buf.length), buf, "at " + at);
        }
    }

    @Test
    void aReadOnlyMappingKeepsOnlyItsPages() throws Exception {
        long evictedBefore = fs.pageCache().evictions();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = h.map(MapMode.READ_ONLY, 8 * PAGE, 2 * PAGE, arena);
            readAll();
            readAll();
            assertTrue(fs.pageCache().evictions() - evictedBefore > FILE / PAGE, "the file went through the cache");
            // Pages 8 and 9 stayed: the mapping still shows them, not pages of other offsets reusing their slots.
            assertArrayEquals(Arrays.copyOfRange(content, 8 * PAGE, 10 * PAGE), m.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void theEntriesAWritableMappingLeavesKeepOnlyTheirPages() throws Exception {
        byte[] stored = pattern(8, 3 * PAGE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = h.map(MapMode.READ_WRITE, 100 * PAGE, 3 * PAGE, arena);
            MemorySegment.copy(stored, 0, m, ValueLayout.JAVA_BYTE, 0, stored.length);
        }
        // Unmapped without msync: the stores are in the cached pages only, which the entries keep dirty.
        System.arraycopy(stored, 0, content, 100 * PAGE, stored.length);
        readAll();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = h.map(MapMode.READ_ONLY, 100 * PAGE, 3 * PAGE, arena);
            assertArrayEquals(stored, m.toArray(ValueLayout.JAVA_BYTE), "mapped again: the stored pages, not others");
        }
        h.fsync();
        readAll();
    }

    @Test
    void aWritableMappingKeepsOnlyItsPagesDirty() throws Exception {
        byte[] stored = pattern(9, PAGE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = h.map(MapMode.READ_WRITE, 0, PAGE, arena);
            // Rewrite the whole file through the cache while the mapping is live: writeback cleans every page
            // but the mapped one (stores through the mapping are not seen, so that one stays dirty).
            content = pattern(10, FILE);
            for (int at = 0; at < FILE; at += 64 * 1024) {
                h.write(MemorySegment.ofArray(Arrays.copyOfRange(content, at, at + 64 * 1024)), at);
            }
            MemorySegment.copy(stored, 0, m, ValueLayout.JAVA_BYTE, 0, stored.length);
            System.arraycopy(stored, 0, content, 0, stored.length);
            h.fsync();
            readAll();
        }
        h.fsync();
        readAll();
    }
}
