package org.daxfs.device;

import static org.daxfs.device.DeviceTesting.assertErrno;
import static org.daxfs.device.DeviceTesting.pattern;
import static org.daxfs.device.DeviceTesting.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.daxfs.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * devdax support. There is no devdax device here, so the parts are tested apart: the name match, the
 * device number and sysfs lookup (against /dev/null and a fake sysfs tree), and the FFM mapping (on an
 * ordinary file).
 */
class DevDaxNodeTest {
    private static final Path DEV_NULL = Path.of("/dev/null"); // character device 1:3 on Linux

    @TempDir
    Path dir;

    @Test
    void recognisesDevDaxNodeNames() throws Exception {
        assertTrue(DevDaxNode.matches(Path.of("/dev/dax0.0")));
        assertTrue(DevDaxNode.matches(Path.of("/dev/dax12.34")));
        assertTrue(DevDaxNode.matches(Path.of("/dev/../dev/dax1.0")));
        assertFalse(DevDaxNode.matches(Path.of("/dev/dax0")));
        assertFalse(DevDaxNode.matches(Path.of("/dev/pmem0")));
        assertFalse(DevDaxNode.matches(Path.of("/dev/dax0.0p1")));
        assertFalse(DevDaxNode.matches(dir.resolve("dax0.0")));
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("elsewhere"));
        assertFalse(DevDaxNode.matches(link));
    }

    @Test
    void decodesDeviceNumbersLikeGlibc() throws Exception {
        assertEquals("1:3", DevDaxNode.deviceNumber(DEV_NULL));
        long major = 4095 + 4096 * 5; // needs both parts of the encoding
        long minor = 255 + 256 * 77;
        long rdev = ((major & 0xfff) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xff) | ((minor & ~0xffL) << 12);
        assertEquals(major, DevDaxNode.major(rdev));
        assertEquals(minor, DevDaxNode.minor(rdev));
        Path regular = Files.writeString(dir.resolve("regular"), "x");
        assertErrno(Errno.EINVAL, () -> DevDaxNode.deviceNumber(regular));
        assertErrno(Errno.ENOENT, () -> DevDaxNode.deviceNumber(dir.resolve("missing")));
    }

    @Test
    void readsTheSizeFromSysDevChar() throws Exception {
        Path sysfs = dir.resolve("sys");
        Files.createDirectories(sysfs.resolve("dev/char/1:3"));
        Files.writeString(sysfs.resolve("dev/char/1:3/size"), "34359738368\n");
        assertEquals(32L << 30, DevDaxNode.size(DEV_NULL, sysfs));
    }

    @Test
    void fallsBackToTheDaxBusForTheSize() throws Exception {
        Path sysfs = dir.resolve("sys");
        Files.createDirectories(sysfs.resolve("bus/dax/devices/null"));
        Files.writeString(sysfs.resolve("bus/dax/devices/null/size"), "2147483648\n");
        assertEquals(2L << 30, DevDaxNode.size(DEV_NULL, sysfs));
    }

    @Test
    void missingOrGarbledSysfsSizeIsAnError() throws Exception {
        Path sysfs = dir.resolve("sys");
        Files.createDirectories(sysfs);
        assertErrno(Errno.ENODATA, () -> DevDaxNode.size(DEV_NULL, sysfs));
        Files.createDirectories(sysfs.resolve("dev/char/1:3"));
        Files.writeString(sysfs.resolve("dev/char/1:3/size"), "lots\n");
        assertErrno(Errno.EIO, () -> DevDaxNode.size(DEV_NULL, sysfs));
    }

    @Test
    void openingRefusesBlockOnlyAndReportsAMapFailure() throws Exception {
        Path sysfs = dir.resolve("sys");
        Files.createDirectories(sysfs.resolve("dev/char/1:3"));
        Files.writeString(sysfs.resolve("dev/char/1:3/size"), "16777216\n");
        assertErrno(Errno.EINVAL,
                () -> DevDaxNode.open(DEV_NULL, DeviceOptions.defaults().withBlockOnly(true), sysfs));
        // /dev/null has a size here but cannot be mapped: mmap fails with ENODEV, reported as EIO.
        assertErrno(Errno.EIO, () -> DevDaxNode.open(DEV_NULL, DeviceOptions.defaults(), sysfs));
        Files.writeString(sysfs.resolve("dev/char/1:3/size"), "100\n");
        assertErrno(Errno.EINVAL, () -> DevDaxNode.open(DEV_NULL, DeviceOptions.defaults(), sysfs));
    }

    @Test
    void rawMappingWorksAndSaysWhyItCannotWriteBackCacheLines() throws Exception {
        Path file = dir.resolve("raw.img");
        Devices.createImage(file, 16 << 20);
        List<String> notices = new ArrayList<>();
        try (MappedDevice device = DevDaxNode.mapRaw(file, "raw " + file, 16 << 20, false, notices::add)) {
            assertTrue(device.isSynchronous());
            assertTrue(device.isDirectAccess());
            // Surefire does not export jdk.internal.misc, so there is no writeback in this JVM.
            assertNull(CacheLineWriteback.instance());
            assertEquals(MappedDevice.Persistence.FENCE_ONLY, device.persistence());
            assertTrue(notices.stream().anyMatch(n -> n.contains(CacheLineWriteback.EXPORT_FLAG)), notices.toString());
            // An ext4 file refuses MAP_SYNC, so the mapping fell back to MAP_SHARED and said so.
            assertTrue(notices.stream().anyMatch(n -> n.startsWith("MAP_SYNC refused for " + file)), notices.toString());
            DeviceTesting.write(device, 4096, pattern(1, 100));
            device.persist(4096, 100);
        }
        try (Device reopened = Devices.open(file)) {
            assertArrayEquals(pattern(1, 100), read(reopened, 4096, 100));
        }
    }

    @Test
    void rawReadOnlyMappingHandsOutReadOnlySegments() throws Exception {
        Path file = dir.resolve("raw-ro.img");
        Devices.createImage(file, 16 << 20);
        List<String> notices = new ArrayList<>();
        try (MappedDevice device = DevDaxNode.mapRaw(file, "raw " + file, 16 << 20, true, notices::add)) {
            assertTrue(device.isReadOnly());
            try (DeviceSection _ = device.enter()) {
                MemorySegment block = device.directAccess(0, 4096);
                assertTrue(block.isReadOnly());
                assertEquals(0, block.get(ValueLayout.JAVA_LONG, 0));
            }
        }
    }

    /** With jdk.internal.misc exported, persist writes back cache lines; checked in a separate JVM. */
    @Test
    void withTheExportFlagPersistWritesBackCacheLines() throws Exception {
        Path file = dir.resolve("writeback.img");
        long size = Devices.createImage(file, 16 << 20);
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("java.class.path");
        assumeTrue(classPath != null && classPath.contains("test-classes"), "test class path not visible");
        Process probe = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, WritebackProbe.class.getName(),
                file.toString(), Long.toString(size)).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        assumeTrue(probe.exitValue() != 2, "no writeback instruction on this machine: " + output);
        assertEquals(0, probe.exitValue(), output);
        assertTrue(output.contains("persistence=WRITEBACK_CACHE_LINES"), output);
        try (Device reopened = Devices.open(file)) {
            assertArrayEquals(pattern(99, 10_000), read(reopened, 100, 10_000));
        }
    }
}
