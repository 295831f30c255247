package org.daxfs.nio;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.ReadOnlyFileSystemException;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * Engine errors as {@code java.nio.file} exceptions: the one place where every {@link Errno} is mapped.
 *
 * <table>
 * <caption>The mapping</caption>
 * <tr><td>ENOENT</td><td>{@link NoSuchFileException}</td></tr>
 * <tr><td>EEXIST</td><td>{@link FileAlreadyExistsException}</td></tr>
 * <tr><td>ENOTEMPTY</td><td>{@link DirectoryNotEmptyException}</td></tr>
 * <tr><td>ENOTDIR</td><td>{@link NotDirectoryException}</td></tr>
 * <tr><td>EACCES, EPERM</td><td>{@link AccessDeniedException}</td></tr>
 * <tr><td>EROFS</td><td>{@link ReadOnlyFileSystemException} (unchecked, as {@code java.nio.file} has it)</td></tr>
 * <tr><td>EINVAL from readlink</td><td>{@link NotLinkException}</td></tr>
 * <tr><td>anything after the file system was closed</td><td>{@link ClosedFileSystemException}</td></tr>
 * <tr><td>every other errno</td><td>{@link FileSystemException} whose reason is the errno's name and text</td></tr>
 * </table>
 *
 * Every exception names the path (and the other path of a two-path operation) as the caller gave it, and
 * its reason reads like the engine's: {@code ENOSPC: No space left on device (detail)}.
 *
 * <p>Locks: none.
 */
final class Errors {
    private Errors() {
    }

    /** What kind of {@code java.nio.file} exception an errno becomes. */
    private enum Kind {
        NO_SUCH_FILE, EXISTS, NOT_EMPTY, NOT_DIRECTORY, ACCESS_DENIED, READ_ONLY, OTHER
    }

    /** Every errno, once. A new errno does not compile until it is placed here. */
    private static Kind kindOf(Errno errno) {
        return switch (errno) {
            case ENOENT -> Kind.NO_SUCH_FILE;
            case EEXIST -> Kind.EXISTS;
            case ENOTEMPTY -> Kind.NOT_EMPTY;
            case ENOTDIR -> Kind.NOT_DIRECTORY;
            case EACCES, EPERM -> Kind.ACCESS_DENIED;
            case EROFS -> Kind.READ_ONLY;
            case EINTR, EIO, ENXIO, EBADF, EAGAIN, ENOMEM, EBUSY, EXDEV, ENODEV, EISDIR, EINVAL, EMFILE, EFBIG, ENOSPC,
                    ESPIPE, EMLINK, ERANGE, ENAMETOOLONG, ENOSYS, ELOOP, ENODATA, EOVERFLOW, EOPNOTSUPP, ESHUTDOWN,
                    EUCLEAN, E2BIG -> Kind.OTHER;
        };
    }

    /**
     * The exception for {@code e}, raised by an operation on {@code file} (and {@code other}, or null).
     * Throws {@link ReadOnlyFileSystemException} or {@link ClosedFileSystemException} itself, since those
     * are unchecked.
     */
    static IOException translate(FsException e, DaxPath file, DaxPath other) {
        DaxNioFileSystem fs = file != null ? file.getFileSystem() : null;
        if (fs != null && !fs.isOpen()) {
            throw closed(e);
        }
        // Report the path the engine complained about first (the target of a rename, say).
        DaxPath first = file;
        DaxPath second = other;
        if (other != null && e.path() != null && e.path().equals(other.enginePath())
                && (file == null || !e.path().equals(file.enginePath()))) {
            first = other;
            second = null;
        }
        String f = first != null ? first.toString() : e.path();
        String o = second != null ? second.toString() : null;
        IOException x = switch (kindOf(e.errno())) {
            case NO_SUCH_FILE -> new NoSuchFileException(f, o, reason(e));
            case EXISTS -> new FileAlreadyExistsException(f, o, reason(e));
            case NOT_EMPTY -> new DirectoryNotEmptyException(f);
            case NOT_DIRECTORY -> new NotDirectoryException(f);
            case ACCESS_DENIED -> new AccessDeniedException(f, o, reason(e));
            case READ_ONLY -> {
                ReadOnlyFileSystemException r = new ReadOnlyFileSystemException();
                r.initCause(e);
                throw r;
            }
            case OTHER -> new FileSystemException(f, o, reason(e));
        };
        x.initCause(e);
        return x;
    }

    /** As {@link #translate}, for readlink: EINVAL means the file is not a symbolic link. */
    static IOException translateReadlink(FsException e, DaxPath link) {
        if (e.errno() == Errno.EINVAL && link.getFileSystem().isOpen()) {
            NotLinkException x = new NotLinkException(link.toString(), null, reason(e));
            x.initCause(e);
            return x;
        }
        return translate(e, link, null);
    }

    /** The errno's name and text, and the engine's detail: {@code EINVAL: Invalid argument (why)}. */
    static String reason(FsException e) {
        String r = e.errno().name() + ": " + e.errno().description();
        if (e.offset() >= 0) {
            r += " at offset " + e.offset();
        }
        return e.detail() == null ? r : r + " (" + e.detail() + ")";
    }

    /** A reason in the engine's words for an error this package finds itself. */
    static String reason(Errno errno, String detail) {
        String r = errno.name() + ": " + errno.description();
        return detail == null ? r : r + " (" + detail + ")";
    }

    static ClosedFileSystemException closed(Throwable cause) {
        ClosedFileSystemException c = new ClosedFileSystemException();
        if (cause != null) {
            c.initCause(cause);
        }
        return c;
    }
}
