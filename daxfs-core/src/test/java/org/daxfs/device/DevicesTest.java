package org.daxfs.device;

import static org.daxfs.device.DeviceTesting.assertErrno;
import static org.daxfs.device.DeviceTesting.pattern;
import static org.daxfs.device.DeviceTesting.read;
import static org.daxfs.device.DeviceTesting.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.daxfs.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Creating and opening devices: images, options, fallbacks, memfd. */
class DevicesTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void createImageRoundsUpToABlockAndIsSparse() throws Exception {
        Path image = dir.resolve("a.img");
        long size = Devices.createImage(image, 16 * MIB + 1);
        assertEquals(16 * MIB + 4096, size);
        assertEquals(size, Files.size(image));
        try (Device device = Devices.open(image)) {
            assertEquals(size, device.size());
            assertArrayEquals(new byte[4096], read(device, size - 4096, 4096));
        }
    }

    @Test
    void createImageRejectsSmallAndUnrepresentableSizes() {
        assertErrno(Errno.EINVAL, () -> Devices.createImage(dir.resolve("small.img"), 16 * MIB - 1));
        assertErrno(Errno.EINVAL, () -> Devices.createImage(dir.resolve("zero.img"), 0));
        assertErrno(Errno.EINVAL, () -> Devices.createImage(dir.resolve("neg.img"), -4096));
        assertErrno(Errno.EINVAL, () -> Devices.createImage(dir.resolve("huge.img"), Long.MAX_VALUE));
        assertFalse(Files.exists(dir.resolve("small.img")));
        assertFalse(Files.exists(dir.resolve("huge.img")));
    }

    @Test
    void createImageNeverOverwritesAnExistingFile() throws Exception {
        Path image = dir.resolve("taken.img");
        Files.writeString(image, "precious");
        assertErrno(Errno.EEXIST, () -> Devices.createImage(image, 16 * MIB));
        assertEquals("precious", Files.readString(image));
        assertErrno(Errno.ENOENT, () -> Devices.createImage(dir.resolve("missing/x.img"), 16 * MIB));
    }

    @Test
    void sparseOneTebibyteImageMapsAndKeepsItsLastBlock() throws Exception {
        Path image = dir.resolve("big.img");
        long size = 1L << 40;
        Devices.createImage(image, size);
        byte[] data = pattern(1, 4096);
        try (Device device = Devices.open(image)) {
            assertTrue(device.isDirectAccess());
            assertEquals(size, device.size());
            write(device, size - 4096, data);
            device.persist(size - 4096, 4096);
            assertArrayEquals(data, read(device, size - 4096, 4096));
        }
        try (Device device = Devices.open(image, DeviceOptions.defaults().withReadOnly(true))) {
            assertArrayEquals(data, read(device, size - 4096, 4096));
        }
        assertEquals(size, Files.size(image));
        long allocatedBytes = allocatedBytes(image);
        assumeTrue(allocatedBytes >= 0, "stat(1) not available to check allocation");
        assertTrue(allocatedBytes < 64 * MIB, "image should stay sparse, allocated " + allocatedBytes);
    }

    /** Bytes the host file system allocated to the file (stat %b * %B), or -1 if stat(1) is unavailable. */
    private static long allocatedBytes(Path file) throws InterruptedException {
        try {
            Process stat = new ProcessBuilder("stat", "--format=%b %B", file.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!stat.waitFor(30, TimeUnit.SECONDS) || stat.exitValue() != 0) {
                return -1;
            }
            String[] parts = out.split(" ");
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mapped", "sync", "block-only"})
    void persistedDataSurvivesCloseAndReopenInEveryMode(String mode) throws Exception {
        Path image = dir.resolve("persist.img");
        Devices.createImage(image, 16 * MIB);
        DeviceOptions options = switch (mode) {
            case "sync" -> DeviceOptions.defaults().withSync(true);
            case "block-only" -> DeviceOptions.defaults().withBlockOnly(true);
            default -> DeviceOptions.defaults();
        };
        try (Device device = Devices.open(image, options)) {
            write(device, 12_288, pattern(2, 5000));
            device.zero(12_288 + 100, 100);
            device.persist(12_288, 5000);
        }
        byte[] expected = pattern(2, 5000);
        java.util.Arrays.fill(expected, 100, 200, (byte) 0);
        // Reopen in every mode: they all see the same file.
        for (DeviceOptions reopen : List.of(DeviceOptions.defaults(), DeviceOptions.defaults().withBlockOnly(true))) {
            try (Device device = Devices.open(image, reopen)) {
                assertArrayEquals(expected, read(device, 12_288, 5000));
            }
        }
    }

    @Test
    void readOnlyDevicesRefuseWritesWithErofs() throws Exception {
        Path image = dir.resolve("ro.img");
        Devices.createImage(image, 16 * MIB);
        try (Device device = Devices.open(image)) {
            write(device, 0, pattern(3, 100));
            device.persist(0, 100);
        }
        for (boolean blockOnly : new boolean[] {false, true}) {
            DeviceOptions options = DeviceOptions.defaults().withReadOnly(true).withBlockOnly(blockOnly);
            try (Device device = Devices.open(image, options)) {
                assertTrue(device.isReadOnly());
                assertTrue(device.describe().contains("read-only"), device.describe());
                assertArrayEquals(pattern(3, 100), read(device, 0, 100));
                assertErrno(Errno.EROFS, () -> write(device, 0, new byte[1]));
                assertErrno(Errno.EROFS, () -> device.zero(0, 1));
                device.persist(0, 100); // nothing to make durable, but allowed
                if (device.isDirectAccess()) {
                    try (DeviceSection _ = device.enter()) {
                        assertTrue(device.directAccess(0, 4096).isReadOnly());
                    }
                }
            }
        }
    }

    @Test
    void syncMappingFallsBackToMsyncWithANoticeOffDax() throws Exception {
        Path image = dir.resolve("sync.img");
        Devices.createImage(image, 16 * MIB);
        List<String> notices = new ArrayList<>();
        try (Device device = Devices.open(image, DeviceOptions.defaults().withSync(true).withNotices(notices::add))) {
            // This machine has no DAX mount, so MAP_SYNC is refused.
            assertFalse(device.isSynchronous());
            assertTrue(device.isDirectAccess());
            assertEquals(1, notices.size(), notices.toString());
            String notice = notices.get(0);
            assertTrue(notice.startsWith("MAP_SYNC not supported for " + image + ": "), notice);
            assertTrue(notice.endsWith("; falling back to msync"), notice);
            write(device, 0, pattern(4, 10));
            device.persist(0, 10);
        }
    }

    @Test
    void openReportsMissingAndTooSmallFiles() throws Exception {
        assertErrno(Errno.ENOENT, () -> Devices.open(dir.resolve("nothing.img")));
        Path tiny = dir.resolve("tiny.img");
        Files.write(tiny, new byte[100]);
        assertErrno(Errno.EINVAL, () -> Devices.open(tiny));
        assertErrno(Errno.EINVAL, () -> Devices.open(tiny, DeviceOptions.defaults().withBlockOnly(true)));
    }

    @Test
    void trailingBytesBeyondTheLastBlockAreIgnoredWithANotice() throws Exception {
        Path odd = dir.resolve("odd.img");
        try (FileChannel channel = FileChannel.open(odd, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 2 * 4096 + 99);
        }
        List<String> notices = new ArrayList<>();
        try (Device device = Devices.open(odd, DeviceOptions.defaults().withNotices(notices::add))) {
            assertEquals(2 * 4096, device.size());
            assertEquals(1, notices.size());
            assertTrue(notices.get(0).contains("ignoring the last 100 bytes"), notices.get(0));
        }
    }

    @Test
    void memoryDeviceIsRoundedUpAndItsBackingFileMapsTheSameMemory() throws Exception {
        assertErrno(Errno.EINVAL, () -> Devices.memory(0));
        try (MappedDevice device = Devices.memory(10_000)) {
            assertEquals(12_288, device.size());
            assertFalse(device.isSynchronous());
            Path backing = device.backingFile().orElseThrow();
            assertTrue(backing.toString().startsWith("/proc/self/fd/"), backing.toString());
            write(device, 4096, pattern(5, 100));
            // Map the backing file a second time: both views share the pages (zero-copy).
            try (Arena arena = Arena.ofConfined();
                    FileChannel channel = FileChannel.open(backing, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                MemorySegment second = channel.map(FileChannel.MapMode.READ_WRITE, 4096, 4096, arena);
                assertArrayEquals(pattern(5, 100), second.asSlice(0, 100).toArray(ValueLayout.JAVA_BYTE));
                second.set(ValueLayout.JAVA_BYTE, 200, (byte) 77);
            }
            assertArrayEquals(new byte[] {77}, read(device, 4096 + 200, 1));
        }
    }

    @Test
    void describeNamesTheKindPathAndMode() throws Exception {
        Path image = dir.resolve("d.img");
        Devices.createImage(image, 16 * MIB);
        try (Device mapped = Devices.open(image)) {
            assertEquals("image file " + image + " (mapped)", mapped.describe());
            assertEquals(image, mapped.backingFile().orElseThrow());
        }
        try (Device blockOnly = Devices.open(image, DeviceOptions.defaults().withBlockOnly(true))) {
            assertEquals("image file " + image + " (block-only)", blockOnly.describe());
            assertFalse(blockOnly.isSynchronous());
        }
    }
}
