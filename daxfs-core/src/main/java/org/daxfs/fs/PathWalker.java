package org.daxfs.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * Resolves paths to inodes, component by component, following symlinks as Linux's path walk does: every
 * symlink met before the last component is followed, the last one only when asked, at most
 * {@link #MAX_SYMLINKS} in all (then ELOOP). Paths are relative to the root of the file system whether or
 * not they start with '/'; empty components are ignored; a trailing '/' requires a directory.
 *
 * <p>Context: the namespace lock held, at least shared, for as long as the result is used.
 */
final class PathWalker {
    static final int MAX_SYMLINKS = 40;
    static final int PATH_MAX = 4096;
    static final int NAME_MAX = 255;
    static final byte[] DOT = {'.'};
    static final byte[] DOTDOT = {'.', '.'};

    /** How the walker reaches directories and links; implemented by the file system. */
    interface Lookup {
        Inode root() throws FsException;

        /** The inode {@code name} names in {@code dir} ("." and ".." included), or null. */
        Inode lookup(Inode dir, byte[] name) throws FsException;

        /** The target of symlink {@code link}. */
        String readlink(Inode link) throws FsException;
    }

    /**
     * Where a path leads.
     *
     * @param parent the directory holding the last component (null for the root itself)
     * @param name the last component (null for the root itself)
     * @param target what it names, or null if nothing
     * @param trailingSlash the path ended in '/'
     */
    record Location(Inode parent, byte[] name, Inode target, boolean trailingSlash) {
        boolean isDotOrDotDot() {
            return name != null && (Arrays.equals(name, DOT) || Arrays.equals(name, DOTDOT));
        }
    }

    private final Lookup lookup;

    PathWalker(Lookup lookup) {
        this.lookup = lookup;
    }

    /** Walks {@code path}, following a symlink in the last component if {@code followLast}. */
    Location locate(String path, boolean followLast) throws FsException {
        if (path == null || path.isEmpty()) {
            throw FsException.of(Errno.ENOENT, path == null ? "" : path, "empty path");
        }
        byte[] raw = path.getBytes(StandardCharsets.UTF_8);
        if (raw.length >= PATH_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG, path);
        }
        boolean trailingSlash = path.length() > 1 && path.endsWith("/");
        Deque<byte[]> parts = split(path);
        Inode root = lookup.root();
        Inode dir = root;
        int links = 0;
        if (parts.isEmpty()) {
            return new Location(null, null, root, trailingSlash);
        }
        while (true) {
            byte[] name = parts.pollFirst();
            if (!dir.isDirectory()) {
                throw FsException.of(Errno.ENOTDIR, path);
            }
            Inode next = lookup.lookup(dir, name);
            boolean last = parts.isEmpty();
            if (next != null && next.type() == FileType.SYMLINK && (!last || followLast || trailingSlash)) {
                if (++links > MAX_SYMLINKS) {
                    throw FsException.of(Errno.ELOOP, path);
                }
                String target = lookup.readlink(next);
                Deque<byte[]> more = split(target);
                while (!more.isEmpty()) {
                    parts.addFirst(more.pollLast());
                }
                if (target.startsWith("/")) {
                    dir = root;
                }
                if (parts.isEmpty()) {
                    // A link to "/" (or to "." segments only) names the directory itself.
                    return new Location(null, null, dir, trailingSlash);
                }
                continue;
            }
            if (last) {
                if (trailingSlash && next != null && !next.isDirectory()) {
                    throw FsException.of(Errno.ENOTDIR, path);
                }
                return new Location(dir, name, next, trailingSlash);
            }
            if (next == null) {
                throw FsException.of(Errno.ENOENT, path);
            }
            dir = next;
        }
    }

    /** Splits a path into its non-empty components, checking each name's length. */
    static Deque<byte[]> split(String path) throws FsException {
        Deque<byte[]> out = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            byte[] b = part.getBytes(StandardCharsets.UTF_8);
            if (b.length > NAME_MAX) {
                throw FsException.of(Errno.ENAMETOOLONG, path);
            }
            out.addLast(b);
        }
        return out;
    }

    /** Checks a name that is about to be created. */
    static void checkNewName(byte[] name, String path) throws FsException {
        if (name.length == 0 || name.length > NAME_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG, path);
        }
        for (byte b : name) {
            if (b == 0 || b == '/') {
                throw FsException.of(Errno.EINVAL, path, "bad character in name");
            }
        }
    }
}
