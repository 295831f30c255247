package org.daxfs.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.daxfs.linux.SyscallException;
import org.daxfs.linux.Syscalls;

/**
 * Starting a program that inherits one descriptor of this process, which {@link ProcessBuilder} cannot do: the
 * JDK's launcher closes every descriptor above stderr in the child. Here posix_spawn(3) starts the program with
 * the given descriptor as its stdin, its stdout and stderr into a pipe this process reads, and every other
 * descriptor closed (posix_spawn_file_actions_addclosefrom_np, glibc 2.34 and later; before that, descriptors
 * the JVM opened without close-on-exec would be inherited too). The child keeps the calling thread's signal mask.
 *
 * <p>Locking: none. A {@link Child} is used by one thread.
 */
final class Spawn {
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    /** sizeof(posix_spawn_file_actions_t) in glibc is 80 bytes on 64-bit Linux; room to spare. */
    private static final long FILE_ACTIONS_SIZE = 256;

    private static final MethodHandle PIPE2 = Syscalls.downcall("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
            Syscalls.CAPTURE_ERRNO);
    private static final MethodHandle WAITPID = Syscalls.downcall("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Syscalls.CAPTURE_ERRNO);
    // The posix_spawn family returns the error number instead of setting errno.
    private static final MethodHandle ACTIONS_INIT = Syscalls.downcall("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_DESTROY = Syscalls.downcall("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ADD_DUP2 = Syscalls.downcall("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_CLOSEFROM = Syscalls.downcall("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POSIX_SPAWN = Syscalls.downcall("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    private Spawn() {
    }

    static boolean available() {
        return PIPE2 != null && WAITPID != null && ACTIONS_INIT != null && ACTIONS_DESTROY != null && ADD_DUP2 != null
                && POSIX_SPAWN != null;
    }

    /** How a child ended: its exit status (128 + the signal if one killed it) and what it printed. */
    record Exit(int status, String output) {
    }

    /** A started program. {@link #finish} must be called once, to reap it and close the pipe. */
    record Child(int pid, int output) {
        /** Reads the child's output until it closes it, then waits for the child to end. */
        Exit finish() throws SyscallException {
            String text;
            try {
                text = readAll(output);
            } finally {
                FuseCalls.close(output);
            }
            return new Exit(waitFor(pid), text);
        }
    }

    /**
     * Starts {@code program} (an absolute path) with {@code args} (the first is its name) and environment
     * {@code env}, descriptor {@code stdin} as its stdin and the other descriptors closed.
     *
     * @throws SyscallException if the program cannot be started (ENOENT when it does not exist, EACCES, ...)
     */
    static Child start(Path program, List<String> args, Map<String, String> env, int stdin) throws SyscallException {
        int[] pipe = pipe();
        boolean started = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
            try {
                // dup2 clears close-on-exec on the new descriptor, so these three, and only these, stay open.
                check("posix_spawn_file_actions_adddup2", (int) ADD_DUP2.invokeExact(actions, stdin, 0));
                check("posix_spawn_file_actions_adddup2", (int) ADD_DUP2.invokeExact(actions, pipe[1], 1));
                check("posix_spawn_file_actions_adddup2", (int) ADD_DUP2.invokeExact(actions, pipe[1], 2));
                if (ADD_CLOSEFROM != null) {
                    check("posix_spawn_file_actions_addclosefrom_np", (int) ADD_CLOSEFROM.invokeExact(actions, 3));
                }
                MemorySegment pid = arena.allocate(JAVA_INT);
                int r = (int) POSIX_SPAWN.invokeExact(pid, arena.allocateFrom(program.toString()), actions,
                        MemorySegment.NULL, strings(arena, args), strings(arena, env.entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue()).toList()));
                check("posix_spawn " + program, r);
                started = true;
                return new Child(pid.get(JAVA_INT, 0), pipe[0]);
            } finally {
                int ignored = (int) ACTIONS_DESTROY.invokeExact(actions);
            }
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            FuseCalls.close(pipe[1]); // the child has its copy
            if (!started) {
                FuseCalls.close(pipe[0]);
            }
        }
    }

    private static void check(String call, int error) throws SyscallException {
        if (error != 0) {
            throw new SyscallException(call, error);
        }
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    /** A pipe, both ends close-on-exec: [read end, write end]. */
    private static int[] pipe() throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Syscalls.CALL_STATE);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            Syscalls.check("pipe2", (int) PIPE2.invokeExact(state, fds, O_CLOEXEC), state);
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static String readAll(int fd) throws SyscallException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            while (true) {
                long n = FuseCalls.read(fd, buf, buf.byteSize());
                if (n == -EINTR) {
                    continue;
                }
                if (n < 0) {
                    throw new SyscallException("read", (int) -n);
                }
                if (n == 0) {
                    return out.toString(StandardCharsets.UTF_8).trim();
                }
                out.write(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), 0, (int) n);
            }
        }
    }

    /** waitpid(2): the exit status of child {@code pid}, or 128 + the signal that killed it. */
    private static int waitFor(int pid) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Syscalls.CALL_STATE);
            MemorySegment status = arena.allocate(JAVA_INT);
            int r;
            do {
                r = (int) WAITPID.invokeExact(state, pid, status, 0);
            } while (r < 0 && Syscalls.errno(state) == EINTR);
            Syscalls.check("waitpid " + pid, r, state);
            int s = status.get(JAVA_INT, 0);
            return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f);
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
