package org.daxfs.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.linux.SyscallException;

/**
 * Where a device's {@link DeviceWindow}s get their pages: a descriptor of the file that holds the device's
 * bytes (image file, memfd, devdax node), or the reason a device has none. Device offset {@code d} is file
 * offset {@code d} for every device that has one: images, memfds and devdax nodes are all mapped from file
 * offset 0.
 *
 * <p>Three kinds:
 * <ul>
 *   <li>{@link #borrowed}: a descriptor the device already holds (memfd, devdax); its owner closes it.
 *   <li>{@link #reopening}: an image file is opened again with open(2) at the first window (the JDK's
 *       channel does not give out its descriptor), checked to be the same file the device opened (same
 *       device and inode), and closed by {@link #close()}.
 *   <li>{@link #refused}: no windows; {@link #checkSupported} fails with EOPNOTSUPP and the reason.
 * </ul>
 *
 * <p>Why the reopened descriptor is closed only at {@link #close()}: the image lock is a POSIX record
 * lock, and closing any descriptor of the file in this process drops it. So the open is done once, under
 * this object's monitor, and nothing closes the descriptor while the device's channel is open.
 *
 * <p>Locks and context: {@link #descriptor} takes this object's monitor only the first time (to open);
 * it runs inside a device section, so {@link #close()}, which runs at device release after every section
 * has drained, never races with a use of the descriptor. Nothing is called under the monitor except open.
 */
final class WindowSource implements AutoCloseable {
    private final String refusal;
    private final Path path;
    private final Object fileKey;
    private final boolean readOnly;
    private final boolean mapSync;
    /** The descriptor, or -1 until a reopening source has opened it. */
    private volatile int fd;
    private boolean closed; // guarded by this

    private WindowSource(String refusal, Path path, Object fileKey, int fd, boolean readOnly, boolean mapSync) {
        this.refusal = refusal;
        this.path = path;
        this.fileKey = fileKey;
        this.fd = fd;
        this.readOnly = readOnly;
        this.mapSync = mapSync;
    }

    /**
     * Windows map {@code fd}, which stays owned (and closed) by the device.
     *
     * @param readOnly true if {@code fd} is open read-only
     * @param mapSync  true if the file accepts MAP_SYNC (device views are then mapped with it)
     */
    static WindowSource borrowed(int fd, boolean readOnly, boolean mapSync) {
        return new WindowSource(null, null, null, fd, readOnly, mapSync);
    }

    /**
     * Windows map {@code path}, opened again at the first window; it must still be the file whose
     * {@link BasicFileAttributes#fileKey()} is {@code fileKey}.
     */
    static WindowSource reopening(Path path, Object fileKey, boolean readOnly, boolean mapSync) {
        return new WindowSource(null, path, Objects.requireNonNull(fileKey), -1, readOnly, mapSync);
    }

    /** No windows on this device, because of {@code reason}. */
    static WindowSource refused(String reason) {
        return new WindowSource(Objects.requireNonNull(reason), null, null, -1, true, false);
    }

    /** Fails with EOPNOTSUPP if windows cannot be opened on this device. */
    void checkSupported(String device) throws FsException {
        if (refusal != null) {
            throw FsException.atOffset(Errno.EOPNOTSUPP, -1, "no windows on " + device + ": " + refusal);
        }
    }

    /** True if device views are mapped with MAP_SHARED_VALIDATE|MAP_SYNC. */
    boolean mapSync() {
        return mapSync;
    }

    /**
     * The descriptor to map, opening it the first time. Context: inside a section of the device.
     *
     * @throws FsException EOPNOTSUPP for a refused source; ENOENT, EACCES, EIO... if the file cannot be
     *     opened again, or is no longer the device's file
     */
    int descriptor(long offset) throws FsException {
        int current = fd;
        if (current >= 0) {
            return current;
        }
        if (refusal != null) {
            throw FsException.atOffset(Errno.EOPNOTSUPP, offset, refusal);
        }
        synchronized (this) {
            if (closed) {
                throw FsException.atOffset(Errno.EIO, offset, "device closed");
            }
            if (fd < 0) {
                fd = open(offset);
            }
            return fd;
        }
    }

    /** Closes a descriptor this source opened itself. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (path != null && fd >= 0) {
            try {
                LinuxCalls.close(fd);
            } catch (SyscallException ignored) {
                // close(2) of a descriptor we own can only fail with EINTR/EIO; nothing is mapped through it.
            }
            fd = -1;
        }
    }

    private int open(long offset) throws FsException {
        int opened;
        try {
            opened = LinuxCalls.open(path.toString(),
                    (readOnly ? LinuxCalls.O_RDONLY : LinuxCalls.O_RDWR) | LinuxCalls.O_CLOEXEC);
        } catch (SyscallException e) {
            throw LinuxCalls.toFsException(e, Errno.EIO, offset).withPath(path.toString());
        }
        Object openedKey;
        try {
            // /proc/self/fd/N leads to the open file itself, whatever its name is now.
            openedKey = Files.readAttributes(Path.of("/proc/self/fd/" + opened), BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            openedKey = e;
        }
        if (!fileKey.equals(openedKey)) {
            // A different inode: closing this descriptor cannot drop the lock on the device's file.
            try {
                LinuxCalls.close(opened);
            } catch (SyscallException ignored) {
                // Nothing was mapped through it.
            }
            throw FsException.of(Errno.EIO, path.toString(), "the file at this path is no longer the device's file ("
                    + (openedKey instanceof IOException e ? e.toString() : "replaced since the device was opened") + ")");
        }
        return opened;
    }
}
