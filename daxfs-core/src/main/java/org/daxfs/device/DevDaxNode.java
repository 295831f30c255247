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
import org.daxfs.linux.SyscallException;

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
 * <p>Windows ({@link Device#openWindow}) map the node again at block granularity, which device DAX allows only
 * when the device's alignment ({@code align} in sysfs, often 2 MiB) is at most one block; such a device keeps
 * its descriptor open for them, others refuse windows with EOPNOTSUPP and say why.
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
        return mapRaw(node, "devdax " + node, size, options.readOnly(), options.notices(),
                windowRefusal(node, sysfs));
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
        List<Path> candidates = attributeFiles(node, sysfs, "size");
        for (Path file : candidates) {
            String text = readAttribute(node, file);
            if (text != null) {
                long size = parse(text);
                if (size < 0) {
                    throw FsException.of(Errno.EIO, node.toString(),
                            "unexpected content in " + file + ": \"" + text + "\"");
                }
                return size;
            }
        }
        throw FsException.of(Errno.ENODATA, node.toString(), "no size in sysfs at " + candidates);
    }

    /**
     * Why windows cannot map this node, or null if they can: its {@code align} attribute in sysfs (where
     * {@link #size} looks) must be at most one block, as device DAX refuses mappings at finer offsets than
     * its alignment.
     */
    static String windowRefusal(Path node, Path sysfs) throws FsException {
        for (Path file : attributeFiles(node, sysfs, "align")) {
            String text = readAttribute(node, file);
            if (text != null) {
                long align = parse(text);
                if (align > 0 && align <= Device.BLOCK_SIZE) {
                    return null;
                }
                return "the devdax alignment is " + (align < 0 ? "\"" + text + "\"" : align + " bytes")
                        + " (" + file + "); windows need " + Device.BLOCK_SIZE
                        + " (create the namespace with --align=" + Device.BLOCK_SIZE + ")";
            }
        }
        return "the devdax alignment is unknown (no align attribute in sysfs); windows need " + Device.BLOCK_SIZE;
    }

    private static List<Path> attributeFiles(Path node, Path sysfs, String name) throws FsException {
        return List.of(
                sysfs.resolve("dev/char").resolve(deviceNumber(node)).resolve(name),
                sysfs.resolve("bus/dax/devices").resolve(node.getFileName().toString()).resolve(name));
    }

    /** The trimmed text of a sysfs attribute, or null if it is not there. */
    private static String readAttribute(Path node, Path file) throws FsException {
        if (!Files.isReadable(file)) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw FsException.wrap(Errno.EIO, node.toString(), -1, "reading " + file + ": " + e, e);
        }
    }

    /** A non-negative decimal number, or -1. */
    private static long parse(String text) {
        try {
            long value = Long.parseLong(text);
            return value < 0 ? -1 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@link #mapRaw(Path, String, long, boolean, Consumer, String)} with windows on the file's descriptor. */
    static MappedDevice mapRaw(Path file, String description, long size, boolean readOnly,
            Consumer<String> notices) throws FsException {
        return mapRaw(file, description, size, readOnly, notices, null);
    }

    /**
     * Maps {@code [0, size)} of {@code file} with mmap through FFM. Meant for device memory: on an ordinary
     * file the page cache would need msync, which this mapping's persist does not do.
     *
     * @param windowRefusal why windows are refused, or null to keep the descriptor open for them (closed
     *     when the device closes)
     */
    @SuppressWarnings("restricted") // reinterpret: gives the mmap result its true size and an unmapping arena
    static MappedDevice mapRaw(Path file, String description, long size, boolean readOnly,
            Consumer<String> notices, String windowRefusal) throws FsException {
        int fd;
        try {
            fd = LinuxCalls.open(file.toString(),
                    (readOnly ? LinuxCalls.O_RDONLY : LinuxCalls.O_RDWR) | LinuxCalls.O_CLOEXEC);
        } catch (SyscallException e) {
            throw LinuxCalls.toFsException(e, Errno.EIO, -1).withPath(file.toString());
        }
        MemorySegment address;
        boolean syncFlag = true;
        boolean keepDescriptor = false;
        try {
            int prot = readOnly ? LinuxCalls.PROT_READ : LinuxCalls.PROT_READ | LinuxCalls.PROT_WRITE;
            try {
                address = LinuxCalls.mmap(size, prot, LinuxCalls.MAP_SHARED_VALIDATE | LinuxCalls.MAP_SYNC, fd);
            } catch (SyscallException e) {
                if (e.errno() != LinuxCalls.EOPNOTSUPP && e.errno() != LinuxCalls.EINVAL) {
                    throw e;
                }
                syncFlag = false;
                address = LinuxCalls.mmap(size, prot, LinuxCalls.MAP_SHARED, fd);
            }
            keepDescriptor = windowRefusal == null;
        } catch (SyscallException e) {
            throw LinuxCalls.toFsException(e, Errno.EIO, -1).withPath(file.toString());
        } finally {
            // The mapping keeps its own reference to the file; only windows need the descriptor.
            if (!keepDescriptor) {
                closeQuietly(fd);
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
        WindowSource windows = keepDescriptor
                ? WindowSource.borrowed(fd, readOnly, syncFlag)
                : WindowSource.refused(windowRefusal);
        return new MappedDevice(description + " (mapped, synchronous" + (readOnly ? ", read-only)" : ")"),
                arena, mapping, readOnly, persistence, true, file, keepDescriptor ? () -> closeQuietly(fd) : null,
                windows);
    }

    private static void closeQuietly(int fd) {
        try {
            LinuxCalls.close(fd);
        } catch (SyscallException ignored) {
            // close(2) of a descriptor we own can only fail with EINTR/EIO; mappings are unaffected.
        }
    }

    private static void unmap(MemorySegment segment, long size) {
        try {
            LinuxCalls.munmap(segment, size);
        } catch (SyscallException e) {
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
