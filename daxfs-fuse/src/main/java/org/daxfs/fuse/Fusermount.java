package org.daxfs.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.daxfs.linux.SyscallException;

/**
 * Mounting and unmounting through the set-user-ID {@code fusermount3} of libfuse, which lets an ordinary user
 * mount FUSE file systems on directories they own. The protocol is libfuse's: the server makes a Unix socket
 * pair, runs {@code fusermount3 -o OPTIONS -- MOUNTPOINT} with one end inherited and its number in the
 * environment variable {@code _FUSE_COMMFD}; fusermount3 opens {@code /dev/fuse}, mounts, sends the open
 * descriptor back over the socket (SCM_RIGHTS) and exits. Unmounting is {@code fusermount3 -u}, with {@code -z}
 * to detach a busy mount.
 *
 * <p>fusermount3 opens {@code /dev/fuse} with the caller's own rights, so the device must be readable and
 * writable by the user (mode 0666, as distributions set it). It refuses {@code allow_other} to an ordinary user
 * unless {@code /etc/fuse.conf} has {@code user_allow_other}.
 *
 * <p>Locking: none; each call runs one fusermount3.
 */
final class Fusermount {
    static final String PROGRAM = "fusermount3";
    /** The environment variable that tells fusermount3 which descriptor is the socket (libfuse's name). */
    private static final String COMMFD = "_FUSE_COMMFD";
    /** The socket is the child's stdin: a descriptor number that posix_spawn can give it without a clash. */
    private static final int CHILD_SOCKET = 0;

    private Fusermount() {
    }

    static boolean available() {
        return FdPassing.available() && Spawn.available();
    }

    /** {@code fusermount3} in a directory of PATH, or null. */
    static Path find() {
        String path = System.getenv("PATH");
        for (String dir : (path == null || path.isEmpty() ? "/usr/local/bin:/usr/bin:/bin" : path).split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, PROGRAM).toAbsolutePath();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Mounts a FUSE file system at {@code target} through {@code program} with mount options {@code options}
     * (comma separated, as {@code -o} of fusermount3 takes them).
     *
     * @return the open {@code /dev/fuse} of the new mount (close-on-exec)
     * @throws IOException if the program cannot be run (its errno named), or refuses (its exit status and message)
     */
    static int mount(Path program, String target, String options) throws IOException {
        int[] socket = FdPassing.socketPair();
        try {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put(COMMFD, Integer.toString(CHILD_SOCKET));
            Spawn.Child child;
            try {
                child = Spawn.start(program, List.of(PROGRAM, "-o", options, "--", target), env, socket[1]);
            } catch (SyscallException e) {
                throw new IOException("cannot run " + program + " to mount " + target + ": " + e.getMessage()
                        + (e.errno() == FuseCalls.ENOENT ? " (install fuse3)" : ""), e);
            } finally {
                FuseCalls.close(socket[1]);
            }
            int fd = -1;
            SyscallException notReceived = null;
            try {
                fd = FdPassing.receive(socket[0]); // -1 when fusermount3 exits without sending one
            } catch (SyscallException e) {
                notReceived = e;
            }
            Spawn.Exit exit = child.finish();
            if (exit.status() != 0 || fd < 0) {
                if (fd >= 0) {
                    FuseCalls.close(fd);
                }
                IOException e = new IOException(program + (exit.status() != 0 ? " refused to mount " : " sent no descriptor for ")
                        + target + " (exit status " + exit.status() + ")" + (exit.output().isEmpty() ? "" : ": " + exit.output()));
                if (notReceived != null) {
                    e.addSuppressed(notReceived);
                }
                throw e;
            }
            return fd;
        } finally {
            FuseCalls.close(socket[0]);
        }
    }

    /**
     * Unmounts the FUSE mount at {@code target} with {@code fusermount3 -u}; {@code lazy} adds {@code -z}, which
     * detaches a busy mount at once and lets its users finish.
     *
     * @throws IOException with fusermount3's message if it fails (not mounted, not the user's, busy)
     */
    static void unmount(Path program, String target, boolean lazy) throws IOException {
        List<String> command = lazy ? List.of(program.toString(), "-u", "-z", "--", target)
                : List.of(program.toString(), "-u", "--", target);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            int status = p.waitFor();
            if (status != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit status " + status + ")"
                        + (out.isEmpty() ? "" : ": " + out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + target);
        }
    }
}
