package org.daxfs.fuse;

/**
 * The numbers of the FUSE kernel protocol (linux/fuse.h) that DaxFS speaks: opcodes, flags and struct sizes.
 * DaxFS answers INIT with protocol 7.31, so the kernel sends and expects the structs of that version (a
 * fuse_setxattr_in of 8 bytes, no request extensions).
 */
final class FuseProtocol {
    private FuseProtocol() {
    }

    static final int KERNEL_VERSION = 7;
    static final int KERNEL_MINOR_VERSION = 31;
    /** The node id of the root directory. */
    static final long ROOT_ID = 1;

    // ---- opcodes ---------------------------------------------------------------------------------------
    static final int LOOKUP = 1;
    static final int FORGET = 2;
    static final int GETATTR = 3;
    static final int SETATTR = 4;
    static final int READLINK = 5;
    static final int SYMLINK = 6;
    static final int MKNOD = 8;
    static final int MKDIR = 9;
    static final int UNLINK = 10;
    static final int RMDIR = 11;
    static final int RENAME = 12;
    static final int LINK = 13;
    static final int OPEN = 14;
    static final int READ = 15;
    static final int WRITE = 16;
    static final int STATFS = 17;
    static final int RELEASE = 18;
    static final int FSYNC = 20;
    static final int SETXATTR = 21;
    static final int GETXATTR = 22;
    static final int LISTXATTR = 23;
    static final int REMOVEXATTR = 24;
    static final int FLUSH = 25;
    static final int INIT = 26;
    static final int OPENDIR = 27;
    static final int READDIR = 28;
    static final int RELEASEDIR = 29;
    static final int FSYNCDIR = 30;
    static final int GETLK = 31;
    static final int SETLK = 32;
    static final int SETLKW = 33;
    static final int ACCESS = 34;
    static final int CREATE = 35;
    static final int INTERRUPT = 36;
    static final int BMAP = 37;
    static final int DESTROY = 38;
    static final int IOCTL = 39;
    static final int POLL = 40;
    static final int NOTIFY_REPLY = 41;
    static final int BATCH_FORGET = 42;
    static final int FALLOCATE = 43;
    static final int READDIRPLUS = 44;
    static final int RENAME2 = 45;
    static final int LSEEK = 46;
    static final int COPY_FILE_RANGE = 47;
    static final int SYNCFS = 50;
    static final int TMPFILE = 51;

    /** The opcode's name as linux/fuse.h spells it (without FUSE_), for logs. */
    static String opcodeName(int opcode) {
        return switch (opcode) {
            case LOOKUP -> "LOOKUP";
            case FORGET -> "FORGET";
            case GETATTR -> "GETATTR";
            case SETATTR -> "SETATTR";
            case READLINK -> "READLINK";
            case SYMLINK -> "SYMLINK";
            case MKNOD -> "MKNOD";
            case MKDIR -> "MKDIR";
            case UNLINK -> "UNLINK";
            case RMDIR -> "RMDIR";
            case RENAME -> "RENAME";
            case LINK -> "LINK";
            case OPEN -> "OPEN";
            case READ -> "READ";
            case WRITE -> "WRITE";
            case STATFS -> "STATFS";
            case RELEASE -> "RELEASE";
            case FSYNC -> "FSYNC";
            case SETXATTR -> "SETXATTR";
            case GETXATTR -> "GETXATTR";
            case LISTXATTR -> "LISTXATTR";
            case REMOVEXATTR -> "REMOVEXATTR";
            case FLUSH -> "FLUSH";
            case INIT -> "INIT";
            case OPENDIR -> "OPENDIR";
            case READDIR -> "READDIR";
            case RELEASEDIR -> "RELEASEDIR";
            case FSYNCDIR -> "FSYNCDIR";
            case GETLK -> "GETLK";
            case SETLK -> "SETLK";
            case SETLKW -> "SETLKW";
            case ACCESS -> "ACCESS";
            case CREATE -> "CREATE";
            case INTERRUPT -> "INTERRUPT";
            case BMAP -> "BMAP";
            case DESTROY -> "DESTROY";
            case IOCTL -> "IOCTL";
            case POLL -> "POLL";
            case NOTIFY_REPLY -> "NOTIFY_REPLY";
            case BATCH_FORGET -> "BATCH_FORGET";
            case FALLOCATE -> "FALLOCATE";
            case READDIRPLUS -> "READDIRPLUS";
            case RENAME2 -> "RENAME2";
            case LSEEK -> "LSEEK";
            case COPY_FILE_RANGE -> "COPY_FILE_RANGE";
            case SYNCFS -> "SYNCFS";
            case TMPFILE -> "TMPFILE";
            default -> "opcode " + opcode;
        };
    }

    // ---- INIT flags ------------------------------------------------------------------------------------
    static final int ASYNC_READ = 1;
    static final int POSIX_LOCKS = 1 << 1;
    static final int ATOMIC_O_TRUNC = 1 << 3;
    static final int BIG_WRITES = 1 << 5;
    static final int FLOCK_LOCKS = 1 << 10;
    static final int HAS_IOCTL_DIR = 1 << 11;
    static final int DO_READDIRPLUS = 1 << 13;
    static final int READDIRPLUS_AUTO = 1 << 14;
    static final int ASYNC_DIO = 1 << 15;
    static final int PARALLEL_DIROPS = 1 << 18;
    static final int MAX_PAGES = 1 << 22;
    static final int CACHE_SYMLINKS = 1 << 23;

    // ---- setattr valid bits ----------------------------------------------------------------------------
    static final int FATTR_MODE = 1;
    static final int FATTR_UID = 1 << 1;
    static final int FATTR_GID = 1 << 2;
    static final int FATTR_SIZE = 1 << 3;
    static final int FATTR_ATIME = 1 << 4;
    static final int FATTR_MTIME = 1 << 5;
    static final int FATTR_FH = 1 << 6;
    static final int FATTR_ATIME_NOW = 1 << 7;
    static final int FATTR_MTIME_NOW = 1 << 8;

    // ---- other flags -----------------------------------------------------------------------------------
    static final int FOPEN_KEEP_CACHE = 1 << 1;
    static final int RELEASE_FLOCK_UNLOCK = 1 << 1;
    static final int FSYNC_FDATASYNC = 1;
    static final int LK_FLOCK = 1;
    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    static final int FALLOC_FL_ZERO_RANGE = 0x10;
    static final int RENAME_NOREPLACE = 1;
    static final int RENAME_EXCHANGE = 2;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final int F_RDLCK = 0;
    static final int F_WRLCK = 1;
    static final int F_UNLCK = 2;
    static final long OFFSET_MAX = Long.MAX_VALUE;

    // ---- open(2) flags the kernel passes on --------------------------------------------------------------
    static final int O_ACCMODE = 3;
    static final int O_WRONLY = 1;
    static final int O_RDWR = 2;
    static final int O_EXCL = 0200;
    static final int O_TRUNC = 01000;

    // ---- ioctls: the per-file DAX flag -------------------------------------------------------------------
    static final int FS_IOC_GETFLAGS = 0x80086601;
    static final int FS_IOC_SETFLAGS = 0x40086602;
    static final int FS_IOC_FSGETXATTR = 0x801c581f;
    static final int FS_IOC_FSSETXATTR = 0x401c5820;
    static final int FS_XFLAG_DAX = 0x00008000;
    static final int FS_DAX_FL = 0x02000000;
    static final int FSXATTR_SIZE = 28;

    // ---- struct sizes (linux/fuse.h, protocol 7.31) -----------------------------------------------------------
    static final int IN_HEADER_SIZE = 40;
    static final int OUT_HEADER_SIZE = 16;
    static final int ATTR_SIZE = 88;
    static final int ENTRY_OUT_SIZE = 128;
    static final int ATTR_OUT_SIZE = 104;
    static final int INIT_OUT_SIZE = 64;
    static final int OPEN_OUT_SIZE = 16;
    static final int WRITE_OUT_SIZE = 8;
    static final int STATFS_OUT_SIZE = 80;
    static final int GETXATTR_OUT_SIZE = 8;
    static final int LK_OUT_SIZE = 24;
    static final int LSEEK_OUT_SIZE = 8;
    static final int IOCTL_OUT_SIZE = 16;
    static final int DIRENT_SIZE = 24;
    static final int DIRENTPLUS_SIZE = ENTRY_OUT_SIZE + DIRENT_SIZE;
    static final int WRITE_IN_SIZE = 40;
    static final int READ_IN_SIZE = 40;
    static final int SETXATTR_IN_SIZE = 8;

    /** The smallest read buffer the kernel accepts. */
    static final int MIN_READ_BUFFER = 8192;
}
