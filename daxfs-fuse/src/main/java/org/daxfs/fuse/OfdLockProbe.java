package org.daxfs.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Tells an open file description lock request (fcntl F_OFD_SETLK, F_OFD_SETLKW) from a POSIX one. The FUSE
 * protocol does not: both reach the server as SETLK or SETLKW with an opaque owner id (the open file for OFD
 * locks, the process's file table for POSIX locks). But the requesting thread sleeps in its fcntl call until the
 * server answers, so the call and its command can be read from {@code /proc/PID/task/TID/syscall}: the system
 * call number, then its arguments in hex (fd, cmd, ...). Reading it through the task directory of the lock's
 * process also checks that the thread belongs to that process.
 *
 * <p>When the call cannot be read (a server without the right to trace the caller, as an ordinary user serving
 * another user's process; an architecture whose fcntl number is not known here; the caller interrupted meanwhile),
 * the request counts as POSIX, the common kind: deadlock detection may then refuse an OFD wait with EDEADLK where
 * Linux would let it sleep in the deadlock.
 *
 * <p>Locking: none; reads one small file.
 */
final class OfdLockProbe {
    static final int F_OFD_GETLK = 36;
    static final int F_OFD_SETLK = 37;
    static final int F_OFD_SETLKW = 38;

    /** fcntl's system call number on this architecture (x86-64's own, or the generic table's), or -1. */
    static final int FCNTL = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
        case "amd64", "x86_64" -> 72;
        case "aarch64", "riscv64", "loongarch64" -> 25;
        default -> -1;
    };

    private OfdLockProbe() {
    }

    /** Whether thread {@code tid} of process {@code pid} is in an F_OFD_* fcntl call (false if that is unknown). */
    static boolean isOfd(int pid, int tid) {
        if (FCNTL < 0 || pid <= 0 || tid <= 0) {
            return false;
        }
        try {
            String line = Files.readString(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "syscall"),
                    StandardCharsets.US_ASCII);
            return isOfdCall(line);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a line of {@code /proc/.../syscall} shows an fcntl with an F_OFD_* command. */
    static boolean isOfdCall(String line) {
        String[] f = line.trim().split(" ");
        if (f.length < 3 || !f[0].equals(Integer.toString(FCNTL)) || !f[2].startsWith("0x")) {
            return false;
        }
        long cmd = Long.parseUnsignedLong(f[2].substring(2), 16);
        return cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
    }
}
