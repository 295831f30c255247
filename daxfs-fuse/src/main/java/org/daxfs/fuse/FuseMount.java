package org.daxfs.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.linux.SyscallException;

/**
 * A mounted DaxFS served to the kernel over {@code /dev/fuse}: the mounting, and the life of the session.
 *
 * <p>{@link #mount} mounts in one of two ways ({@link MountMethod}), then starts the session:
 * <ul>
 * <li>as root, it opens {@code /dev/fuse} and calls mount(2) with file system type {@code fuse.daxfs}, source
 * {@code daxfs} and the options {@code fd=N,rootmode=40000,user_id=0,group_id=0,default_permissions,allow_other}
 * (so the kernel checks permissions and every user may use the mount);
 * <li>as an ordinary user (or when asked to), it runs the set-user-ID {@code fusermount3} ({@link Fusermount}) with
 * {@code fsname=daxfs,subtype=daxfs,default_permissions,nosuid,nodev} (and {@code allow_other} for root), which
 * mounts the same and hands back the open {@code /dev/fuse}. An ordinary user's mount is for that user only
 * (FUSE keeps others out, root too), unmounted with {@code fusermount3 -u}.
 * </ul>
 * The mount shows in /proc/mounts at once, and is usable once the kernel's INIT is answered ({@link #initialized}).
 *
 * <p>It ends when unmounted from outside ({@code daxfs umount}, umount(8), {@code fusermount3 -u}), or by
 * {@link #close}. Either way the file system stays mounted in DaxFS: closing it is the caller's, after
 * {@link #close} (which first releases every handle the kernel left open).
 */
public final class FuseMount implements AutoCloseable {
    private static final String TYPE = "fuse.daxfs";

    private final Path mountPoint;
    private final String target;
    private final int fd;
    private final FuseSession session;
    private final FuseOperations operations;
    private final FuseOptions options;
    private final String device;
    /** The fusermount3 that mounted, which unmounts too; null for a mount(2) mount. */
    private final Path fusermount;
    private boolean closed;

    private FuseMount(Path mountPoint, String target, int fd, FuseSession session, FuseOperations operations,
                      FuseOptions options, String device, Path fusermount) {
        this.fusermount = fusermount;
        this.mountPoint = mountPoint;
        this.target = target;
        this.fd = fd;
        this.session = session;
        this.operations = operations;
        this.options = options;
        this.device = device;
    }

    /** Why this process cannot mount with FUSE here (the {@link MountMethod#AUTO} way), or null if it can. */
    public static String unsupportedReason() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return "FUSE mounts need Linux";
        }
        if (!FuseCalls.available()) {
            return "the C library lacks open, read, write, mount or umount2";
        }
        if (!Files.exists(Path.of("/dev/fuse"))) {
            return "/dev/fuse does not exist (load the fuse module, or give the container the device)";
        }
        if (FuseCalls.geteuid() != 0 && (!Fusermount.available() || Fusermount.find() == null)) {
            return "mounting needs root, or " + Fusermount.PROGRAM + " on PATH (install fuse3)";
        }
        return null;
    }

    /**
     * Mounts {@code fs} at {@code mountPoint} (an existing directory) and starts serving it.
     *
     * @throws IOException if this process cannot mount (see {@link #unsupportedReason}), or mount(2) or
     *     fusermount3 fails
     */
    public static FuseMount mount(DaxFileSystem fs, Path mountPoint, FuseOptions options) throws IOException {
        String reason = unsupportedReason();
        if (reason != null) {
            throw new IOException("cannot mount " + mountPoint + ": " + reason);
        }
        if (!Files.isDirectory(mountPoint)) {
            throw new IOException("mount point " + mountPoint + " is not a directory");
        }
        if (options.readOnly() && !fs.isReadOnly()) {
            throw new IllegalArgumentException("a read-only mount needs a file system mounted read-only");
        }
        String target = mountPoint.toAbsolutePath().normalize().toString();
        boolean root = FuseCalls.geteuid() == 0;
        boolean viaFusermount = switch (options.mountMethod()) {
            case AUTO -> !root;
            case MOUNT_SYSCALL -> false;
            case FUSERMOUNT -> true;
        };
        Path fusermount = viaFusermount && Fusermount.available() ? Fusermount.find() : null;
        if (viaFusermount && fusermount == null) {
            throw new IOException("cannot mount " + mountPoint + ": " + Fusermount.PROGRAM + " is not on PATH (install fuse3)");
        }
        int fd = fusermount != null
                ? Fusermount.mount(fusermount, target, "fsname=daxfs,subtype=daxfs,default_permissions,nosuid,nodev"
                        + (fs.isReadOnly() ? ",ro" : ",rw") + (root ? ",allow_other" : ""))
                : mountSyscall(target, fs.isReadOnly());
        FuseOperations ops = new FuseOperations(fs, options.maxWrite(), options.entryTimeout().toNanos(),
                options.attrTimeout().toNanos(), options.log());
        FuseSession session = new FuseSession(fd, ops, options.maxWrite(), options.workers(), options.log(), options.debug());
        ops.attach(session);
        String device = deviceOf(target);
        session.start("daxfs-fuse");
        return new FuseMount(mountPoint, target, fd, session, ops, options, device, fusermount);
    }

    /** Opens {@code /dev/fuse} and mounts it at {@code target} with mount(2); returns the descriptor. */
    private static int mountSyscall(String target, boolean readOnly) throws IOException {
        int fd = FuseCalls.open("/dev/fuse", FuseCalls.O_RDWR | FuseCalls.O_CLOEXEC);
        long flags = FuseCalls.MS_NOSUID | FuseCalls.MS_NODEV | (readOnly ? FuseCalls.MS_RDONLY : 0);
        String data = "fd=" + fd + ",rootmode=40000,user_id=0,group_id=0,default_permissions,allow_other";
        try {
            FuseCalls.mount("daxfs", target, TYPE, flags, data);
            return fd;
        } catch (IOException e) {
            try {
                FuseCalls.close(fd);
            } catch (IOException ignored) {
                // the mount failure is what matters
            }
            throw e;
        }
    }

    /** Whether this mount was made through fusermount3 (and is unmounted through it). */
    boolean throughFusermount() {
        return fusermount != null;
    }

    /** The operations adapter, for tests. */
    FuseOperations operations() {
        return operations;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** Completes once the kernel's INIT is answered and the mount is usable; fails if the session ends first. */
    public CompletableFuture<Void> initialized() {
        return session.initialized();
    }

    /** Waits until the mount is usable. */
    public void awaitInitialized(Duration timeout) throws IOException, InterruptedException {
        try {
            session.initialized().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the FUSE session ended before the kernel's INIT", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no INIT from the kernel within " + timeout);
        }
    }

    /** Completes once the mount is gone and the session has stopped. */
    public CompletableFuture<Void> unmounted() {
        return session.exited();
    }

    /** Waits until the mount is gone (unmounted from outside, or by {@link #close}). */
    public void awaitUnmounted() throws InterruptedException {
        try {
            session.exited().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Ends the mount: unmounts it if it is still there (a busy mount is detached, given {@code unmountGrace} to be
     * let go, then its connection is aborted), waits for the session to stop, closes the handles the kernel left
     * open and {@code /dev/fuse}. The file system itself stays mounted in DaxFS.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!session.exited().isDone()) {
                if (fusermount != null) {
                    unmountThroughFusermount();
                } else {
                    unmountSyscall();
                }
                if (!awaitExit(options.unmountGrace())) {
                    options.log().accept("the mount at " + target + " is still in use; cutting it off");
                    abortConnection();
                    if (!awaitExit(Duration.ofSeconds(10))) {
                        throw new IOException("the FUSE session at " + target + " did not end");
                    }
                }
            }
        } finally {
            operations.closeAll();
            if (session.exited().isDone()) {
                FuseCalls.close(fd);
            }
        }
    }

    /** umount2(2), detaching the mount if it is busy. Not being mounted any more is no failure. */
    private void unmountSyscall() throws SyscallException {
        try {
            FuseCalls.umount2(target, 0);
        } catch (SyscallException e) {
            if (e.errno() == FuseCalls.EBUSY) {
                FuseCalls.umount2(target, FuseCalls.MNT_DETACH);
            } else if (e.errno() != FuseCalls.EINVAL) { // EINVAL: no longer mounted there
                throw e;
            }
        }
    }

    /**
     * {@code fusermount3 -u -z}: detaches the mount even when busy (as mount(2)'s path retries with MNT_DETACH), so
     * the grace period of {@link #close} starts at once. Not being mounted any more is no failure.
     */
    private void unmountThroughFusermount() throws IOException {
        try {
            Fusermount.unmount(fusermount, target, true);
        } catch (IOException e) {
            if (!session.exited().isDone() && deviceOf(target) != null) {
                throw e;
            }
        }
    }

    private boolean awaitExit(Duration timeout) throws IOException {
        try {
            session.exited().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + target);
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Aborts the FUSE connection through the fusectl file system (mounted for the purpose if need be). */
    private void abortConnection() throws IOException {
        if (device == null) {
            throw new IOException("cannot abort the FUSE connection at " + target + ": its device is unknown");
        }
        String minor = device.substring(device.indexOf(':') + 1);
        Path connections = Path.of("/sys/fs/fuse/connections");
        Path abort = connections.resolve(minor).resolve("abort");
        if (!Files.exists(abort)) {
            try {
                FuseCalls.mount("fusectl", connections.toString(), "fusectl", 0, "");
            } catch (SyscallException e) {
                if (e.errno() != FuseCalls.EBUSY) {
                    throw e;
                }
            }
        }
        Files.writeString(abort, "1");
    }

    /**
     * Unmounts the DaxFS FUSE mount at {@code mountPoint}: umount2(2) as root, {@code fusermount3 -u} otherwise.
     *
     * @throws IOException if nothing of type fuse.daxfs is mounted there, or unmounting fails (EBUSY when in use)
     */
    public static void unmount(Path mountPoint) throws IOException {
        String target = mountPoint.toAbsolutePath().normalize().toString();
        if (deviceOf(target) == null) {
            throw new IOException(target + " is not a DaxFS mount");
        }
        if (FuseCalls.available() && FuseCalls.geteuid() == 0) {
            FuseCalls.umount2(target, 0);
            return;
        }
        Path fusermount = Fusermount.find();
        if (fusermount == null) {
            throw new IOException("cannot unmount " + target + ": " + Fusermount.PROGRAM + " is not on PATH (install fuse3)");
        }
        Fusermount.unmount(fusermount, target, false);
    }

    /** True if a DaxFS FUSE mount is at {@code mountPoint}. */
    public static boolean isMounted(Path mountPoint) throws IOException {
        return deviceOf(mountPoint.toAbsolutePath().normalize().toString()) != null;
    }

    /** The "major:minor" of the last fuse.daxfs mount at {@code target} in /proc/self/mountinfo, or null. */
    static String deviceOf(String target) throws IOException {
        String found = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 1 >= f.length) {
                continue;
            }
            if (unescape(f[4]).equals(target) && f[dash + 1].equals(TYPE)) {
                found = f[2];
            }
        }
        return found;
    }

    /** Undoes mountinfo's octal escapes (\040 for a space, ...). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
