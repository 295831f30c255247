package org.daxfs.linux;

/** A failed system call: its name, errno, and the text strerror gives for it. */
public final class SyscallException extends java.io.IOException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public SyscallException(String call, int errno) {
        super(call + ": " + Syscalls.describe(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
