package org.daxfs.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import org.daxfs.linux.SyscallException;
import org.daxfs.linux.Syscalls;

/**
 * The Linux system calls the FUSE front end needs and the JDK does not offer: open, read, write and close of
 * {@code /dev/fuse}, mount(2), umount2(2) and geteuid(2). Called through the FFM {@link Linker} with errno
 * captured, so a failure names its cause. The read and write of the session loop use exact invocations on
 * per-thread state, so the hot path allocates nothing.
 *
 * <p>Locking: none; each call is one system call. Thread safe.
 */
final class FuseCalls {
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int MS_RDONLY = 1;
    static final int MS_NOSUID = 2;
    static final int MS_NODEV = 4;
    static final int MNT_FORCE = 1;
    static final int MNT_DETACH = 2;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EINVAL = 22;
    static final int ENODEV = 19;
    static final int EBUSY = 16;
    static final int ENOSYS = 38;

    private static final StructLayout CALL_STATE = Syscalls.CALL_STATE;
    private static final Linker.Option CAPTURE_ERRNO = Syscalls.CAPTURE_ERRNO;

    private static final MethodHandle OPEN = Syscalls.downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = Syscalls.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle READ = Syscalls.downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            CAPTURE_ERRNO);
    private static final MethodHandle WRITE = Syscalls.downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
            CAPTURE_ERRNO);
    private static final MethodHandle MOUNT = Syscalls.downcall("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    private static final MethodHandle UMOUNT2 = Syscalls.downcall("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            CAPTURE_ERRNO);
    private static final MethodHandle GETEUID = Syscalls.downcall("geteuid", FunctionDescriptor.of(JAVA_INT));

    /** Each thread's errno capture area, for the calls of the session loop. */
    private static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private FuseCalls() {
    }

    static boolean available() {
        return OPEN != null && READ != null && WRITE != null && MOUNT != null && UMOUNT2 != null;
    }

    static int open(String path, int flags) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0);
            return Syscalls.check("open " + path, fd, state);
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) throws SyscallException {
        MemorySegment state = STATE.get();
        try {
            Syscalls.check("close", (int) CLOSE.invokeExact(state, fd), state);
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** read(2) into {@code buf}; returns the byte count, or minus the errno. */
    static long read(int fd, MemorySegment buf, long size) {
        MemorySegment state = STATE.get();
        try {
            long n = (long) READ.invokeExact(state, fd, buf, size);
            return n < 0 ? -Syscalls.errno(state) : n;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** write(2) of {@code size} bytes of {@code buf}; returns the byte count, or minus the errno. */
    static long write(int fd, MemorySegment buf, long size) {
        MemorySegment state = STATE.get();
        try {
            long n = (long) WRITE.invokeExact(state, fd, buf, size);
            return n < 0 ? -Syscalls.errno(state) : n;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void mount(String source, String target, String type, long flags, String data) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) MOUNT.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(type), flags, arena.allocateFrom(data));
            Syscalls.check("mount " + target, r, state);
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void umount2(String target, int flags) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int r = (int) UMOUNT2.invokeExact(state, arena.allocateFrom(target), flags);
            Syscalls.check("umount " + target, r, state);
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
