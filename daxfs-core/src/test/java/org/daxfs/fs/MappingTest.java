package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.readFile;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.dax.AddressSpace;
import org.daxfs.dax.Pin;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.format.Extent;
import org.junit.jupiter.api.Test;

/** Zero-copy mappings: contents, holes, allocation, revocation, huge entries, pins, flush, errors. */
class MappingTest extends MountedImageTest {
    private static final int B = 4096;
    private static byte[] bytesOf(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    private static void assertRevoked(MemorySegment s) {
        assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0));
    }

    /** Two files written in alternating 4 KiB pieces, so each one's blocks are scattered on the device. */
    private byte[] writeInterleaved(String a, String b, int pieces) throws FsException {
        byte[] content = pattern(7, pieces * B);
        try (FileHandle ha = open(a); FileHandle hb = open(b)) {
            for (int i = 0; i < pieces; i++) {
                ha.write(MemorySegment.ofArray(content).asSlice((long) i * B, B), (long) i * B);
                hb.write(MemorySegment.ofArray(pattern(100 + i, B)), (long) i * B);
            }
        }
        return content;
    }

    @Test
    void readOnlyMappingStitchesScatteredBlocksIntoOneSegment() throws Exception {
        byte[] content = writeInterleaved("/a", "/b", 40);
        List<Extent> extents = fs.extents("/a");
        assertTrue(extents.size() > 1, "the test needs scattered blocks: " + extents);
        try (FileHandle h = fs.open("/a", OpenFlag.READ); Arena arena = Arena.ofShared()) {
            MemorySegment whole = h.map(MapMode.READ_ONLY, 0, content.length, arena);
            assertArrayEquals(content, bytesOf(whole));
            // A misaligned range: the segment starts at the byte asked for.
            MemorySegment part = h.map(MapMode.READ_ONLY, 5000, 20000, arena);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 5000, 25000), bytesOf(part));
            assertTrue(whole.isReadOnly());
        }
    }

    @Test
    void readOnlyMappingOfHolesShowsZerosAndAllocatesNothing() throws Exception {
        try (FileHandle h = open("/sparse")) {
            h.truncate(8 * MIB);
            h.allocate(MIB, MIB, true); // unwritten blocks read as zeros too
            long freeBefore = fs.statfs().freeBlocks();
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = h.map(MapMode.READ_ONLY, 0, 8 * MIB, arena);
                assertEquals(8 * MIB, s.byteSize());
                for (long off = 0; off < s.byteSize(); off += 512) {
                    assertEquals(0L, s.get(ValueLayout.JAVA_LONG_UNALIGNED, off));
                }
            }
            assertEquals(freeBefore, fs.statfs().freeBlocks());
            assertEquals(MIB, h.stat().blocks());
        }
    }

    @Test
    void writesIntoHolesShowUpInReadOnlyMappings() throws Exception {
        try (FileHandle h = open("/f"); Arena arena = Arena.ofShared()) {
            h.truncate(64 * B);
            h.allocate(32 * B, 8 * B, true);
            MemorySegment s = h.map(MapMode.READ_ONLY, 0, 64 * B, arena);
            byte[] hole = pattern(1, 3 * B);
            byte[] unwritten = pattern(2, B + 100);
            h.write(MemorySegment.ofArray(hole), 10 * B + 17);
            h.write(MemorySegment.ofArray(unwritten), 33 * B);
            assertArrayEquals(hole, bytesOf(s.asSlice(10 * B + 17, hole.length)));
            assertArrayEquals(unwritten, bytesOf(s.asSlice(33 * B, unwritten.length)));
            assertEquals(0, s.get(ValueLayout.JAVA_BYTE, 10 * B + 16));
        }
    }

    @Test
    void writableMappingAllocatesZeroedBlocksAndStoresReachTheFile() throws Exception {
        try (FileHandle h = open("/w")) {
            h.truncate(16 * B);
            h.allocate(4 * B, 4 * B, true);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = h.map(MapMode.READ_WRITE, 0, 16 * B, arena);
                assertEquals(16L * B, h.stat().blocks());
                for (long off = 0; off < s.byteSize(); off += 8) {
                    assertEquals(0L, s.get(ValueLayout.JAVA_LONG, off), "offset " + off);
                }
                byte[] data = pattern(3, 5 * B);
                MemorySegment.copy(MemorySegment.ofArray(data), 0, s, 3 * B + 5, data.length);
                byte[] back = new byte[data.length];
                h.read(MemorySegment.ofArray(back), 3 * B + 5);
                assertArrayEquals(data, back);
                // And a write through the handle is seen through the mapping.
                h.write(MemorySegment.ofArray(pattern(4, 100)), 12 * B);
                assertArrayEquals(pattern(4, 100), bytesOf(s.asSlice(12 * B, 100)));
            }
            h.fsync();
        }
        fs.close();
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        byte[] all = readFile(fs, "/w");
        assertArrayEquals(pattern(3, 5 * B), java.util.Arrays.copyOfRange(all, 3 * B + 5, 8 * B + 5));
    }

    @Test
    void rangeOperationsRevokeOverlappingMappingsOnly() throws Exception {
        byte[] content = pattern(5, 64 * B);
        writeFile(fs, "/r", content);
        try (FileHandle h = open("/r"); Arena arena = Arena.ofShared()) {
            MemorySegment low = h.map(MapMode.READ_ONLY, 0, 8 * B, arena);
            MemorySegment mid = h.map(MapMode.READ_ONLY, 16 * B, 8 * B, arena);
            MemorySegment high = h.map(MapMode.READ_WRITE, 40 * B, 8 * B, arena);
            h.punchHole(18 * B, B);
            assertRevoked(mid);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 0, 8 * B), bytesOf(low));
            assertEquals(content[40 * B], high.get(ValueLayout.JAVA_BYTE, 0));
            h.truncate(44 * B + 3);
            assertRevoked(high);
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 0, 8 * B), bytesOf(low));
            MemorySegment again = h.map(MapMode.READ_ONLY, 4 * B, B, arena);
            h.collapseRange(4 * B, B);
            assertRevoked(low);
            assertRevoked(again);
            MemorySegment z = h.map(MapMode.READ_ONLY, 0, B, arena);
            h.zeroRange(0, 10, true);
            assertRevoked(z);
            MemorySegment ins = h.map(MapMode.READ_ONLY, 30 * B, B, arena);
            h.insertRange(8 * B, B);
            assertRevoked(ins);
            AddressSpace space = fs.addressSpaceOf("/r");
            assertEquals(0, space.mappingCount());
            assertEquals(0, space.entryCount());
        }
    }

    @Test
    void refusedRangeOperationsRevokeNothing() throws Exception {
        writeFile(fs, "/r", pattern(6, 16 * B));
        try (FileHandle h = open("/r"); Arena arena = Arena.ofShared()) {
            MemorySegment s = h.map(MapMode.READ_ONLY, 0, 16 * B, arena);
            assertErrno(Errno.EINVAL, () -> h.collapseRange(100, B));
            assertErrno(Errno.EINVAL, () -> h.insertRange(B, 5));
            assertErrno(Errno.EINVAL, () -> h.punchHole(0, 0));
            assertErrno(Errno.EINVAL, () -> h.truncate(-1));
            assertArrayEquals(pattern(6, 16 * B), bytesOf(s));
        }
    }

    @Test
    void closingTheOwnerArenaUnmapsAndDropsEntries() throws Exception {
        writeFile(fs, "/c", pattern(8, 32 * B));
        try (FileHandle h = open("/c")) {
            Arena arena = Arena.ofConfined();
            MemorySegment s = h.map(MapMode.READ_WRITE, 0, 32 * B, arena);
            AddressSpace space = fs.addressSpaceOf("/c");
            assertEquals(1, space.mappingCount());
            int entries = space.entryCount();
            assertTrue(entries > 0);
            h.fsync();
            assertEquals(entries, space.entryCount(), "entries mapped writable stay (dirty) while the mapping lives");
            arena.close();
            assertRevoked(s);
            assertEquals(0, space.mappingCount());
            // Entries written through a writable mapping stay dirty until a flush.
            assertTrue(space.entryCount() > 0);
            h.fsync();
            assertEquals(0, space.entryCount());
        }
    }

    @Test
    void mappingSurvivesTheHandleAndGoesWhenAnUnlinkedFileIsFreed() throws Exception {
        writeFile(fs, "/u", pattern(9, 8 * B));
        Arena arena = Arena.ofShared();
        MemorySegment s;
        try (FileHandle h = fs.open("/u", OpenFlag.READ)) {
            s = h.map(MapMode.READ_ONLY, 0, 8 * B, arena);
        }
        assertArrayEquals(pattern(9, 8 * B), bytesOf(s));
        FileHandle h = fs.open("/u", OpenFlag.READ);
        fs.unlink("/u");
        assertArrayEquals(pattern(9, 8 * B), bytesOf(s));
        h.close();
        assertRevoked(s);
        arena.close();
    }

    @Test
    void hugeEntriesForAlignedExtentsAndTheirFallbacks() throws Exception {
        byte[] content = pattern(10, (int) (4 * MIB));
        writeFile(fs, "/huge", content);
        Extent first = fs.extents("/huge").getFirst();
        assertEquals(0, first.physical() % 512, "the allocator aligns 2 MiB runs: " + first);
        try (FileHandle h = fs.open("/huge", OpenFlag.READ); Arena arena = Arena.ofShared()) {
            // A small fault first: the huge fault over that region falls back to small entries.
            MemorySegment page = h.map(MapMode.READ_ONLY, 2 * MIB + 5 * B, B, arena);
            MemorySegment all = h.map(MapMode.READ_ONLY, 0, 4 * MIB, arena);
            assertArrayEquals(content, bytesOf(all));
            AddressSpace space = fs.addressSpaceOf("/huge");
            assertEquals(1, space.hugeEntryCount(), "first region huge, second fell back");
            // A small fault inside the huge entry uses it.
            int before = space.entryCount();
            MemorySegment inside = h.map(MapMode.READ_ONLY, 7 * B, 3 * B, arena);
            assertEquals(before, space.entryCount());
            assertArrayEquals(java.util.Arrays.copyOfRange(content, 7 * B, 10 * B), bytesOf(inside));
            assertArrayEquals(java.util.Arrays.copyOfRange(content, (int) (2 * MIB + 5 * B), (int) (2 * MIB + 6 * B)), bytesOf(page));
        }
    }

    @Test
    void pinsMakeRangeOperationsWaitThenFailWithEbusy() throws Exception {
        writeFile(fs, "/p", pattern(11, 16 * B));
        fs.setPinTimeout(Duration.ofMillis(50));
        try (FileHandle h = open("/p")) {
            Pin pin = h.pin(4 * B, 4 * B, false);
            assertErrno(Errno.EBUSY, () -> h.punchHole(5 * B, B));
            assertErrno(Errno.EBUSY, () -> h.truncate(B));
            assertArrayEquals(java.util.Arrays.copyOfRange(pattern(11, 16 * B), 4 * B, 8 * B), bytesOf(pin.segment()));
            h.punchHole(12 * B, B); // outside the pin
            assertEquals(16L * B, h.size());
            // A waiting punch proceeds as soon as the pin goes.
            fs.setPinTimeout(Duration.ofMinutes(5));
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread puncher = new Thread(() -> {
                try {
                    h.punchHole(5 * B, B);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            puncher.start();
            while (puncher.getState() != Thread.State.TIMED_WAITING && puncher.isAlive()) {
                Thread.onSpinWait();
            }
            assertTrue(puncher.isAlive(), "the punch must wait for the pin");
            pin.close();
            puncher.join();
            assertEquals(null, failure.get());
            assertRevoked(pin.segment());
            byte[] back = new byte[B];
            h.read(MemorySegment.ofArray(back), 5 * B);
            assertArrayEquals(new byte[B], back);
        }
    }

    @Test
    void aWaitForAPinCanBeInterrupted() throws Exception {
        writeFile(fs, "/p", pattern(12, 4 * B));
        try (FileHandle h = open("/p"); Pin pin = h.pin(0, 4 * B, true)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread puncher = new Thread(() -> {
                try {
                    h.punchHole(0, B);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            puncher.start();
            while (puncher.getState() != Thread.State.TIMED_WAITING && puncher.isAlive()) {
                Thread.onSpinWait();
            }
            puncher.interrupt();
            puncher.join();
            assertTrue(failure.get() instanceof FsException e && e.errno() == Errno.EINTR, String.valueOf(failure.get()));
            pin.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 42);
        }
    }

    @Test
    void deviceRemovalRevokesMappingsAndLaterMapsFail() throws Exception {
        writeFile(fs, "/d", pattern(13, 8 * B));
        FileHandle h = fs.open("/d", OpenFlag.READ, OpenFlag.WRITE);
        Arena arena = Arena.ofShared();
        MemorySegment s = h.map(MapMode.READ_WRITE, 0, 8 * B, arena);
        Pin pin = h.pin(0, B, false);
        device.kill();
        assertRevoked(s);
        assertRevoked(pin.segment());
        assertErrno(Errno.EIO, () -> h.map(MapMode.READ_ONLY, 0, B, arena));
        pin.close();
        arena.close();
        fs = null;
    }

    @Test
    void syncMappingStoresAreDurableAfterAFlushWithoutFsync() throws Exception {
        try (CrashSimulatorDevice sim = new CrashSimulatorDevice(32 * MIB)) {
            DaxFileSystem sfs = TestImages.formatAndMount(sim);
            byte[] flushed = pattern(17, B);
            byte[] unflushed = pattern(18, B);
            try (FileHandle h = sfs.open("/s", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE)) {
                h.truncate(16 * B);
                h.fsync();
                try (Arena arena = Arena.ofShared()) {
                    MemorySegment s = h.map(MapMode.READ_WRITE_SYNC, 0, 16 * B, arena);
                    MemorySegment.copy(MemorySegment.ofArray(flushed), 0, s, B, B);
                    MemorySegment.copy(MemorySegment.ofArray(unflushed), 0, s, 8 * B, B);
                    h.msync(B, B);
                    // Power fails now: no fsync, no unmount, every store not flushed is lost.
                    try (CrashSimulatorDevice after = sim.crash(new java.util.Random(1), 0.0)) {
                        DaxFileSystem crashed = DaxFileSystem.mount(after, MountOptions.defaults());
                        byte[] back = readFile(crashed, "/s");
                        assertEquals(16 * B, back.length);
                        assertArrayEquals(flushed, java.util.Arrays.copyOfRange(back, B, 2 * B));
                        assertArrayEquals(new byte[B], java.util.Arrays.copyOfRange(back, 8 * B, 9 * B));
                        assertEquals(16L * B, crashed.stat("/s").blocks(), "the blocks were committed before write access");
                        crashed.close();
                        FsckReport report = Fsck.run(after, false, null);
                        assertTrue(report.clean(), report.toString());
                    }
                }
            }
            sfs.close();
        }
    }

    @Test
    void mediaErrorsFailTheMappingUntilAFullOverwrite() throws Exception {
        writeFile(fs, "/bad", pattern(19, 4 * B));
        long at = fs.extents("/bad").getFirst().physical() * B;
        device.mediaErrors().add(at + 2 * B + 512, 512);
        try (FileHandle h = open("/bad"); Arena arena = Arena.ofShared()) {
            assertArrayEquals(java.util.Arrays.copyOfRange(pattern(19, 4 * B), 0, 2 * B), bytesOf(h.map(MapMode.READ_ONLY, 0, 2 * B, arena)));
            assertErrno(Errno.EIO, () -> h.map(MapMode.READ_ONLY, 0, 4 * B, arena));
            assertErrno(Errno.EIO, () -> h.map(MapMode.READ_WRITE, 2 * B, B, arena));
            assertEquals(1, fs.addressSpaceOf("/bad").mappingCount(), "failed maps leave nothing behind");
            h.write(MemorySegment.ofArray(pattern(20, B)), 2 * B);
            assertArrayEquals(pattern(20, B), bytesOf(h.map(MapMode.READ_ONLY, 2 * B, B, arena)));
        }
    }

    @Test
    void errors() throws Exception {
        writeFile(fs, "/e", pattern(14, 3 * B));
        fs.mkdir("/dir", 0755);
        try (Arena arena = Arena.ofShared()) {
            try (FileHandle h = fs.open("/e", OpenFlag.READ)) {
                assertErrno(Errno.ENXIO, () -> h.map(MapMode.READ_ONLY, 2 * B, 2 * B, arena));
                assertErrno(Errno.EINVAL, () -> h.map(MapMode.READ_ONLY, -1, B, arena));
                assertErrno(Errno.EINVAL, () -> h.map(MapMode.READ_ONLY, 0, 0, arena));
                assertErrno(Errno.EACCES, () -> h.map(MapMode.READ_WRITE, 0, B, arena));
            }
            try (FileHandle h = fs.open("/e", OpenFlag.WRITE)) {
                assertErrno(Errno.EACCES, () -> h.map(MapMode.READ_ONLY, 0, B, arena));
            }
            try (FileHandle d = fs.open("/dir", OpenFlag.READ)) {
                assertErrno(Errno.ENODEV, () -> d.map(MapMode.READ_ONLY, 0, B, arena));
            }
            Arena closed = Arena.ofConfined();
            closed.close();
            try (FileHandle h = fs.open("/e", OpenFlag.READ)) {
                assertThrows(IllegalArgumentException.class, () -> h.map(MapMode.READ_ONLY, 0, B, closed));
                assertEquals(0, fs.addressSpaceOf("/e").mappingCount());
            }
        }
    }

    @Test
    void blockOnlyDevicesMapThroughThePageCacheButRefuseSyncMappings(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path image = dir.resolve("img");
        Devices.createImage(image, 16 * MIB);
        try (Device block = Devices.open(image, org.daxfs.device.DeviceOptions.defaults().withBlockOnly(true))) {
            DaxFileSystem bfs = TestImages.formatAndMount(block);
            byte[] data = pattern(15, B);
            writeFile(bfs, "/f", data);
            try (FileHandle h = bfs.open("/f", OpenFlag.READ, OpenFlag.WRITE); Arena arena = Arena.ofConfined()) {
                assertArrayEquals(data, h.map(MapMode.READ_ONLY, 0, B, arena).toArray(ValueLayout.JAVA_BYTE));
                assertErrno(Errno.EOPNOTSUPP, () -> h.map(MapMode.READ_WRITE_SYNC, 0, B, arena));
            }
            bfs.close();
        }
    }

    @Test
    void unmountRevokesAndTheImageIsClean() throws Exception {
        writeFile(fs, "/m", pattern(16, 8 * B));
        Arena arena = Arena.ofShared();
        MemorySegment s;
        try (FileHandle h = fs.open("/m", OpenFlag.READ, OpenFlag.WRITE)) {
            s = h.map(MapMode.READ_WRITE, 0, 8 * B, arena);
            s.set(ValueLayout.JAVA_BYTE, 100, (byte) 7);
        }
        fs.close();
        fs = null;
        assertRevoked(s);
        arena.close();
        FsckReport report = Fsck.run(device, false, null);
        assertTrue(report.clean(), report.toString());
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        assertEquals(7, readFile(fs, "/m")[100]);
        assertNotEquals(0, readFile(fs, "/m").length);
        assertFalse(fs.statfs().freeBlocks() == 0);
    }
}
