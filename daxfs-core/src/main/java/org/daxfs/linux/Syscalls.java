package org.daxfs.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Finding libc calls and reading their errno. A call made with {@link #CAPTURE_ERRNO} takes a segment of
 * {@link #CALL_STATE} as its first argument, from which {@link #errno} reads the errno it set.
 *
 * <p>Thread safe; no locks.
 */
public final class Syscalls {
    /** The layout of the segment a call captures its errno into. */
    public static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    /** The option that makes a downcall capture errno. */
    public static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final Linker LINKER = Linker.nativeLinker();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Syscalls() {}

    /** A downcall handle for libc's {@code name}, or null where the system has no such call. */
    @SuppressWarnings("restricted") // downcalls are the point of this class
    public static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.defaultLookup().find(name).map(s -> LINKER.downcallHandle(s, descriptor, options)).orElse(null);
    }

    /** The errno a call captured into {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** {@code result}, or a {@link SyscallException} with the captured errno when it is negative. */
    public static int check(String call, int result, MemorySegment state) throws SyscallException {
        if (result < 0) {
            throw new SyscallException(call, errno(state));
        }
        return result;
    }

    /** strerror(errno), or just the number when libc has no text for it. */
    @SuppressWarnings("restricted") // reinterpret: strerror returns a NUL-terminated string of unknown length
    public static String describe(int errno) {
        if (STRERROR == null) {
            return "errno " + errno;
        }
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }
}
