package org.daxfs.fuse;

/**
 * A request refused by the FUSE front end itself, with the Linux errno to answer (ENOSYS for an operation not
 * served, EBADF for an unknown file handle, ENOTTY for an unknown ioctl, ...). Errors of the file system are
 * {@link org.daxfs.FsException}s.
 */
final class FuseError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOTTY = 25;
    static final int EINVAL = 22;
    static final int ERANGE = 34;
    static final int EDEADLK = 35;
    static final int ENOSYS = 38;
    static final int EOPNOTSUPP = 95;
    static final int EPROTO = 71;
    static final int EINTR = 4;

    private final int errno;

    FuseError(int errno, String message) {
        super(message, null, false, false);
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}
