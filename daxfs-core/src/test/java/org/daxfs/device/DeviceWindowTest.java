package org.daxfs.device;

import static org.daxfs.device.DeviceTesting.SIZE;
import static org.daxfs.device.DeviceTesting.assertErrno;
import static org.daxfs.device.DeviceTesting.pattern;
import static org.daxfs.device.DeviceTesting.read;
import static org.daxfs.device.DeviceTesting.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.daxfs.Errno;
import org.daxfs.device.DeviceTesting.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Windows: device blocks shown at chosen places of a reserved range, checked byte by byte through a segment
 * over the window's address, on every kind of device that has a mappable descriptor. Nothing here touches a
 * range that shows nothing or stores to a read-only one: that would be a SIGSEGV, which ends the JVM.
 */
class DeviceWindowTest {
    private static final int B = Device.BLOCK_SIZE;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"IMAGE", "IMAGE_SYNC", "MEMORY", "RAW_MAPPING", "CRASH_SIMULATOR"})
    void scatteredBlocksShowInTheChosenOrder(Kind kind) throws Exception {
        long[] blocks = {5, 1000, 17, 3, 4095, 64};
        int[] order = {3, 0, 5, 1, 4, 2}; // window block i shows device block blocks[order[i]]
        try (Device device = kind.create(dir)) {
            for (long block : blocks) {
                write(device, block * B, pattern(block, B));
            }
            write(device, 300L * B, pattern(300, 2 * B)); // a run of two blocks, shown with one call
            try (DeviceWindow w = device.openWindow(8L * B); Arena arena = Arena.ofConfined()) {
                assertEquals(8L * B, w.size());
                assertEquals(0, w.address() % B);
                for (int i = 0; i < order.length; i++) {
                    w.showDevice((long) i * B, blocks[order[i]] * B, B, i % 2 == 0);
                }
                w.showDevice(6L * B, 300L * B, 2L * B, false);

                byte[] expected = new byte[8 * B];
                for (int i = 0; i < order.length; i++) {
                    System.arraycopy(pattern(blocks[order[i]], B), 0, expected, i * B, B);
                }
                System.arraycopy(pattern(300, 2 * B), 0, expected, 6 * B, 2 * B);
                assertArrayEquals(expected, view(w, arena).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"IMAGE", "MEMORY", "RAW_MAPPING", "CRASH_SIMULATOR"})
    void storesThroughAWritableViewReachTheDeviceAndBack(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            try (DeviceWindow w = device.openWindow(4L * B); Arena arena = Arena.ofConfined()) {
                MemorySegment view = view(w, arena);
                w.showDevice(B, 10L * B, B, true);
                MemorySegment.copy(MemorySegment.ofArray(pattern(1, B)), 0, view, B, B);
                assertArrayEquals(pattern(1, B), read(device, 10L * B, B));

                write(device, 10L * B + 100, pattern(2, 1000));
                assertArrayEquals(pattern(2, 1000), view.asSlice(B + 100, 1000).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"IMAGE", "MEMORY", "CRASH_SIMULATOR"})
    void showingDeviceBlocksReplacesZerosAndShowingZerosReplacesThem(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            write(device, 7L * B, pattern(7, B));
            try (DeviceWindow w = device.openWindow(4L * B); Arena arena = Arena.ofConfined()) {
                MemorySegment view = view(w, arena);
                w.showZeros(0, 4L * B);
                assertArrayEquals(new byte[4 * B], view.toArray(ValueLayout.JAVA_BYTE));

                w.showDevice(2L * B, 7L * B, B, false);
                assertArrayEquals(pattern(7, B), view.asSlice(2L * B, B).toArray(ValueLayout.JAVA_BYTE));
                assertArrayEquals(new byte[2 * B], view.asSlice(0, 2L * B).toArray(ValueLayout.JAVA_BYTE));
                assertArrayEquals(new byte[B], view.asSlice(3L * B, B).toArray(ValueLayout.JAVA_BYTE));

                w.showZeros(2L * B, B);
                assertArrayEquals(new byte[4 * B], view.toArray(ValueLayout.JAVA_BYTE));
                assertArrayEquals(pattern(7, B), read(device, 7L * B, B)); // zeros are not stored anywhere
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"IMAGE", "MEMORY", "CRASH_SIMULATOR"})
    void protectMakesAViewReadOnlyAndWritableAgain(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            try (DeviceWindow w = device.openWindow(2L * B); Arena arena = Arena.ofConfined()) {
                MemorySegment view = view(w, arena);
                w.showDevice(0, 20L * B, 2L * B, true);
                view.set(ValueLayout.JAVA_LONG, 8, 0x1111L);
                w.protect(0, 2L * B, false);
                assertEquals(0x1111L, view.get(ValueLayout.JAVA_LONG, 8));
                w.protect(B, B, true);
                view.set(ValueLayout.JAVA_LONG, B + 16, 0x2222L);
                w.protect(0, B, true);
                view.set(ValueLayout.JAVA_LONG, 8, 0x3333L);

                MemorySegment back = MemorySegment.ofArray(read(device, 20L * B, 2 * B));
                assertEquals(0x3333L, back.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
                assertEquals(0x2222L, back.get(ValueLayout.JAVA_LONG_UNALIGNED, B + 16));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"IMAGE", "MEMORY", "CRASH_SIMULATOR"})
    void badArgumentsAreEinvalAndMapNothing(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            write(device, 0, pattern(1, 4 * B));
            String file = kind == Kind.IMAGE ? dir.resolve("image.img").toRealPath().toString() : "/memfd:daxfs";
            try (DeviceWindow w = device.openWindow(4L * B); Arena arena = Arena.ofConfined()) {
                w.showZeros(0, 4L * B);
                long mappingsBefore = mappingsOf(file);
                assertTrue(mappingsBefore > 0, file + " not in /proc/self/maps");

                // Misaligned.
                assertEquals(1, assertErrno(Errno.EINVAL, () -> w.showDevice(1, 0, B, false)).offset());
                assertEquals(B + 7, assertErrno(Errno.EINVAL, () -> w.showDevice(0, B + 7, B, true)).offset());
                assertErrno(Errno.EINVAL, () -> w.showDevice(0, 0, 100, false));
                assertErrno(Errno.EINVAL, () -> w.showZeros(B / 2, B));
                assertErrno(Errno.EINVAL, () -> w.protect(0, B + 1, false));
                // Outside the window.
                assertEquals(-B, assertErrno(Errno.EINVAL, () -> w.showDevice(-B, 0, B, false)).offset());
                assertEquals(4L * B, assertErrno(Errno.EINVAL, () -> w.showDevice(4L * B, 0, B, false)).offset());
                assertErrno(Errno.EINVAL, () -> w.showDevice(3L * B, 0, 2L * B, false));
                assertErrno(Errno.EINVAL, () -> w.showDevice(0, 0, -B, false));
                assertErrno(Errno.EINVAL, () -> w.showDevice(B, 0, Long.MAX_VALUE / B * B, false));
                assertErrno(Errno.EINVAL, () -> w.showZeros(0, 5L * B));
                assertErrno(Errno.EINVAL, () -> w.protect(4L * B, B, true));
                assertErrno(Errno.EINVAL, () -> w.sync(-1, 1));
                assertErrno(Errno.EINVAL, () -> w.sync(10, 4L * B));
                // Outside the device.
                assertEquals(SIZE, assertErrno(Errno.EINVAL, () -> w.showDevice(0, SIZE, B, false)).offset());
                assertErrno(Errno.EINVAL, () -> w.showDevice(0, SIZE - B, 2L * B, false));
                assertErrno(Errno.EINVAL, () -> w.showDevice(0, -B, B, false));
                // Bad sizes.
                assertErrno(Errno.EINVAL, () -> device.openWindow(0));
                assertErrno(Errno.EINVAL, () -> device.openWindow(-B));
                assertErrno(Errno.EINVAL, () -> device.openWindow(B + 1));

                assertEquals(mappingsBefore, mappingsOf(file));
                assertArrayEquals(new byte[4 * B], view(w, arena).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"IMAGE", "MEMORY", "CRASH_SIMULATOR"})
    void afterKillNothingNewIsShownButShownPagesStayUntilTheWindowCloses(Kind kind) throws Exception {
        Device device = kind.create(dir);
        try {
            write(device, 5L * B, pattern(5, B));
            try (DeviceWindow w = device.openWindow(2L * B); Arena arena = Arena.ofConfined()) {
                MemorySegment view = view(w, arena);
                w.showDevice(0, 5L * B, B, true);
                device.kill();

                assertErrno(Errno.EIO, () -> device.openWindow(B));
                assertErrno(Errno.EIO, () -> w.showDevice(B, 5L * B, B, false));
                assertErrno(Errno.EIO, () -> w.sync(0, B));
                assertArrayEquals(pattern(5, B), view.asSlice(0, B).toArray(ValueLayout.JAVA_BYTE));
                w.showZeros(B, B); // needs no device
                w.protect(0, B, false);

                device.close(); // gives back the descriptor; the mapping holds the file itself
                assertArrayEquals(pattern(5, B), view.asSlice(0, B).toArray(ValueLayout.JAVA_BYTE));
                assertArrayEquals(new byte[B], view.asSlice(B, B).toArray(ValueLayout.JAVA_BYTE));
            }
        } finally {
            device.close();
        }
    }

    @Test
    void aClosedWindowFailsWithEio() throws Exception {
        try (Device device = Devices.memory(SIZE)) {
            DeviceWindow w = device.openWindow(2L * B);
            long address = w.address();
            assertTrue(isMapped(address));
            w.close();
            assertFalse(isMapped(address));
            w.close();
            assertErrno(Errno.EIO, () -> w.showDevice(0, 0, B, false));
            assertErrno(Errno.EIO, () -> w.showZeros(0, B));
            assertErrno(Errno.EIO, () -> w.protect(0, B, false));
            assertErrno(Errno.EIO, () -> w.sync(0, B));
            assertEquals(address, w.address());
            assertEquals(2L * B, w.size());
            // Arguments are checked first: a bad one is EINVAL even on a closed window.
            assertErrno(Errno.EINVAL, () -> w.showZeros(3, B));
        }
    }

    @Test
    void aReadOnlyDeviceRefusesWritableViews() throws Exception {
        Path image = dir.resolve("ro.img");
        Devices.createImage(image, SIZE);
        try (Device device = Devices.open(image)) {
            write(device, 9L * B, pattern(9, B));
            device.persistAll();
        }
        try (Device device = Devices.open(image, DeviceOptions.defaults().withReadOnly(true))) {
            try (DeviceWindow w = device.openWindow(B); Arena arena = Arena.ofConfined()) {
                assertEquals(9L * B, assertErrno(Errno.EROFS, () -> w.showDevice(0, 9L * B, B, true)).offset());
                w.showDevice(0, 9L * B, B, false);
                assertErrno(Errno.EROFS, () -> w.protect(0, B, true));
                assertArrayEquals(pattern(9, B), view(w, arena).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @Test
    void aBlockOnlyDeviceHasNoWindows() throws Exception {
        try (Device device = Kind.BLOCK_ONLY.create(dir)) {
            assertErrno(Errno.EOPNOTSUPP, () -> device.openWindow(B));
        }
    }

    @Test
    void anImageFileReplacedSinceOpeningIsNotMappedAgain() throws Exception {
        Path image = dir.resolve("moved.img");
        Devices.createImage(image, SIZE);
        try (Device device = Devices.open(image)) {
            long inode = inode(image);
            Files.move(image, dir.resolve("elsewhere.img"));
            Files.write(image, new byte[2 * B]);
            assertErrno(Errno.EIO, () -> device.openWindow(B));
            assertTrue(isLocked(inode), "closing the other file's descriptor kept the image lock");
        }
    }

    @Test
    void theDescriptorWindowsOpenDoesNotEndTheImageLock() throws Exception {
        // The lock is a POSIX record lock: closing any descriptor of the file in this process would drop it.
        Path image = dir.resolve("locked.img");
        Devices.createImage(image, SIZE);
        long inode = inode(image);
        try (Device device = Devices.open(image)) {
            assertTrue(isLocked(inode));
            device.openWindow(B).close();
            device.openWindow(2L * B).close();
            assertTrue(isLocked(inode));
        }
        assertFalse(isLocked(inode));
    }

    @Test
    void aWindowSeesTheImageFileTheDeviceOpenedAndSyncReachesTheFile() throws Exception {
        Path image = dir.resolve("sync.img");
        Devices.createImage(image, SIZE);
        try (Device device = Devices.open(image)) {
            try (DeviceWindow w = device.openWindow(3L * B); Arena arena = Arena.ofConfined()) {
                w.showDevice(2L * B, 11L * B, B, true);
                MemorySegment.copy(MemorySegment.ofArray(pattern(11, B)), 0, view(w, arena), 2L * B, B);
                w.sync(2L * B + 10, 100); // rounded out to the page
                w.sync(0, 3L * B); // pages showing nothing are fine too
            }
        }
        byte[] bytes = Files.readAllBytes(image);
        assertArrayEquals(pattern(11, B), Arrays.copyOfRange(bytes, 11 * B, 12 * B));
    }

    @Test
    void crashSimulatorKeepsWindowStoresOnlyOnceTheyArePersisted() throws Exception {
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE)) {
            try (DeviceWindow w = device.openWindow(2L * B); Arena arena = Arena.ofConfined()) {
                MemorySegment view = view(w, arena);
                w.showDevice(0, 3L * B, B, true);
                w.showDevice(B, 9L * B, B, true);
                MemorySegment.copy(MemorySegment.ofArray(pattern(3, B)), 0, view, 0, B);
                MemorySegment.copy(MemorySegment.ofArray(pattern(9, B)), 0, view, B, B);
                assertEquals(2L * B / CrashSimulatorDevice.LINE, device.unpersistedLines());
                device.persist(3L * B, B);
            }
            try (CrashSimulatorDevice crashed = device.crash(new Random(1), 0.0)) {
                assertArrayEquals(pattern(3, B), read(crashed, 3L * B, B));
                assertArrayEquals(new byte[B], read(crashed, 9L * B, B));
                // The crash image has a live store of its own that windows map.
                try (DeviceWindow w = crashed.openWindow(B); Arena arena = Arena.ofConfined()) {
                    w.showDevice(0, 3L * B, B, false);
                    assertArrayEquals(pattern(3, B), view(w, arena).toArray(ValueLayout.JAVA_BYTE));
                }
            }
            assertArrayEquals(pattern(9, B), read(device, 9L * B, B));
        }
    }

    @Test
    void aConcurrentReaderSeesTheOldPageOrTheNewOneNeverAHole() throws Exception {
        try (Device device = Devices.memory(SIZE)) {
            MemorySegment ones = MemorySegment.ofArray(new long[B / 8]).fill((byte) 1);
            MemorySegment twos = MemorySegment.ofArray(new long[B / 8]).fill((byte) 2);
            device.write(B, ones);
            device.write(2L * B, twos);
            try (DeviceWindow w = device.openWindow(B); Arena arena = Arena.ofShared()) {
                MemorySegment view = view(w, arena);
                w.showDevice(0, B, B, false);
                AtomicBoolean done = new AtomicBoolean();
                AtomicLong wrong = new AtomicLong();
                AtomicLong reads = new AtomicLong();
                Thread reader = Thread.ofPlatform().start(() -> {
                    long n = 0;
                    while (!done.get()) {
                        for (long at = 0; at < B; at += 512) {
                            long value = (long) LONG.getVolatile(view, at);
                            if (value != 0x0101010101010101L && value != 0x0202020202020202L) {
                                wrong.compareAndSet(0, value == 0 ? -1 : value);
                            }
                        }
                        n++;
                    }
                    reads.set(n);
                });
                try {
                    for (int i = 0; i < 5000; i++) {
                        w.showDevice(0, (1 + i % 2) * (long) B, B, false);
                    }
                } finally {
                    done.set(true);
                    reader.join();
                }
                assertEquals(0, wrong.get(), "the reader saw a value that is on neither block");
                assertTrue(reads.get() > 0);
            }
        }
    }

    @Test
    void devDaxWindowsNeedAnAlignmentOfOneBlock() throws Exception {
        Path devNull = Path.of("/dev/null");
        Path sysfs = dir.resolve("sys");
        Files.createDirectories(sysfs.resolve("dev/char/1:3"));
        assertTrue(DevDaxNode.windowRefusal(devNull, sysfs).contains("unknown"));
        Files.writeString(sysfs.resolve("dev/char/1:3/align"), "2097152\n");
        assertTrue(DevDaxNode.windowRefusal(devNull, sysfs).contains("2097152 bytes"));
        Files.writeString(sysfs.resolve("dev/char/1:3/align"), "4096\n");
        assertNull(DevDaxNode.windowRefusal(devNull, sysfs));
    }

    // ---- helpers ----

    /** The whole window as a segment of {@code arena}, as the layers above wrap it. */
    @SuppressWarnings("restricted")
    private static MemorySegment view(DeviceWindow w, Arena arena) {
        return MemorySegment.ofAddress(w.address()).reinterpret(w.size(), arena, null);
    }

    /** True if some mapping of this process contains {@code address}. */
    private static boolean isMapped(long address) throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.anyMatch(line -> {
                String[] range = line.substring(0, line.indexOf(' ')).split("-");
                return Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16);
            });
        }
    }

    private static long inode(Path file) throws IOException {
        return (Long) Files.getAttribute(file, "unix:ino");
    }

    /** True if /proc/locks lists a lock on inode {@code inode} (of any device). */
    private static boolean isLocked(long inode) throws IOException {
        try (var lines = Files.lines(Path.of("/proc/locks"))) {
            return lines.anyMatch(line -> line.contains(":" + inode + " "));
        }
    }

    /** How many mappings of this process name {@code file} in /proc/self/maps. */
    private static long mappingsOf(String file) throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(line -> line.contains(file)).count();
        }
    }
}
