package org.daxfs.cli;

import org.daxfs.fs.FileType;

/** st_mode as ls -l shows it: {@code drwxr-xr-x}, with setuid, setgid and sticky bits. */
public final class Modes {
    private Modes() {
    }

    public static String toString(int mode) {
        StringBuilder s = new StringBuilder(10);
        FileType type = FileType.ofMode(mode);
        s.append(type == null ? '?' : switch (type) {
            case REGULAR -> '-';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
        });
        triplet(s, mode >> 6, (mode & 04000) != 0, 's');
        triplet(s, mode >> 3, (mode & 02000) != 0, 's');
        triplet(s, mode, (mode & 01000) != 0, 't');
        return s.toString();
    }

    /** The permission bits in octal, as stat(1) shows them: {@code 0644}. */
    public static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }

    /** Type names as stat(1) prints them. */
    public static String typeName(int mode) {
        FileType type = FileType.ofMode(mode);
        if (type == null) {
            return "unknown type " + String.format("%06o", mode & FileType.S_IFMT);
        }
        return switch (type) {
            case REGULAR -> "regular file";
            case DIRECTORY -> "directory";
            case SYMLINK -> "symbolic link";
        };
    }

    // One rwx group; the special bit replaces x: lower case when x is set too, upper case when not.
    private static void triplet(StringBuilder s, int bits, boolean special, char specialChar) {
        s.append((bits & 4) != 0 ? 'r' : '-');
        s.append((bits & 2) != 0 ? 'w' : '-');
        boolean x = (bits & 1) != 0;
        if (special) {
            s.append(x ? specialChar : Character.toUpperCase(specialChar));
        } else {
            s.append(x ? 'x' : '-');
        }
    }
}
