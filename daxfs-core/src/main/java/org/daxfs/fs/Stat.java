package org.daxfs.fs;

/**
 * The attributes of an inode, as stat(2) gives them. Times are nanoseconds since the epoch.
 *
 * @param ino inode number
 * @param mode file type and permission bits (st_mode)
 * @param nlink link count
 * @param uid owner
 * @param gid group
 * @param size size in bytes
 * @param blocks bytes of device space allocated to the file's data (for a directory, its blocks) and its
 *     extended-attribute block; the extent tree's own node blocks are not counted
 * @param atime last access
 * @param mtime last data modification
 * @param ctime last status change
 * @param btime creation
 * @param flags per-file flags ({@link #FLAG_DAX}), and {@link #FLAG_DAX_ACTIVE} when the file is DAX now
 */
public record Stat(long ino, int mode, int nlink, int uid, int gid, long size, long blocks,
                   long atime, long mtime, long ctime, long btime, int flags) {
    /** The file's data is accessed directly (DAX), not through a page cache. */
    public static final int FLAG_DAX = 1;
    /**
     * Not a flag that can be set: the file is DAX now (statx's STATX_ATTR_DAX, same value). With the mount
     * option {@code dax=inode} it follows {@link #FLAG_DAX}; {@code dax=always} and {@code dax=never} decide
     * for every file.
     */
    public static final int FLAG_DAX_ACTIVE = 0x00200000;

    public FileType type() {
        return FileType.ofMode(mode);
    }

    /** Permission bits (07777). */
    public int permissions() {
        return mode & 07777;
    }

    public boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    public boolean isRegular() {
        return type() == FileType.REGULAR;
    }

    public boolean isSymlink() {
        return type() == FileType.SYMLINK;
    }

    /** The file's DAX flag (stored; inherited by new files in a directory that has it). */
    public boolean isDax() {
        return (flags & FLAG_DAX) != 0;
    }

    /** The file is accessed directly now (DAX), not through the page cache. */
    public boolean isDaxActive() {
        return (flags & FLAG_DAX_ACTIVE) != 0;
    }

    /** st_blocks: allocated space in 512-byte units. */
    public long blocks512() {
        return blocks / 512;
    }
}
