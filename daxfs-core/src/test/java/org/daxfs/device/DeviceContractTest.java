package org.daxfs.device;

import static org.daxfs.device.DeviceTesting.SIZE;
import static org.daxfs.device.DeviceTesting.assertErrno;
import static org.daxfs.device.DeviceTesting.pattern;
import static org.daxfs.device.DeviceTesting.read;
import static org.daxfs.device.DeviceTesting.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.DeviceTesting.Kind;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every device must do, checked on every kind of device. */
class DeviceContractTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void describesItself(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            assertEquals(SIZE, device.size());
            assertEquals(kind.directAccess, device.isDirectAccess());
            assertFalse(device.isReadOnly());
            assertTrue(device.isAlive());
            assertFalse(device.describe().isBlank());
            assertTrue(device.mediaErrors().isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void writeThenReadReturnsTheSameBytes(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            byte[] data = pattern(1, 10_000);
            write(device, 4093, data); // crosses blocks and sectors, unaligned
            assertArrayEquals(data, read(device, 4093, data.length));
            // Bytes around the write are untouched zeros.
            assertArrayEquals(new byte[4093], read(device, 0, 4093));
            assertArrayEquals(new byte[100], read(device, 4093 + data.length, 100));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void transfersLargerThanAChunkAndNonByteHeapSegments(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            long[] words = new long[(3 << 20) / 8 + 5]; // over 3 MiB, from a long[] (no ByteBuffer view)
            for (int i = 0; i < words.length; i++) {
                words[i] = i * 0x9E3779B97F4A7C15L;
            }
            device.write(8192, MemorySegment.ofArray(words));
            long[] back = new long[words.length];
            device.read(8192, MemorySegment.ofArray(back));
            assertArrayEquals(words, back);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void zeroClearsExactlyTheRange(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            byte[] ones = new byte[200_000];
            java.util.Arrays.fill(ones, (byte) 0x5A);
            write(device, 0, ones);
            device.zero(1000, 150_000);
            byte[] back = read(device, 0, ones.length);
            for (int i = 0; i < back.length; i++) {
                byte expected = i >= 1000 && i < 151_000 ? 0 : (byte) 0x5A;
                if (back[i] != expected) {
                    throw new AssertionError("byte " + i + " is " + back[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void persistAcceptsAnyRangeInside(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            write(device, 5, pattern(2, 70));
            device.persist(5, 70);
            device.persist(SIZE - 1, 1);
            device.persist(0, 0);
            device.persistAll();
            assertArrayEquals(pattern(2, 70), read(device, 5, 70));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void rangesOutsideTheDeviceAreEinval(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            assertErrno(Errno.EINVAL, () -> read(device, SIZE - 10, 11));
            assertErrno(Errno.EINVAL, () -> read(device, -1, 1));
            assertErrno(Errno.EINVAL, () -> write(device, SIZE, new byte[1]));
            assertErrno(Errno.EINVAL, () -> device.zero(Long.MAX_VALUE, 10));
            assertErrno(Errno.EINVAL, () -> device.persist(0, SIZE + 1));
            assertErrno(Errno.EINVAL, () -> device.zero(10, -1));
            FsException e = assertErrno(Errno.EINVAL, () -> read(device, SIZE - 10, 11));
            assertEquals(SIZE - 10, e.offset());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void directAccessSeesAndMakesTheSameBytesAsReadAndWrite(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            if (!kind.directAccess) {
                try (DeviceSection _ = device.enter()) {
                    assertErrno(Errno.EOPNOTSUPP, () -> device.directAccess(0, 4096));
                }
                return;
            }
            write(device, 8192, pattern(3, 4096));
            try (DeviceSection _ = device.enter()) {
                MemorySegment block = device.directAccess(8192, 4096);
                assertEquals(4096, block.byteSize());
                assertArrayEquals(pattern(3, 4096), block.toArray(ValueLayout.JAVA_BYTE));
                block.set(ValueLayout.JAVA_LONG_UNALIGNED, 100, 0x1122334455667788L);
                assertErrno(Errno.EINVAL, () -> device.directAccess(SIZE - 4096, 4097));
            }
            byte[] back = read(device, 8192 + 100, 8);
            assertEquals(0x1122334455667788L, MemorySegment.ofArray(back).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void afterKillEveryOperationFailsWithEio(Kind kind) throws Exception {
        Device device = kind.create(dir);
        try {
            device.kill();
            assertFalse(device.isAlive());
            assertErrno(Errno.EIO, device::enter);
            assertErrno(Errno.EIO, () -> read(device, 0, 10));
            assertErrno(Errno.EIO, () -> write(device, 0, new byte[10]));
            assertErrno(Errno.EIO, () -> device.zero(0, 10));
            assertErrno(Errno.EIO, () -> device.persist(0, 10));
            assertErrno(Errno.EIO, device::persistAll);
            FsException e = assertThrows(FsException.class, () -> device.directAccess(4096, 4096));
            assertEquals(kind.directAccess ? Errno.EIO : Errno.EOPNOTSUPP, e.errno());
            FsException removed = assertErrno(Errno.EIO, () -> read(device, 4096, 10));
            assertEquals("device removed", removed.detail());
            assertEquals(4096, removed.offset());
        } finally {
            device.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void directAccessSegmentThrowsIllegalStateAfterKill(Kind kind) throws Exception {
        assumeTrue(kind.directAccess);
        try (Device device = kind.create(dir)) {
            MemorySegment block;
            try (DeviceSection _ = device.enter()) {
                block = device.directAccess(4096, 4096);
                block.set(ValueLayout.JAVA_INT, 0, 42);
            }
            device.kill();
            assertThrows(IllegalStateException.class, () -> block.get(ValueLayout.JAVA_INT, 0));
            assertThrows(IllegalStateException.class, () -> block.set(ValueLayout.JAVA_INT, 0, 1));
            assertThrows(IllegalStateException.class, () -> block.asSlice(0, 8).fill((byte) 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void killListenersRunOnceAfterKillAndClose(Kind kind) throws Exception {
        Device device = kind.create(dir);
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        device.onKill(first::incrementAndGet);
        device.onKill(() -> {
            assertFalse(device.isAlive());
            second.incrementAndGet();
        });
        device.kill();
        device.kill();
        device.close();
        device.close();
        assertEquals(1, first.get());
        assertEquals(1, second.get());
        AtomicInteger late = new AtomicInteger();
        device.onKill(late::incrementAndGet); // already dead: runs at once
        assertEquals(1, late.get());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closeFromInsideASectionIsRefusedAndKeepsTheDeviceUsable(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            try (DeviceSection _ = device.enter()) {
                assertThrows(IllegalStateException.class, device::close);
                assertThrows(IllegalStateException.class, device::kill);
                assertTrue(device.isAlive());
            }
            write(device, 0, new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, read(device, 0, 3));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readIntoReadOnlySegmentIsAProgrammingError(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            MemorySegment readOnly = MemorySegment.ofArray(new byte[10]).asReadOnly();
            assertThrows(IllegalArgumentException.class, () -> device.read(0, readOnly));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readsFromAndWritesToOffHeapSegments(Kind kind) throws Exception {
        try (Device device = kind.create(dir); Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(12_345);
            MemorySegment.copy(pattern(4, 12_345), 0, src, ValueLayout.JAVA_BYTE, 0, 12_345);
            device.write(777, src);
            MemorySegment dst = arena.allocate(12_345);
            device.read(777, dst);
            assertEquals(-1, src.mismatch(dst));
        }
    }

    // ---- media errors ----

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readTouchingABadSectorFailsAtThatSector(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            device.mediaErrors().add(8192 + 1024, 1); // sector 18
            FsException e = assertErrno(Errno.EIO, () -> read(device, 8192, 4096));
            assertEquals(8192 + 1024, e.offset());
            FsException inside = assertErrno(Errno.EIO, () -> read(device, 8192 + 1100, 10));
            assertEquals(8192 + 1100, inside.offset());
            // Neighbouring sectors still read.
            assertArrayEquals(new byte[1024], read(device, 8192, 1024));
            assertArrayEquals(new byte[512], read(device, 8192 + 1536, 512));
            if (kind.directAccess) {
                try (DeviceSection _ = device.enter()) {
                    FsException direct = assertErrno(Errno.EIO, () -> device.directAccess(8192, 4096));
                    assertEquals(8192 + 1024, direct.offset());
                    assertEquals(1024, device.directAccess(8192, 1024).byteSize());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void writeCoveringABadSectorOnlyPartlyFailsAndWritesNothing(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            device.mediaErrors().add(4096, 512);
            byte[] data = pattern(5, 600);
            FsException e = assertErrno(Errno.EIO, () -> write(device, 4000, data)); // ends inside the sector
            assertEquals(4096, e.offset());
            assertErrno(Errno.EIO, () -> write(device, 4100, new byte[10])); // inside it
            assertErrno(Errno.EIO, () -> device.zero(4500, 100)); // starts inside it
            assertArrayEquals(new byte[96], read(device, 4000, 96)); // nothing was written before it
            assertArrayEquals(new byte[512], read(device, 4608, 512)); // nor after
            assertEquals(List.of(4096L, 512L), List.of(device.mediaErrors().ranges().get(0)[0],
                    device.mediaErrors().ranges().get(0)[1]));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void writeCoveringBadSectorsWhollyRepairsThem(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            device.mediaErrors().add(4096, 1024);
            byte[] data = pattern(6, 1024 + 100);
            write(device, 4096 - 50, data);
            assertTrue(device.mediaErrors().isEmpty());
            assertArrayEquals(data, read(device, 4096 - 50, data.length));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void zeroCoveringABadSectorWhollyRepairsIt(Kind kind) throws Exception {
        try (Device device = kind.create(dir)) {
            write(device, 8192, pattern(7, 4096));
            device.mediaErrors().add(8192 + 512, 512);
            device.mediaErrors().add(8192 + 4096, 512); // outside the zeroed range: stays bad
            device.zero(8192, 4096);
            assertEquals(1, device.mediaErrors().ranges().size());
            assertArrayEquals(new byte[4096], read(device, 8192, 4096));
            assertErrno(Errno.EIO, () -> read(device, 8192 + 4096, 1));
        }
    }
}
