package org.daxfs.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * System calls the mount tests make themselves on files of the mount, for what no common program does:
 * renameat2 with its flags, flock(2) and open-file-description record locks between two descriptors of one
 * process. Each returns 0 or the errno.
 */
final class Syscalls {
    static final int O_RDWR = 2;
    static final int RENAME_NOREPLACE = 1;
    static final int RENAME_EXCHANGE = 2;
    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int LOCK_UN = 8;
    static final int F_OFD_GETLK = 36;
    static final int F_OFD_SETLK = 37;
    static final int F_OFD_SETLKW = 38;
    static final short F_RDLCK = 0;
    static final short F_WRLCK = 1;
    static final short F_UNLCK = 2;
    private static final int AT_FDCWD = -100;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = find("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = find("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle RENAMEAT2 = find("renameat2",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE);
    private static final MethodHandle FLOCK = find("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle FCNTL = find("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
            CAPTURE, Linker.Option.firstVariadicArg(2));

    private static final MethodHandle SOCKETPAIR = find("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE);
    private static final MethodHandle READ = find("read",
            FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_LONG, JAVA_INT, ADDRESS, java.lang.foreign.ValueLayout.JAVA_LONG), CAPTURE);
    private static final MethodHandle WRITE = find("write",
            FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_LONG, JAVA_INT, ADDRESS, java.lang.foreign.ValueLayout.JAVA_LONG), CAPTURE);

    private Syscalls() {
    }

    /** A connected pair of AF_UNIX SOCK_SEQPACKET sockets: messages keep their boundaries, as on /dev/fuse. */
    static int[] seqpacketPair() throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int r = (int) SOCKETPAIR.invokeExact(st, 1, 5, 0, fds);
            if (r < 0) {
                throw new IllegalStateException("socketpair: errno " + (int) ERRNO.get(st, 0L));
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /** Writes one message. */
    static void send(int fd, byte[] message) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            long n = (long) WRITE.invokeExact(st, fd, a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, message), (long) message.length);
            if (n != message.length) {
                throw new IllegalStateException("write: " + n + ", errno " + (int) ERRNO.get(st, 0L));
            }
        }
    }

    /** Reads one message (blocking). */
    static byte[] receive(int fd) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            MemorySegment buf = a.allocate(1 << 16);
            long n = (long) READ.invokeExact(st, fd, buf, (long) (1 << 16));
            if (n < 0) {
                throw new IllegalStateException("read: errno " + (int) ERRNO.get(st, 0L));
            }
            return buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
    }

    /** struct flock of Linux x86-64 and aarch64: l_type, l_whence (16 bits), l_start, l_len (64), l_pid (32). */
    record Flock(short type, long start, long len, int pid) {
    }

    static int open(Path path) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path.toString()), O_RDWR, 0);
            if (fd < 0) {
                throw new IllegalStateException("open " + path + ": errno " + (int) ERRNO.get(st, 0L));
            }
            return fd;
        }
    }

    static int close(int fd) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            return result((int) CLOSE.invokeExact(st, fd), st);
        }
    }

    static int renameat2(Path from, Path to, int flags) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            return result((int) RENAMEAT2.invokeExact(st, AT_FDCWD, a.allocateFrom(from.toString()), AT_FDCWD,
                    a.allocateFrom(to.toString()), flags), st);
        }
    }

    static int flock(int fd, int op) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            return result((int) FLOCK.invokeExact(st, fd, op), st);
        }
    }

    /** fcntl with a struct flock; for the GETLK commands {@code lock} gets what the kernel answered. */
    static int fcntl(int fd, int cmd, Flock lock, Flock[] answer) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            MemorySegment fl = a.allocate(32, 8);
            fl.set(ValueLayout.JAVA_SHORT, 0, lock.type());
            fl.set(ValueLayout.JAVA_SHORT, 2, (short) 0); // SEEK_SET
            fl.set(ValueLayout.JAVA_LONG, 8, lock.start());
            fl.set(ValueLayout.JAVA_LONG, 16, lock.len());
            fl.set(ValueLayout.JAVA_INT, 24, lock.pid());
            int r = result((int) FCNTL.invokeExact(st, fd, cmd, fl), st);
            if (answer != null) {
                answer[0] = new Flock(fl.get(ValueLayout.JAVA_SHORT, 0), fl.get(ValueLayout.JAVA_LONG, 8),
                        fl.get(ValueLayout.JAVA_LONG, 16), fl.get(ValueLayout.JAVA_INT, 24));
            }
            return r;
        }
    }

    private static int result(int r, MemorySegment st) {
        return r < 0 ? (int) ERRNO.get(st, 0L) : 0;
    }

    @SuppressWarnings("restricted")
    private static MethodHandle find(String name, FunctionDescriptor d, Linker.Option... o) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d, o);
    }
}
