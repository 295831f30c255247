package org.daxfs.fs;

/** What an inode is. The codes are the S_IFMT bits of st_mode. */
public enum FileType {
    REGULAR(0100000),
    DIRECTORY(0040000),
    SYMLINK(0120000);

    public static final int S_IFMT = 0170000;

    private final int modeBits;

    FileType(int modeBits) {
        this.modeBits = modeBits;
    }

    /** The S_IFMT bits of this type. */
    public int modeBits() {
        return modeBits;
    }

    /** The type in {@code mode}, or null if it is none DaxFS stores. */
    public static FileType ofMode(int mode) {
        int t = mode & S_IFMT;
        for (FileType f : values()) {
            if (f.modeBits == t) {
                return f;
            }
        }
        return null;
    }
}
