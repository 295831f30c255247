package org.daxfs.device;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * Device-DAX character devices ({@code /dev/daxX.Y}): persistent or CXL memory exposed without a file
 * system. Opening one means finding its size in sysfs and mapping it.
 *
 * <p>Why not {@code FileChannel.map}: a character device reports size 0 to fstat, so the JDK tries to grow
 * it to the mapping size with ftruncate, which fails. DaxFS therefore maps devdax with mmap through FFM
 * (MAP_SHARED_VALIDATE|MAP_SYNC, falling back to MAP_SHARED on kernels that refuse the flag; devdax has no
 * page cache and no file-system metadata, so either mapping is synchronous). The mapping is wrapped in a
 * shared arena whose close unmaps it, and persist writes back cache lines with {@link CacheLineWriteback}
 * when the JVM allows it; otherwise the device relies on the platform's persistence domain, and a notice
 * says so.
 *
 * <p>Locking: none; called once per open.
 */
final class DevDaxNode {
    private static final Pattern NODE_NAME = Pattern.compile("/dev/dax\\d+\\.\\d+");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private DevDaxNode() {}

    /** True if the path names a devdax node: {@code /dev/daxX.Y}, directly or through a symlink. */
    static boolean matches(Path path) {
        if (NODE_NAME.matcher(path.toAbsolutePath().normalize().toString()).matches()) {
            return true;
        }
        try {
            return NODE_NAME.matcher(path.toRealPath().toString()).matches();
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens and maps a devdax node; {@code sysfs} is normally {@code /sys}. */
    static MappedDevice open(Path node, DeviceOptions options, Path sysfs) throws FsException {
        if (options.blockOnly()) {
            throw FsException.of(Errno.EINVAL, node.toString(),
                    "a devdax device has no read/write interface; open it mapped");
        }
        long size = size(node, sysfs) / Device.BLOCK_SIZE * Device.BLOCK_SIZE;
        if (size == 0) {
            throw FsException.of(Errno.EINVAL, node.toString(), "devdax device is smaller than one block");
        }
        return mapRaw(node, "devdax " + node, size, options.readOnly(), options.notices());
    }

    /** {@code MAJ:MIN} of a character device, from its rdev. */
    static String deviceNumber(Path node) throws FsException {
        int mode;
        long rdev;
        try {
            mode = (Integer) Files.getAttribute(node, "unix:mode");
            rdev = (Long) Files.getAttribute(node, "unix:rdev");
        } catch (NoSuchFileException e) {
            throw FsException.of(Errno.ENOENT, node.toString());
        } catch (IOException | UnsupportedOperationException e) {
            throw FsException.wrap(Errno.EIO, node.toString(), -1, "cannot stat device: " + e, e);
        }
        if ((mode & S_IFMT) != S_IFCHR) {
            throw FsException.of(Errno.EINVAL, node.toString(), "not a character device");
        }
        return major(rdev) + ":" + minor(rdev);
    }

    /**
     * The device size in bytes from sysfs: {@code <sysfs>/dev/char/MAJ:MIN/size}, else
     * {@code <sysfs>/bus/dax/devices/<name>/size}.
     */
    static long size(Path node, Path sysfs) throws FsException {
        List<Path> candidates = List.of(
                sysfs.resolve("dev/char").resolve(deviceNumber(node)).resolve("size"),
                sysfs.resolve("bus/dax/devices").resolve(node.getFileName().toString()).resolve("size"));
        for (Path file : candidates) {
            if (!Files.isReadable(file)) {
                continue;
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                throw FsException.wrap(Errno.EIO, node.toString(), -1, "reading " + file + ": " + e, e);
            }
            try {
                long size = Long.parseLong(text);
                if (size < 0) {
                    throw new NumberFormatException("negative");
                }
                return size;
            } catch (NumberFormatException e) {
                throw FsException.wrap(Errno.EIO, node.toString(), -1,
                        "unexpected content in " + file + ": \"" + text + "\"", e);
            }
        }
        throw FsException.of(Errno.ENODATA, node.toString(), "no size in sysfs at " + candidates);
    }

    /**
     * Maps {@code [0, size)} of {@code file} with mmap through FFM. Meant for device memory: on an ordinary
     * file the page cache would need msync, which this mapping's persist does not do.
     */
    @SuppressWarnings("restricted") // reinterpret: gives the mmap result its true size and an unmapping arena
    static MappedDevice mapRaw(Path file, String description, long size, boolean readOnly,
            Consumer<String> notices) throws FsException {
        int fd;
        try {
            fd = LinuxCalls.open(file.toString(),
                    (readOnly ? LinuxCalls.O_RDONLY : LinuxCalls.O_RDWR) | LinuxCalls.O_CLOEXEC);
        } catch (LinuxCalls.SyscallException e) {
            throw LinuxCalls.toFsException(e, Errno.EIO, -1).withPath(file.toString());
        }
        MemorySegment address;
        boolean syncFlag = true;
        try {
            int prot = readOnly ? LinuxCalls.PROT_READ : LinuxCalls.PROT_READ | LinuxCalls.PROT_WRITE;
            try {
                address = LinuxCalls.mmap(size, prot, LinuxCalls.MAP_SHARED_VALIDATE | LinuxCalls.MAP_SYNC, fd);
            } catch (LinuxCalls.SyscallException e) {
                if (e.errno() != LinuxCalls.EOPNOTSUPP && e.errno() != LinuxCalls.EINVAL) {
                    throw e;
                }
                syncFlag = false;
                address = LinuxCalls.mmap(size, prot, LinuxCalls.MAP_SHARED, fd);
            }
        } catch (LinuxCalls.SyscallException e) {
            throw LinuxCalls.toFsException(e, Errno.EIO, -1).withPath(file.toString());
        } finally {
            // The mapping keeps its own reference to the file; the descriptor is not needed any more.
            try {
                LinuxCalls.close(fd);
            } catch (LinuxCalls.SyscallException ignored) {
                // close(2) of a descriptor we own can only fail with EINTR/EIO; the mapping is unaffected.
            }
        }
        if (!syncFlag) {
            notices.accept("MAP_SYNC refused for " + file + "; mapped MAP_SHARED (no page cache on devdax)");
        }
        Arena arena = Arena.ofShared();
        MemorySegment mapping = address.reinterpret(size, arena, segment -> unmap(segment, size));
        if (readOnly) {
            mapping = mapping.asReadOnly();
        }
        MappedDevice.Persistence persistence;
        if (CacheLineWriteback.instance() != null) {
            persistence = MappedDevice.Persistence.WRITEBACK_CACHE_LINES;
        } else {
            persistence = MappedDevice.Persistence.FENCE_ONLY;
            if (!readOnly) {
                notices.accept("no cache-line writeback for " + file + " (" + CacheLineWriteback.unavailableReason()
                        + "); stores are durable only if the platform flushes CPU caches on power loss (eADR)");
            }
        }
        return new MappedDevice(description + " (mapped, synchronous" + (readOnly ? ", read-only)" : ")"),
                arena, mapping, readOnly, persistence, true, file, null);
    }

    private static void unmap(MemorySegment segment, long size) {
        try {
            LinuxCalls.munmap(segment, size);
        } catch (LinuxCalls.SyscallException e) {
            // Only an invalid address or length makes munmap fail; both are ours, so this is a bug.
            throw new IllegalStateException("munmap of device mapping failed", e);
        }
    }

    static long major(long rdev) {
        return ((rdev & 0x00000000000fff00L) >>> 8) | ((rdev & 0xfffff00000000000L) >>> 32);
    }

    static long minor(long rdev) {
        return (rdev & 0x00000000000000ffL) | ((rdev & 0x00000ffffff00000L) >>> 12);
    }
}
