package org.daxfs.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.junit.jupiter.api.function.Executable;

/** Shared helpers for device tests: every kind of device, errno assertions, patterns. */
final class DeviceTesting {
    static final long SIZE = Devices.MIN_IMAGE_SIZE;

    private DeviceTesting() {}

    /** Every way to get a device; each test gets a fresh one of {@link #SIZE} bytes. */
    enum Kind {
        IMAGE(true) {
            @Override
            Device create(Path dir, List<String> notices) throws Exception {
                Path image = dir.resolve("image.img");
                Devices.createImage(image, SIZE);
                return Devices.open(image, DeviceOptions.defaults().withNotices(notices::add));
            }
        },
        /** Asks for MAP_SYNC; on this machine (no DAX mount) that falls back to msync. */
        IMAGE_SYNC(true) {
            @Override
            Device create(Path dir, List<String> notices) throws Exception {
                Path image = dir.resolve("image.img");
                Devices.createImage(image, SIZE);
                return Devices.open(image, DeviceOptions.defaults().withSync(true).withNotices(notices::add));
            }
        },
        MEMORY(true) {
            @Override
            Device create(Path dir, List<String> notices) throws Exception {
                return Devices.memory(SIZE);
            }
        },
        BLOCK_ONLY(false) {
            @Override
            Device create(Path dir, List<String> notices) throws Exception {
                Path image = dir.resolve("image.img");
                Devices.createImage(image, SIZE);
                return Devices.open(image, DeviceOptions.defaults().withBlockOnly(true).withNotices(notices::add));
            }
        },
        /** The devdax mapping path (FFM mmap), exercised on an ordinary file. */
        RAW_MAPPING(true) {
            @Override
            Device create(Path dir, List<String> notices) throws Exception {
                Path image = dir.resolve("image.img");
                Devices.createImage(image, SIZE);
                return DevDaxNode.mapRaw(image, "raw mapping " + image, SIZE, false, notices::add);
            }
        },
        CRASH_SIMULATOR(true) {
            @Override
            Device create(Path dir, List<String> notices) {
                return new CrashSimulatorDevice(SIZE);
            }
        };

        final boolean directAccess;

        Kind(boolean directAccess) {
            this.directAccess = directAccess;
        }

        abstract Device create(Path dir, List<String> notices) throws Exception;

        Device create(Path dir) throws Exception {
            return create(dir, new ArrayList<>());
        }
    }

    static FsException assertErrno(Errno expected, Executable executable) {
        FsException e = assertThrows(FsException.class, executable);
        assertEquals(expected, e.errno(), e.getMessage());
        return e;
    }

    static byte[] pattern(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] read(Device device, long offset, int length) throws FsException {
        byte[] bytes = new byte[length];
        device.read(offset, MemorySegment.ofArray(bytes));
        return bytes;
    }

    static void write(Device device, long offset, byte[] bytes) throws FsException {
        device.write(offset, MemorySegment.ofArray(bytes));
    }
}
