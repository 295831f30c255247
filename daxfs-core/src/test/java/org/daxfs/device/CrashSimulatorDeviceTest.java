package org.daxfs.device;

import static org.daxfs.device.DeviceTesting.assertErrno;
import static org.daxfs.device.DeviceTesting.pattern;
import static org.daxfs.device.DeviceTesting.read;
import static org.daxfs.device.DeviceTesting.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.daxfs.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashSimulatorDeviceTest {
    private static final int LINE = CrashSimulatorDevice.LINE;
    private static final long SIZE = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void unpersistedStoresVanishAndPersistedOnesSurviveWithKeepZero() throws Exception {
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE)) {
            write(device, 4096, pattern(1, 1000));
            device.persist(4096, 1000);
            write(device, 65536, pattern(2, 1000)); // never persisted
            try (DeviceSection _ = device.enter()) {
                device.directAccess(131072, 8).set(ValueLayout.JAVA_LONG, 0, 42); // a direct store, unpersisted
                device.directAccess(135168, 8).set(ValueLayout.JAVA_LONG, 0, 43); // a direct store, persisted
            }
            device.persist(135168, 8);

            try (CrashSimulatorDevice crashed = device.crash(new Random(1), 0.0)) {
                assertArrayEquals(pattern(1, 1000), read(crashed, 4096, 1000));
                assertArrayEquals(new byte[1000], read(crashed, 65536, 1000));
                assertArrayEquals(new byte[8], read(crashed, 131072, 8));
                assertEquals(43, MemorySegment.ofArray(read(crashed, 135168, 8)).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
                assertEquals(0, crashed.unpersistedLines());
            }
            // The device itself is unchanged by the crash.
            assertArrayEquals(pattern(2, 1000), read(device, 65536, 1000));
        }
    }

    @Test
    void keepOneKeepsEveryStore() throws Exception {
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE)) {
            write(device, 3, pattern(3, 100_000));
            try (CrashSimulatorDevice crashed = device.crash(new Random(1), 1.0)) {
                assertArrayEquals(device.liveBytes(), crashed.liveBytes());
                assertArrayEquals(crashed.liveBytes(), crashed.durableBytes());
            }
        }
    }

    @Test
    void persistMakesWholeCacheLinesDurable() throws Exception {
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE)) {
            write(device, 70, new byte[] {7}); // same line as the persisted byte: 64..127
            write(device, 100, new byte[] {1});
            write(device, 130, new byte[] {9}); // next line: not persisted
            device.persist(100, 1);
            try (CrashSimulatorDevice crashed = device.crash(new Random(1), 0.0)) {
                assertArrayEquals(new byte[] {7}, read(crashed, 70, 1));
                assertArrayEquals(new byte[] {1}, read(crashed, 100, 1));
                assertArrayEquals(new byte[] {0}, read(crashed, 130, 1));
            }
        }
    }

    @Test
    void randomCrashesKeepWholeLinesFromLiveOrDurableAndReplayBySeed() throws Exception {
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE)) {
            write(device, 0, pattern(4, (int) SIZE));
            device.persistAll();
            write(device, 1000, pattern(5, 500_000)); // overwrites ~7800 lines, none persisted
            long unpersisted = device.unpersistedLines();
            assertEquals(Math.ceilDiv(1000 + 500_000, LINE) - 1000 / LINE, unpersisted);

            byte[] live = device.liveBytes();
            byte[] durable = device.durableBytes();
            try (CrashSimulatorDevice crashed = device.crash(new Random(42), 0.5);
                    CrashSimulatorDevice again = device.crash(new Random(42), 0.5)) {
                byte[] image = crashed.liveBytes();
                int keptLines = 0;
                int droppedLines = 0;
                for (int line = 0; line < SIZE; line += LINE) {
                    boolean fromLive = Arrays.equals(image, line, line + LINE, live, line, line + LINE);
                    boolean fromDurable = Arrays.equals(image, line, line + LINE, durable, line, line + LINE);
                    assertTrue(fromLive || fromDurable, "line " + line + " is torn");
                    if (!Arrays.equals(live, line, line + LINE, durable, line, line + LINE)) {
                        keptLines += fromLive ? 1 : 0;
                        droppedLines += fromDurable ? 1 : 0;
                    }
                }
                assertEquals(unpersisted, keptLines + droppedLines);
                // Half of ~7800 lines each way; the bounds are many standard deviations wide.
                assertTrue(keptLines > unpersisted / 3 && droppedLines > unpersisted / 3,
                        "kept " + keptLines + ", dropped " + droppedLines);
                assertArrayEquals(image, again.liveBytes(), "the same seed gives the same crash");
            }
        }
    }

    @Test
    void onPersistReportsSequenceNumbersAndCrashImagesAtEveryPersistPoint() throws Exception {
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE)) {
            List<Integer> sequence = new ArrayList<>();
            List<CrashSimulatorDevice> images = new ArrayList<>();
            device.onPersist(seq -> {
                sequence.add(seq);
                images.add(device.crash(new Random(seq), 0.0));
            });
            for (int record = 0; record < 5; record++) {
                write(device, record * 4096L, pattern(record, 4096));
                device.persist(record * 4096L, 4096);
                write(device, 200_000 + record * 64L, new byte[] {1}); // never persisted
            }
            assertEquals(List.of(1, 2, 3, 4, 5), sequence);
            assertEquals(5, device.persistCount());
            for (int point = 0; point < 5; point++) {
                CrashSimulatorDevice image = images.get(point);
                for (int record = 0; record < 5; record++) {
                    byte[] expected = record <= point ? pattern(record, 4096) : new byte[4096];
                    assertArrayEquals(expected, read(image, record * 4096L, 4096),
                            "record " + record + " after crash at persist " + (point + 1));
                }
                assertArrayEquals(new byte[5 * 64], read(image, 200_000, 5 * 64));
                image.close();
            }
        }
    }

    @Test
    void crashAfterKillStillWorksButNotAfterClose() throws Exception {
        CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE);
        write(device, 0, pattern(6, 4096));
        device.persist(0, 4096);
        write(device, 8192, pattern(7, 4096));
        device.kill();
        assertErrno(Errno.EIO, () -> read(device, 0, 1));
        assertEquals(4096 / LINE, device.unpersistedLines());
        try (CrashSimulatorDevice crashed = device.crash(new Random(1), 0.0)) {
            assertArrayEquals(pattern(6, 4096), read(crashed, 0, 4096));
            assertArrayEquals(new byte[4096], read(crashed, 8192, 4096));
        }
        device.close();
        assertThrows(IllegalStateException.class, () -> device.crash(new Random(1), 0.0));
        assertThrows(IllegalStateException.class, device::unpersistedLines);
    }

    @Test
    void crashImageKeepsBadSectors() throws Exception {
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE)) {
            device.mediaErrors().add(10 * 512, 1024);
            try (CrashSimulatorDevice crashed = device.crash(new Random(1), 0.0)) {
                assertEquals(1, crashed.mediaErrors().ranges().size());
                assertArrayEquals(new long[] {5120, 1024}, crashed.mediaErrors().ranges().get(0));
                assertErrno(Errno.EIO, () -> read(crashed, 5120, 1));
            }
        }
    }

    @Test
    void startsFromAnInitialImageWhichIsAlreadyDurable() throws Exception {
        byte[] initial = pattern(8, (int) SIZE);
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(MemorySegment.ofArray(initial))) {
            assertEquals(0, device.unpersistedLines());
            assertArrayEquals(initial, device.durableBytes());
            assertArrayEquals(initial, read(device, 0, (int) SIZE));
        }
        assertThrows(IllegalArgumentException.class, () -> new CrashSimulatorDevice(MemorySegment.ofArray(new byte[100])));
    }

    @Test
    void durableImageCanBeSavedAndOpenedAsAnImageFile() throws Exception {
        Path image = dir.resolve("crash.img");
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE)) {
            write(device, 12_345, pattern(9, 3000));
            device.persist(12_345, 3000);
            write(device, 500_000, pattern(10, 3000));
            device.saveDurableImage(image);
            assertEquals(-1, device.durableImage().mismatch(MemorySegment.ofArray(device.durableBytes())));
        }
        try (Device reopened = Devices.open(image)) {
            assertEquals(SIZE, reopened.size());
            assertArrayEquals(pattern(9, 3000), read(reopened, 12_345, 3000));
            assertArrayEquals(new byte[3000], read(reopened, 500_000, 3000));
        }
    }

    @Test
    void wholeDevicePersistOfA64MiBImage() throws Exception {
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(64L << 20, false)) {
            assertFalse(device.isSynchronous());
            device.zero(0, device.size());
            write(device, device.size() - 10, pattern(11, 10));
            assertEquals(1, device.unpersistedLines());
            device.persistAll();
            assertEquals(0, device.unpersistedLines());
            assertEquals(1, device.persistCount());
        }
    }

    @Test
    void rejectsProbabilitiesOutsideZeroToOne() {
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(SIZE)) {
            assertThrows(IllegalArgumentException.class, () -> device.crash(new Random(), -0.1));
            assertThrows(IllegalArgumentException.class, () -> device.crash(new Random(), 1.5));
            assertThrows(IllegalArgumentException.class, () -> device.crash(new Random(), Double.NaN));
        }
    }
}
