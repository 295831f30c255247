package org.daxfs.device;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.linux.SyscallException;
import org.daxfs.linux.Syscalls;

/**
 * The few Linux system calls the device layer needs and the JDK does not offer: memfd_create, ftruncate
 * and close for volatile memory devices, open/mmap/munmap for devdax nodes (which {@code FileChannel.map}
 * cannot map, see {@link DevDaxNode}), and mmap at a fixed address, mprotect and msync for
 * {@link DeviceWindow}s. Called through the FFM {@link Linker}; errno is captured with
 * {@link Linker.Option#captureCallState} so a failure names its cause.
 *
 * <p>The flag values are Linux's generic ABI (x86-64 and aarch64). On another OS the symbols are missing
 * and every call fails with {@code EOPNOTSUPP}.
 *
 * <p>Locking: none; each call is one system call. Thread safe.
 */
final class LinuxCalls {
    static final int MFD_CLOEXEC = 0x0001;
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CLOEXEC = 0x80000;
    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_SHARED = 0x01;
    static final int MAP_SHARED_VALIDATE = 0x03;
    static final int MAP_SYNC = 0x80000;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int PROT_NONE = 0x0;
    static final int MS_SYNC = 4;
    static final int EOPNOTSUPP = 95;
    static final int EINVAL = 22;

    private static final StructLayout CALL_STATE = Syscalls.CALL_STATE;
    private static final Linker.Option CAPTURE_ERRNO = Syscalls.CAPTURE_ERRNO;

    private static final MethodHandle MEMFD_CREATE =
            Syscalls.downcall("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle FTRUNCATE =
            Syscalls.downcall("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE =
            Syscalls.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    // open(2) is variadic: the mode argument must be passed as a variadic one.
    private static final MethodHandle OPEN = Syscalls.downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = Syscalls.downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            CAPTURE_ERRNO);
    private static final MethodHandle MUNMAP =
            Syscalls.downcall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MPROTECT =
            Syscalls.downcall("mprotect", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle MSYNC =
            Syscalls.downcall("msync", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);

    private LinuxCalls() {}

    /** Creates an anonymous memory file; returns its descriptor. */
    static int memfdCreate(String name, int flags) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) invoke(MEMFD_CREATE, "memfd_create", state, arena.allocateFrom(name), flags);
            return Syscalls.check("memfd_create", fd, state);
        }
    }

    static void ftruncate(int fd, long length) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            Syscalls.check("ftruncate", (int) invoke(FTRUNCATE, "ftruncate", state, fd, length), state);
        }
    }

    static void close(int fd) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            Syscalls.check("close", (int) invoke(CLOSE, "close", state, fd), state);
        }
    }

    static int open(String path, int flags) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) invoke(OPEN, "open", state, arena.allocateFrom(path), flags, 0);
            return Syscalls.check("open " + path, fd, state);
        }
    }

    /** mmap(NULL, length, prot, flags, fd, 0); returns the address as a zero-length segment. */
    static MemorySegment mmap(long length, int prot, int flags, int fd) throws SyscallException {
        return mmap(MemorySegment.NULL, length, prot, flags, fd, 0);
    }

    /**
     * mmap(address, length, prot, flags, fd, offset); returns the address as a zero-length segment. With
     * MAP_FIXED in {@code flags} the result is {@code address}, and whatever was mapped there is replaced.
     */
    static MemorySegment mmap(MemorySegment address, long length, int prot, int flags, int fd, long offset)
            throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment addr = (MemorySegment) invoke(MMAP, "mmap", state,
                    address, length, prot, flags, fd, offset);
            if (addr.address() == -1L) { // MAP_FAILED
                throw new SyscallException("mmap", Syscalls.errno(state));
            }
            return addr;
        }
    }

    /** An anonymous mapping: mmap(address, length, prot, MAP_PRIVATE|MAP_ANONYMOUS|flags, -1, 0). */
    static MemorySegment mmapAnonymous(MemorySegment address, long length, int prot, int flags)
            throws SyscallException {
        return mmap(address, length, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
    }

    static void mprotect(MemorySegment address, long length, int prot) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            Syscalls.check("mprotect", (int) invoke(MPROTECT, "mprotect", state, address, length, prot), state);
        }
    }

    static void msync(MemorySegment address, long length, int flags) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            Syscalls.check("msync", (int) invoke(MSYNC, "msync", state, address, length, flags), state);
        }
    }

    static void munmap(MemorySegment address, long length) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            Syscalls.check("munmap", (int) invoke(MUNMAP, "munmap", state, address, length), state);
        }
    }

    /** Maps a system call failure to the engine's exception. */
    static FsException toFsException(SyscallException e, Errno fallback, long offset) {
        Errno errno = switch (e.errno()) {
            case 2 -> Errno.ENOENT;
            case 13 -> Errno.EACCES;
            case 1 -> Errno.EPERM;
            case 9 -> Errno.EBADF;
            case 16 -> Errno.EBUSY;
            case 22 -> Errno.EINVAL;
            case 30 -> Errno.EROFS;
            case 95 -> Errno.EOPNOTSUPP;
            default -> fallback;
        };
        return FsException.wrap(errno, null, offset, e.getMessage(), e);
    }

    private static Object invoke(MethodHandle handle, String name, MemorySegment state, Object... args)
            throws SyscallException {
        if (handle == null) {
            throw new SyscallException(name + " (not available on this system)", EOPNOTSUPP);
        }
        Object[] all = new Object[args.length + 1];
        all[0] = state;
        System.arraycopy(args, 0, all, 1, args.length);
        try {
            return handle.invokeWithArguments(all);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("unexpected checked exception from " + name, t);
        }
    }
}
