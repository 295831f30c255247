package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.readFile;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.cache.PageCache;
import org.daxfs.cache.Readahead;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceOptions;
import org.daxfs.device.Devices;
import org.daxfs.locking.NoLockOrderViolations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not DAX, through the page cache: reads, writes, eviction, readahead, direct and non-blocking I/O. */
@ExtendWith(NoLockOrderViolations.class)
class PageCacheTest {
    private static final int PAGE = 4096;
    private Device device;
    private DaxFileSystem fs;

    @BeforeEach
    void mountUncached() throws Exception {
        device = Devices.memory(64 * MIB);
        DaxFileSystem.format(device, FormatOptions.defaults());
        fs = mountNever();
    }

    @AfterEach
    void close() throws Exception {
        if (fs != null) {
            fs.close();
        }
        device.close();
    }

    /** dax=never with the smallest cache, so eviction is easy to reach. */
    private DaxFileSystem mountNever() throws FsException {
        return DaxFileSystem.mount(device, MountOptions.defaults().withDax(DaxMode.NEVER).withCacheBytes(PageCache.MIN_BYTES));
    }

    private FileHandle open(String path, OpenFlag... extra) throws FsException {
        OpenFlag[] f = Arrays.copyOf(new OpenFlag[] {OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE}, 3 + extra.length);
        System.arraycopy(extra, 0, f, 3, extra.length);
        return fs.open(path, f);
    }

    private static byte[] read(FileHandle h, long pos, int len) throws FsException {
        byte[] out = new byte[len];
        long n = h.read(MemorySegment.ofArray(out), pos);
        return n == len ? out : Arrays.copyOf(out, (int) Math.max(0, n));
    }

    private static void write(FileHandle h, long pos, byte[] b) throws FsException {
        assertEquals(b.length, h.write(MemorySegment.ofArray(b), pos));
    }

    @Test
    void filesAreCachedAndSurviveUnmountWithoutFsync() throws Exception {
        byte[] data = pattern(1, 3 * PAGE + 123);
        writeFile(fs, "/a", data);
        assertFalse(fs.stat("/a").isDaxActive());
        assertTrue(fs.pageCache().dirtyPages() > 0, "written pages are dirty until written back");
        assertArrayEquals(data, readFile(fs, "/a"));
        fs.close();
        fs = mountNever();
        assertArrayEquals(data, readFile(fs, "/a"), "unmount wrote the dirty pages back");
        fs.close();
        try (DaxFileSystem dax = DaxFileSystem.mount(device, MountOptions.defaults().withDax(DaxMode.ALWAYS))) {
            assertArrayEquals(data, readFile(dax, "/a"), "the same bytes on the blocks, read directly");
            assertTrue(dax.stat("/a").isDaxActive());
        }
        fs = null;
        assertEquals(0, Fsck.run(device, false, null).exitCode());
    }

    @Test
    void fsyncWritesBackSoACrashKeepsTheData() throws Exception {
        byte[] data = pattern(2, 10 * PAGE);
        try (FileHandle h = open("/f")) {
            write(h, 0, data);
            h.fsync();
            assertEquals(0, fs.pageCache().dirtyPages());
        }
        assertBlocksHold("/f", data);
    }

    /** Unmounts (writing every dirty page back), mounts again with nothing cached, and compares the file. */
    private void assertAfterRemount(String path, byte[] data) throws Exception {
        fs.close();
        fs = mountNever();
        assertArrayEquals(data, readFile(fs, path));
    }

    /**
     * Asserts that the file's blocks (not the cache) hold {@code data}: a copy of the device as it is now,
     * as a crash would leave it with the journal replayed, mounted DAX, reads it.
     */
    private void assertBlocksHold(String path, byte[] data) throws Exception {
        try (Device copy = Devices.memory(device.size())) {
            MemorySegment tmp = Arena.ofAuto().allocate(device.size());
            device.read(0, tmp);
            copy.write(0, tmp);
            try (DaxFileSystem other = DaxFileSystem.mount(copy, MountOptions.defaults().withDax(DaxMode.ALWAYS))) {
                assertArrayEquals(data, readFile(other, path));
            }
        }
    }

    @Test
    void theBackgroundThreadWritesBackFilesNobodyHolds() throws Exception {
        byte[] data = pattern(14, 6 * PAGE + 5);
        try (FileHandle h = open("/bg")) {
            write(h, 0, data);
        }
        PageCache c = fs.pageCache();
        assertTrue(c.dirtyPages() > 0);
        assertTrue(c.writeBackInBackgroundAndWait());
        assertEquals(0, c.dirtyPages(), "written back with no fsync and no unmount");
        assertBlocksHold("/bg", data);
    }

    @Test
    void partialPageWritesMergeWithTheBlocks() throws Exception {
        byte[] data = pattern(3, 2 * PAGE);
        writeFile(fs, "/p", data);
        fs.close();
        fs = mountNever(); // nothing cached
        try (FileHandle h = open("/p")) {
            write(h, 100, new byte[] {1, 2, 3});
            write(h, 3000, new byte[] {4, 5}); // not touching the first: the page is completed first
            data[100] = 1;
            data[101] = 2;
            data[102] = 3;
            data[3000] = 4;
            data[3001] = 5;
            assertArrayEquals(data, read(h, 0, data.length));
            h.fsync();
        }
        assertAfterRemount("/p", data);
    }

    @Test
    void aFileLargerThanTheCacheIsEvictedAndReadBackIntact() throws Exception {
        int pages = 4 * (int) (PageCache.MIN_BYTES / PAGE);
        byte[] data = pattern(4, pages * PAGE);
        try (FileHandle h = open("/big")) {
            for (int i = 0; i < pages; i += 16) {
                write(h, (long) i * PAGE, Arrays.copyOfRange(data, i * PAGE, (i + 16) * PAGE));
            }
            assertArrayEquals(data, read(h, 0, data.length));
        }
        PageCache c = fs.pageCache();
        assertTrue(c.evictions() > 0, "pages were evicted");
        assertTrue(c.residentPages() <= c.capacity());
        assertAfterRemount("/big", data);
    }

    @Test
    void sequentialReadersGetGrowingReadahead() throws Exception {
        byte[] data = pattern(5, 64 * PAGE);
        writeFile(fs, "/seq", data);
        fs.close();
        fs = mountNever();
        try (FileHandle h = open("/seq")) {
            assertArrayEquals(Arrays.copyOf(data, PAGE), read(h, 0, PAGE));
            Inode in = fs.inodeForTests("/seq");
            assertTrue(in.pages.isCached(1), "the first miss reads a small window ahead");
            assertFalse(in.pages.isCached(20));
            for (int i = 1; i < 8; i++) {
                assertArrayEquals(Arrays.copyOfRange(data, i * PAGE, (i + 1) * PAGE), read(h, (long) i * PAGE, PAGE));
            }
            assertTrue(in.pages.isCached(20), "windows grew while the reader went on");
        }
    }

    @Test
    void randomAdviceReadsOnlyWhatIsAsked() throws Exception {
        writeFile(fs, "/r", pattern(6, 16 * PAGE));
        fs.close();
        fs = mountNever();
        try (FileHandle h = open("/r")) {
            h.advise(Readahead.Advice.RANDOM);
            read(h, 0, PAGE);
            read(h, PAGE, PAGE);
            Inode in = fs.inodeForTests("/r");
            assertEquals(2, in.pages.pageCount());
            h.readahead(4 * PAGE, 4 * PAGE);
            assertTrue(in.pages.isCached(7));
            assertEquals(6, in.pages.pageCount());
        }
    }

    @Test
    void nonBlockingReadsNeverWaitForTheDevice() throws Exception {
        byte[] data = pattern(7, 8 * PAGE);
        writeFile(fs, "/nw", data);
        fs.close();
        fs = mountNever();
        try (FileHandle h = open("/nw")) {
            byte[] b = new byte[PAGE];
            FsException e = assertThrows(FsException.class, () -> h.read(MemorySegment.ofArray(b), 0, true));
            assertEquals(Errno.EAGAIN, e.errno());
            h.advise(Readahead.Advice.RANDOM);
            read(h, 0, PAGE);
            byte[] two = new byte[2 * PAGE];
            assertEquals(PAGE, h.read(MemorySegment.ofArray(two), 0, true), "what is cached, then it stops");
            assertArrayEquals(Arrays.copyOf(data, PAGE), Arrays.copyOf(two, PAGE));
        }
    }

    @Test
    void directIoBypassesTheCacheAndStaysCoherent() throws Exception {
        try (FileHandle cached = open("/d"); FileHandle direct = open("/d", OpenFlag.DIRECT)) {
            byte[] a = pattern(8, 4 * PAGE);
            write(cached, 0, a);
            assertArrayEquals(a, read(direct, 0, a.length), "dirty pages are written back before a direct read");
            byte[] b = pattern(9, PAGE);
            write(direct, PAGE, b);
            System.arraycopy(b, 0, a, PAGE, PAGE);
            assertArrayEquals(a, read(cached, 0, a.length), "a direct write drops the stale cached page");
            FsException e = assertThrows(FsException.class, () -> direct.read(MemorySegment.ofArray(new byte[100]), 0));
            assertEquals(Errno.EINVAL, e.errno());
            e = assertThrows(FsException.class, () -> direct.write(MemorySegment.ofArray(new byte[512]), 100));
            assertEquals(Errno.EINVAL, e.errno());
        }
    }

    @Test
    void mappingsShowTheCachedPages() throws Exception {
        byte[] data = pattern(10, 3 * PAGE);
        try (FileHandle h = open("/m"); Arena arena = Arena.ofShared()) {
            write(h, 0, data);
            MemorySegment ro = h.map(MapMode.READ_ONLY, 0, data.length, arena);
            assertArrayEquals(data, ro.toArray(ValueLayout.JAVA_BYTE));
            write(h, PAGE + 5, new byte[] {42});
            assertEquals(42, ro.get(ValueLayout.JAVA_BYTE, PAGE + 5), "a write through the cache shows in the mapping");
            MemorySegment rw = h.map(MapMode.READ_WRITE, 0, data.length, arena);
            rw.set(ValueLayout.JAVA_BYTE, 2 * PAGE + 7, (byte) 77);
            assertEquals(77, read(h, 2 * PAGE + 7, 1)[0], "a store through the mapping shows to read()");
            h.fsync();
            assertTrue(fs.pageCache().dirtyPages() > 0, "pages mapped writable stay dirty");
            FsException e = assertThrows(FsException.class, () -> h.map(MapMode.READ_WRITE_SYNC, 0, PAGE, arena));
            assertEquals(Errno.EOPNOTSUPP, e.errno());
            h.punchHole(PAGE, PAGE);
            assertThrows(IllegalStateException.class, () -> ro.get(ValueLayout.JAVA_BYTE, 0), "punch revokes mappings");
        }
        data[PAGE + 5] = 42;
        data[2 * PAGE + 7] = 77;
        Arrays.fill(data, PAGE, 2 * PAGE, (byte) 0);
        assertAfterRemount("/m", data);
    }

    @Test
    void rangeOperationsDropOrWriteBackCachedPages() throws Exception {
        byte[] data = pattern(11, 8 * PAGE);
        try (FileHandle h = open("/r")) {
            write(h, 0, data); // all dirty in the cache
            h.punchHole(PAGE + 100, 2 * PAGE); // partial pages at both edges
            Arrays.fill(data, PAGE + 100, 3 * PAGE + 100, (byte) 0);
            assertArrayEquals(data, read(h, 0, data.length));
            h.collapseRange(0, PAGE);
            data = Arrays.copyOfRange(data, PAGE, data.length);
            assertArrayEquals(data, read(h, 0, data.length));
            h.insertRange(2 * PAGE, PAGE);
            byte[] grown = new byte[data.length + PAGE];
            System.arraycopy(data, 0, grown, 0, 2 * PAGE);
            System.arraycopy(data, 2 * PAGE, grown, 3 * PAGE, data.length - 2 * PAGE);
            data = grown;
            assertArrayEquals(data, read(h, 0, data.length));
            h.zeroRange(10, 20, true);
            Arrays.fill(data, 10, 30, (byte) 0);
            h.truncate(5 * PAGE + 17);
            data = Arrays.copyOf(data, 5 * PAGE + 17);
            assertArrayEquals(data, read(h, 0, data.length));
            h.truncate(6 * PAGE);
            data = Arrays.copyOf(data, 6 * PAGE);
            assertArrayEquals(data, read(h, 0, data.length), "the tail past the old size reads zeros");
        }
        assertAfterRemount("/r", data);
        fs.close();
        fs = null;
        assertEquals(0, Fsck.run(device, false, null).exitCode());
    }

    @Test
    void blockOnlyDevicesCacheEveryFileAndRefuseDaxAlways(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("b.img");
        Devices.createImage(image, 32 * MIB);
        try (Device d = Devices.open(image)) {
            DaxFileSystem.format(d, FormatOptions.defaults());
        }
        try (Device d = Devices.open(image, DeviceOptions.defaults().withBlockOnly(true))) {
            assertErrnoOf(Errno.EINVAL, () -> DaxFileSystem.mount(d, MountOptions.defaults().withDax(DaxMode.ALWAYS)));
            try (DaxFileSystem b = DaxFileSystem.mount(d, MountOptions.defaults())) {
                assertEquals(DaxMode.NEVER, b.daxMode());
                byte[] data = pattern(12, 5 * PAGE + 9);
                writeFile(b, "/x", data);
                assertTrue(b.stat("/x").isDax(), "the flag is inherited from the root");
                assertFalse(b.stat("/x").isDaxActive(), "but a block-only device has no DAX");
                assertArrayEquals(data, readFile(b, "/x"));
                try (FileHandle h = b.open("/x", OpenFlag.READ); Arena arena = Arena.ofShared()) {
                    MemorySegment m = h.map(MapMode.READ_ONLY, 0, data.length, arena);
                    assertArrayEquals(data, m.toArray(ValueLayout.JAVA_BYTE), "cached files map on a block-only device");
                }
            }
        }
    }

    private static void assertErrnoOf(Errno expected, Executable r) {
        FsException e = assertThrows(FsException.class, r::run);
        assertEquals(expected, e.errno(), e.getMessage());
    }

    private interface Executable {
        void run() throws Exception;
    }

    @Test
    void readsGoOnBesideAWriterOfTheSameFile() throws Exception {
        byte[] data = pattern(13, 16 * PAGE);
        writeFile(fs, "/rw", data);
        try (FileHandle h = open("/rw")) {
            read(h, PAGE, PAGE); // builds the extent cache, which needs the inode lock
            // The writer holds the inode lock; a reader needs only the invalidate lock shared.
            Inode in = fs.inodeForTests("/rw");
            in.lock.writeLock().lock();
            try {
                Thread reader = Thread.ofPlatform().start(() -> {
                    try {
                        assertArrayEquals(Arrays.copyOf(data, PAGE), read(h, 0, PAGE));
                    } catch (FsException e) {
                        throw new AssertionError(e);
                    }
                });
                reader.join();
            } finally {
                in.lock.writeLock().unlock();
            }
        }
    }
}
