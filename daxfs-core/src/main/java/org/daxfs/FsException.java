package org.daxfs;

import java.io.IOException;

/**
 * The one exception type of the DaxFS engine: an {@link Errno} plus the path or device offset concerned.
 * It is an {@link IOException} so front ends can pass it through {@code java.nio} signatures unchanged.
 */
public final class FsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String path;
    private final long offset;
    private final String detail;

    private FsException(Errno errno, String path, long offset, String detail, Throwable cause) {
        super(format(errno, path, offset, detail), cause);
        this.errno = errno;
        this.path = path;
        this.offset = offset;
        this.detail = detail;
    }

    /** An error about a named file. */
    public static FsException of(Errno errno, String path) {
        return new FsException(errno, path, -1, null, null);
    }

    /** An error about a named file, with a detail that says why. */
    public static FsException of(Errno errno, String path, String detail) {
        return new FsException(errno, path, -1, detail, null);
    }

    /** An error at a byte offset of the device or of a file. */
    public static FsException atOffset(Errno errno, long offset, String detail) {
        return new FsException(errno, null, offset, detail, null);
    }

    /** An error with an underlying cause. */
    public static FsException wrap(Errno errno, String path, long offset, String detail, Throwable cause) {
        return new FsException(errno, path, offset, detail, cause);
    }

    public Errno errno() {
        return errno;
    }

    /** The path concerned, or null. */
    public String path() {
        return path;
    }

    /** The byte offset concerned, or -1. */
    public long offset() {
        return offset;
    }

    /** The same error, now naming {@code path}, for errors raised below the layer that knows the name. */
    public FsException withPath(String path) {
        if (this.path != null) {
            return this;
        }
        FsException e = new FsException(errno, path, offset, detail, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** What went wrong beyond the errno, or null. */
    public String detail() {
        return detail;
    }

    private static String format(Errno errno, String path, long offset, String detail) {
        StringBuilder sb = new StringBuilder(errno.name()).append(": ").append(errno.description());
        if (path != null) {
            sb.append(": ").append(path);
        }
        if (offset >= 0) {
            sb.append(" at offset ").append(offset);
        }
        if (detail != null) {
            sb.append(" (").append(detail).append(')');
        }
        return sb.toString();
    }
}
