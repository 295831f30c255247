package org.daxfs.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import org.daxfs.linux.SyscallException;
import org.daxfs.linux.Syscalls;

/**
 * Passing a file descriptor between processes over a Unix socket, as fusermount3 hands over {@code /dev/fuse}:
 * socketpair(2), and recvmsg(2) of one byte with an SCM_RIGHTS control message carrying the descriptor. The C
 * structures (msghdr, iovec, cmsghdr) are laid out for 64-bit Linux, where size_t and pointers are 8 bytes.
 *
 * <p>Locking: none; each call is one system call. Thread safe.
 */
final class FdPassing {
    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CTRUNC = 0x8;
    /** The received descriptor is close-on-exec at once: no program this JVM starts meanwhile inherits it. */
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int EINTR = 4;

    static final StructLayout IOVEC = MemoryLayout.structLayout(ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    static final StructLayout MSGHDR = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"), JAVA_INT.withName("msg_namelen"), MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"), JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"), JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"), MemoryLayout.paddingLayout(4));
    /** cmsghdr; the data follows it, at CMSG_DATA, without padding (the header is a multiple of 8 bytes). */
    static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"), JAVA_INT.withName("cmsg_type"));
    /** CMSG_LEN(sizeof(int)): the header and one descriptor. */
    private static final long CMSG_LEN_FD = CMSGHDR.byteSize() + JAVA_INT.byteSize();
    /** CMSG_SPACE(sizeof(int)): that, padded to 8 bytes. */
    private static final long CMSG_SPACE_FD = CMSGHDR.byteSize() + 8;

    private static final VarHandle IOV_BASE = IOVEC.varHandle(PathElement.groupElement("iov_base"));
    private static final VarHandle IOV_LEN = IOVEC.varHandle(PathElement.groupElement("iov_len"));
    private static final VarHandle MSG_IOV = MSGHDR.varHandle(PathElement.groupElement("msg_iov"));
    private static final VarHandle MSG_IOVLEN = MSGHDR.varHandle(PathElement.groupElement("msg_iovlen"));
    private static final VarHandle MSG_CONTROL = MSGHDR.varHandle(PathElement.groupElement("msg_control"));
    private static final VarHandle MSG_CONTROLLEN = MSGHDR.varHandle(PathElement.groupElement("msg_controllen"));
    private static final VarHandle MSG_FLAGS = MSGHDR.varHandle(PathElement.groupElement("msg_flags"));
    private static final VarHandle CMSG_LEN = CMSGHDR.varHandle(PathElement.groupElement("cmsg_len"));
    private static final VarHandle CMSG_LEVEL = CMSGHDR.varHandle(PathElement.groupElement("cmsg_level"));
    private static final VarHandle CMSG_TYPE = CMSGHDR.varHandle(PathElement.groupElement("cmsg_type"));

    private static final MethodHandle SOCKETPAIR = Syscalls.downcall("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), Syscalls.CAPTURE_ERRNO);
    private static final MethodHandle RECVMSG = Syscalls.downcall("recvmsg",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), Syscalls.CAPTURE_ERRNO);

    private FdPassing() {
    }

    static boolean available() {
        return SOCKETPAIR != null && RECVMSG != null;
    }

    /** A connected pair of AF_UNIX stream sockets, both close-on-exec. */
    static int[] socketPair() throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Syscalls.CALL_STATE);
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            int r = (int) SOCKETPAIR.invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
            Syscalls.check("socketpair", r, state);
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Receives one byte with a descriptor attached (close-on-exec) from {@code socket}, waiting for it.
     *
     * @return the descriptor, or -1 if the other end closed without sending one
     * @throws SyscallException if recvmsg fails (EPROTO if a message came without exactly a descriptor)
     */
    static int receive(int socket) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Syscalls.CALL_STATE);
            MemorySegment data = arena.allocate(1);
            MemorySegment iov = arena.allocate(IOVEC);
            IOV_BASE.set(iov, 0L, data);
            IOV_LEN.set(iov, 0L, 1L);
            MemorySegment control = arena.allocate(CMSG_SPACE_FD, 8);
            MemorySegment msg = arena.allocate(MSGHDR);
            MSG_IOV.set(msg, 0L, iov);
            MSG_IOVLEN.set(msg, 0L, 1L);
            MSG_CONTROL.set(msg, 0L, control);
            MSG_CONTROLLEN.set(msg, 0L, CMSG_SPACE_FD);
            long n;
            do {
                n = (long) RECVMSG.invokeExact(state, socket, msg, MSG_CMSG_CLOEXEC);
            } while (n < 0 && Syscalls.errno(state) == EINTR);
            Syscalls.check("recvmsg", (int) Math.max(n, -1), state);
            if (n == 0) {
                return -1;
            }
            long controlLength = (long) MSG_CONTROLLEN.get(msg, 0L);
            if (((int) MSG_FLAGS.get(msg, 0L) & MSG_CTRUNC) != 0 || controlLength < CMSG_LEN_FD
                    || (long) CMSG_LEN.get(control, 0L) != CMSG_LEN_FD || (int) CMSG_LEVEL.get(control, 0L) != SOL_SOCKET
                    || (int) CMSG_TYPE.get(control, 0L) != SCM_RIGHTS) {
                throw new SyscallException("recvmsg: a message without exactly one descriptor", FuseError.EPROTO);
            }
            return control.get(JAVA_INT, CMSGHDR.byteSize());
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
