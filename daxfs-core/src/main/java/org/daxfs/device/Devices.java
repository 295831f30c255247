package org.daxfs.device;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import jdk.nio.mapmode.ExtendedMapMode;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.linux.SyscallException;

/**
 * Where devices come from: image files, devdax nodes, block devices and volatile memory.
 *
 * <ul>
 *   <li>{@link #createImage} makes a sparse image file;
 *   <li>{@link #open} opens an image file or device node, mapped ({@link MappedDevice}) or block-only
 *       ({@link BlockOnlyDevice}); {@code /dev/daxX.Y} nodes are devdax ({@link DevDaxNode});
 *   <li>{@link #memory} makes a volatile device on a memfd, whose {@code /proc/self/fd} path can be mapped
 *       again by later code.
 * </ul>
 *
 * <p>Every mapped device supports {@link Device#openWindow}: image files are opened again by name (and
 * checked to be the same file), memfds lend their descriptor, and so do devdax nodes whose
 * mapping alignment is one block (see {@link DevDaxNode}).
 *
 * <p>Locking: none; every call builds a new device.
 */
public final class Devices {
    /** Smallest image {@link #createImage} accepts. */
    public static final long MIN_IMAGE_SIZE = 16L << 20;

    private static final Path SYSFS = Path.of("/sys");

    private Devices() {}

    /**
     * Creates a sparse image file of {@code size} bytes rounded up to {@link Device#BLOCK_SIZE}.
     *
     * @return the size of the image
     * @throws FsException EINVAL if {@code size} is below {@link #MIN_IMAGE_SIZE} or cannot be rounded up;
     *     EEXIST if the file exists; EFBIG if the file system cannot hold a file that large; ENOENT, EACCES,
     *     EROFS, EIO as the host file system reports
     */
    public static long createImage(Path path, long size) throws FsException {
        if (size < MIN_IMAGE_SIZE) {
            throw FsException.of(Errno.EINVAL, path.toString(),
                    "image size " + size + " is below the minimum of " + MIN_IMAGE_SIZE + " bytes");
        }
        if (size > Long.MAX_VALUE - (Device.BLOCK_SIZE - 1)) {
            throw FsException.of(Errno.EINVAL, path.toString(), "image size " + size + " is not representable");
        }
        long rounded = Math.ceilDiv(size, Device.BLOCK_SIZE) * (long) Device.BLOCK_SIZE;
        try {
            // CREATE_NEW makes creation atomic: never truncate or grow somebody's existing image.
            Files.newByteChannel(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw toFsException(e, path);
        }
        // ftruncate grows the file without allocating blocks, so the image is sparse.
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(rounded);
        } catch (IOException e) {
            deleteQuietly(path, e);
            Errno errno = String.valueOf(e.getMessage()).contains("File too large") ? Errno.EFBIG : Errno.EIO;
            throw FsException.wrap(errno, path.toString(), -1, "cannot size image to " + rounded + " bytes: " + e, e);
        }
        return rounded;
    }

    /** Opens with {@link DeviceOptions#defaults()}. */
    public static Device open(Path path) throws FsException {
        return open(path, DeviceOptions.defaults());
    }

    /**
     * Opens an image file or device node. The device size is the file size rounded down to
     * {@link Device#BLOCK_SIZE} (a notice reports ignored trailing bytes); devdax sizes come from sysfs.
     *
     * @throws FsException ENOENT, EACCES, EROFS as opening reports; EINVAL if the file is smaller than one
     *     block, or a devdax node is opened block-only; EIO if mapping fails
     */
    public static Device open(Path path, DeviceOptions options) throws FsException {
        if (DevDaxNode.matches(path)) {
            return DevDaxNode.open(path, options, SYSFS);
        }
        Set<OpenOption> openOptions = options.readOnly()
                ? Set.of(StandardOpenOption.READ)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        String kind = Files.isRegularFile(path) ? "image file " : "device ";
        FileChannel channel;
        try {
            channel = FileChannel.open(path, openOptions);
        } catch (IOException e) {
            throw toFsException(e, path);
        }
        boolean handedOver = false;
        try {
            lockImage(channel, path, options.readOnly());
            long fileSize = channel.size();
            long size = fileSize / Device.BLOCK_SIZE * Device.BLOCK_SIZE;
            if (size == 0) {
                throw FsException.of(Errno.EINVAL, path.toString(),
                        "size " + fileSize + " is smaller than one " + Device.BLOCK_SIZE + "-byte block");
            }
            if (size != fileSize) {
                options.notices().accept("ignoring the last " + (fileSize - size) + " bytes of " + path
                        + " (not a whole " + Device.BLOCK_SIZE + "-byte block)");
            }
            String suffix = options.readOnly() ? ", read-only)" : ")";
            if (options.blockOnly()) {
                if (options.sync() && !options.readOnly()) {
                    options.notices().accept("sync ignored for block-only " + path + "; persist is fdatasync");
                }
                handedOver = true;
                return new BlockOnlyDevice(kind + path + " (block-only" + suffix, path, openOptions, channel, size,
                        options.readOnly());
            }
            // The mapping does not need the channel, but the image lock lives as long as it is open.
            MappedDevice device = map(path, kind, channel, size, options, suffix);
            handedOver = true;
            return device;
        } catch (FsException e) {
            throw e;
        } catch (IOException e) {
            throw toFsException(e, path);
        } finally {
            if (!handedOver) {
                closeQuietly(channel);
            }
        }
    }

    /**
     * Takes the image's advisory lock for as long as the device is open: one writer, or readers only, so
     * that two mounts (in this process or another) cannot both change one image.
     *
     * @throws FsException EBUSY if the image is open elsewhere in a way that conflicts
     */
    private static void lockImage(FileChannel channel, Path path, boolean shared) throws FsException {
        try {
            if (channel.tryLock(0, Long.MAX_VALUE, shared) == null) {
                throw FsException.of(Errno.EBUSY, path.toString(), "the image is in use by another process");
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw FsException.of(Errno.EBUSY, path.toString(), "the image is already open in this process");
        } catch (IOException e) {
            throw toFsException(e, path);
        }
    }

    private static MappedDevice map(Path path, String kind, FileChannel channel, long size, DeviceOptions options,
            String suffix) throws FsException {
        boolean readOnly = options.readOnly();
        Object fileKey = fileKey(path);
        Arena arena = Arena.ofShared();
        try {
            if (options.sync() && !readOnly) {
                try {
                    MemorySegment mapping = channel.map(ExtendedMapMode.READ_WRITE_SYNC, 0, size, arena);
                    return new MappedDevice(kind + path + " (mapped, MAP_SYNC" + suffix, arena, mapping, false,
                            MappedDevice.Persistence.FORCE_CACHE_LINES, true, path, channel,
                            windowSource(path, fileKey, false, true));
                } catch (IOException | UnsupportedOperationException e) {
                    options.notices().accept("MAP_SYNC not supported for " + path + ": " + reason(e)
                            + "; falling back to msync");
                }
            }
            MemorySegment mapping = channel.map(
                    readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, size, arena);
            return new MappedDevice(kind + path + " (mapped" + suffix, arena, mapping, readOnly,
                    MappedDevice.Persistence.MSYNC, false, path, channel, windowSource(path, fileKey, readOnly, false));
        } catch (IOException e) {
            arena.close();
            throw FsException.wrap(Errno.EIO, path.toString(), -1, "cannot map " + size + " bytes: " + e, e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Identifies the file just opened at {@code path} (device and inode), so that windows can check that
     * the file they open again by name is still this one. Null if the host does not say.
     */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Windows open the image again by name (the channel does not give out its descriptor). */
    private static WindowSource windowSource(Path path, Object fileKey, boolean readOnly, boolean mapSync) {
        if (fileKey == null) {
            return WindowSource.refused("cannot identify " + path + " to open it again");
        }
        return WindowSource.reopening(path, fileKey, readOnly, mapSync);
    }

    /**
     * A volatile device of {@code size} bytes (rounded up to {@link Device#BLOCK_SIZE}) on an anonymous
     * memory file (memfd_create). {@link Device#backingFile()} is its {@code /proc/self/fd/N} path, which
     * this process can open and map again (to stitch file views zero-copy); the descriptor is closed when
     * the device closes.
     *
     * @throws FsException EINVAL for a size that is not positive or not representable; EOPNOTSUPP where
     *     memfd_create does not exist; EIO if the memory cannot be sized or mapped
     */
    public static MappedDevice memory(long size) throws FsException {
        if (size <= 0 || size > Long.MAX_VALUE - (Device.BLOCK_SIZE - 1)) {
            throw FsException.atOffset(Errno.EINVAL, -1, "memory device size " + size);
        }
        long rounded = Math.ceilDiv(size, Device.BLOCK_SIZE) * (long) Device.BLOCK_SIZE;
        int fd;
        try {
            fd = LinuxCalls.memfdCreate("daxfs", LinuxCalls.MFD_CLOEXEC);
        } catch (SyscallException e) {
            throw LinuxCalls.toFsException(e, Errno.EIO, -1);
        }
        Path procPath = Path.of("/proc/self/fd/" + fd);
        Arena arena = Arena.ofShared();
        try {
            LinuxCalls.ftruncate(fd, rounded);
            MemorySegment mapping;
            try (FileChannel channel = FileChannel.open(procPath, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, rounded, arena);
            }
            return new MappedDevice("memory " + procPath + " (memfd, " + rounded + " bytes)", arena, mapping, false,
                    MappedDevice.Persistence.MSYNC, false, procPath, () -> LinuxCalls.close(fd),
                    WindowSource.borrowed(fd, false, false));
        } catch (IOException | RuntimeException e) { // SyscallException too
            arena.close();
            try {
                LinuxCalls.close(fd);
            } catch (SyscallException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw FsException.wrap(Errno.EIO, null, -1, "memory device of " + rounded + " bytes: " + e, e);
        }
    }

    /** Maps the host's I/O exceptions to errnos. */
    static FsException toFsException(IOException e, Path path) {
        String name = path.toString();
        if (e instanceof NoSuchFileException) {
            return FsException.wrap(Errno.ENOENT, name, -1, null, e);
        }
        if (e instanceof FileAlreadyExistsException) {
            return FsException.wrap(Errno.EEXIST, name, -1, null, e);
        }
        if (e instanceof AccessDeniedException) {
            return FsException.wrap(Errno.EACCES, name, -1, null, e);
        }
        if (e instanceof NotDirectoryException) {
            return FsException.wrap(Errno.ENOTDIR, name, -1, null, e);
        }
        if (e instanceof FileSystemException fse && "Read-only file system".equals(fse.getReason())) {
            return FsException.wrap(Errno.EROFS, name, -1, null, e);
        }
        return FsException.wrap(Errno.EIO, name, -1, e.toString(), e);
    }

    private static String reason(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Failing to close a channel we are abandoning after an earlier error changes nothing.
        }
    }

    private static void deleteQuietly(Path path, IOException cause) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
