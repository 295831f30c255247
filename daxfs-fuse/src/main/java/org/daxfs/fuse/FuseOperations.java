package org.daxfs.fuse;

import static org.daxfs.fuse.FuseProtocol.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.fs.ByInode;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.RenameFlag;
import org.daxfs.fs.Stat;

/**
 * The operations adapter: each FUSE opcode mapped to calls of the engine's {@link ByInode} view, with no file
 * system logic of its own. Node ids are inode numbers, except that the kernel's root (node id 1) is the engine's
 * root inode; lookups and creations take a hold on the inode that FORGET drops, so a node id the kernel knows
 * always names the same file. Files are created as the requesting process's uid and gid; permissions are the
 * kernel's to check (the mount uses default_permissions).
 *
 * <p>What the adapter keeps itself is protocol state only: the table of open file handles (FUSE's {@code fh})
 * and the advisory locks ({@link LockTable}).
 *
 * <p>Writes go where the kernel says: a handle is never opened with APPEND, because the kernel has already put
 * an O_APPEND write at the end of file, and writes back mapped pages through any writable handle of the file.
 *
 * <p>Locking: the engine's, per call; the handle table is a concurrent map; the lock table has its own monitor.
 */
final class FuseOperations implements FuseSession.Handler {
    /** INIT flags DaxFS asks for (the kernel grants those it supports). */
    static final int WANTED_FLAGS = ASYNC_READ | POSIX_LOCKS | ATOMIC_O_TRUNC | BIG_WRITES | FLOCK_LOCKS
            | HAS_IOCTL_DIR | DO_READDIRPLUS | READDIRPLUS_AUTO | ASYNC_DIO | PARALLEL_DIROPS | MAX_PAGES;

    private final DaxFileSystem fs;
    private final ByInode ops;
    private final long rootIno;
    private final int maxWrite;
    private final long entryValidNanos;
    private final long attrValidNanos;
    private final Consumer<String> log;
    private final ConcurrentHashMap<Long, OpenFile> files = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);
    private final LockTable locks = new LockTable();
    private volatile FuseSession session;

    /** An open file: the engine handle and the inode it is open on. */
    private record OpenFile(FileHandle handle, long ino) {
    }

    FuseOperations(DaxFileSystem fs, int maxWrite, long entryValidNanos, long attrValidNanos, Consumer<String> log) {
        this.fs = fs;
        this.ops = fs.byInode();
        this.rootIno = ops.rootIno();
        this.maxWrite = maxWrite;
        this.entryValidNanos = entryValidNanos;
        this.attrValidNanos = attrValidNanos;
        this.log = log;
    }

    /** The session that deferred replies go through. */
    void attach(FuseSession s) {
        this.session = s;
    }

    /** The lock table, for tests. */
    LockTable locks() {
        return locks;
    }

    /** The engine inode of node id {@code nodeid}. */
    long ino(long nodeid) {
        return nodeid == ROOT_ID ? rootIno : nodeid;
    }

    /** The node id of engine inode {@code ino}. */
    long nodeid(long ino) {
        return ino == rootIno ? ROOT_ID : ino;
    }

    /** Closes every handle still open (the kernel went away without releasing them). */
    void closeAll() {
        for (Long fh : List.copyOf(files.keySet())) {
            OpenFile f = files.remove(fh);
            if (f != null) {
                try {
                    f.handle().close();
                } catch (FsException e) {
                    log.accept("closing inode " + f.ino() + ": " + e.getMessage());
                }
            }
        }
    }

    @Override
    public int handle(FuseCodec.InHeader h, MemorySegment msg, MemorySegment out) throws FsException {
        return switch (h.opcode()) {
            case INIT -> init(msg, out);
            case DESTROY -> 0;
            case LOOKUP -> entry(out, ops.lookup(ino(h.nodeid()), FuseCodec.nameIn(msg)));
            case FORGET -> {
                forget(h.nodeid(), FuseCodec.forgetIn(msg));
                yield FuseSession.NO_REPLY;
            }
            case BATCH_FORGET -> {
                for (FuseCodec.ForgetOne f : FuseCodec.batchForgetIn(msg)) {
                    forget(f.nodeid(), f.nlookup());
                }
                yield FuseSession.NO_REPLY;
            }
            case GETATTR -> FuseCodec.attrOut(out, 0, ops.getattr(ino(h.nodeid())), attrValidNanos);
            case SETATTR -> setattr(h, msg, out);
            case READLINK -> bytes(out, ops.readlink(ino(h.nodeid())));
            case SYMLINK -> {
                FuseCodec.SymlinkIn in = FuseCodec.symlinkIn(msg);
                yield entry(out, ops.symlink(ino(h.nodeid()), in.name(), in.target(), h.uid(), h.gid()));
            }
            case MKNOD -> {
                FuseCodec.MknodIn in = FuseCodec.mknodIn(msg);
                yield entry(out, ops.mknod(ino(h.nodeid()), in.name(), in.mode(), h.uid(), h.gid()));
            }
            case MKDIR -> {
                FuseCodec.MkdirIn in = FuseCodec.mkdirIn(msg);
                yield entry(out, ops.mkdir(ino(h.nodeid()), in.name(), in.mode(), h.uid(), h.gid()));
            }
            case UNLINK -> {
                ops.unlink(ino(h.nodeid()), FuseCodec.nameIn(msg));
                yield 0;
            }
            case RMDIR -> {
                ops.rmdir(ino(h.nodeid()), FuseCodec.nameIn(msg));
                yield 0;
            }
            case RENAME, RENAME2 -> rename(h, msg);
            case LINK -> {
                FuseCodec.LinkIn in = FuseCodec.linkIn(msg);
                yield entry(out, ops.link(ino(in.oldNodeid()), ino(h.nodeid()), in.newName()));
            }
            case OPEN -> open(h, msg, out);
            case CREATE -> create(h, msg, out);
            case READ -> read(msg, out);
            case WRITE -> write(msg, out);
            case STATFS -> FuseCodec.statfsOut(out, 0, fs.statfs());
            case RELEASE -> release(h, msg);
            case FLUSH -> {
                FuseCodec.FlushIn in = FuseCodec.flushIn(msg);
                locks.releaseOwner(ino(h.nodeid()), false, in.lockOwner());
                yield 0;
            }
            case FSYNC -> {
                FuseCodec.FsyncIn in = FuseCodec.fsyncIn(msg);
                FileHandle f = file(in.fh()).handle();
                if ((in.fsyncFlags() & FSYNC_FDATASYNC) != 0) {
                    f.fdatasync();
                } else {
                    f.fsync();
                }
                yield 0;
            }
            case OPENDIR -> {
                if (!ops.getattr(ino(h.nodeid())).isDirectory()) {
                    throw FsException.of(Errno.ENOTDIR, null);
                }
                yield FuseCodec.openOut(out, 0, 0, 0);
            }
            case READDIR -> readdir(h, msg, out, false);
            case READDIRPLUS -> readdir(h, msg, out, true);
            case RELEASEDIR, FSYNCDIR -> 0;
            case SYNCFS -> {
                fs.sync();
                yield 0;
            }
            case SETXATTR -> {
                FuseCodec.SetxattrIn in = FuseCodec.setxattrIn(msg);
                ops.setXattr(ino(h.nodeid()), string(in.name()), in.value(), in.flags());
                yield 0;
            }
            case GETXATTR -> {
                FuseCodec.GetxattrIn in = FuseCodec.getxattrIn(msg, true);
                yield sized(out, in.size(), ops.getXattr(ino(h.nodeid()), string(in.name())));
            }
            case LISTXATTR -> listxattr(h, msg, out);
            case REMOVEXATTR -> {
                ops.removeXattr(ino(h.nodeid()), string(FuseCodec.nameIn(msg)));
                yield 0;
            }
            case FALLOCATE -> fallocate(msg);
            case LSEEK -> lseek(h, msg, out);
            case COPY_FILE_RANGE -> copyFileRange(msg, out);
            case IOCTL -> ioctl(h, msg, out);
            case GETLK -> getlk(h, msg, out);
            case SETLK -> setlk(h, msg, false);
            case SETLKW -> setlk(h, msg, true);
            case INTERRUPT -> {
                locks.interrupt(FuseCodec.interruptIn(msg));
                yield FuseSession.NO_REPLY;
            }
            default -> throw new FuseError(FuseError.ENOSYS, FuseProtocol.opcodeName(h.opcode()) + " is not served");
        };
    }

    // ---- INIT ---------------------------------------------------------------------------------------------

    private int init(MemorySegment msg, MemorySegment out) {
        FuseCodec.InitIn in = FuseCodec.initIn(msg);
        if (in.major() != KERNEL_VERSION || in.minor() < KERNEL_MINOR_VERSION) {
            log.accept("the kernel speaks FUSE " + in.major() + "." + in.minor() + "; DaxFS needs "
                    + KERNEL_VERSION + "." + KERNEL_MINOR_VERSION + " or newer");
            throw new FuseError(FuseError.EPROTO, "protocol " + in.major() + "." + in.minor());
        }
        int flags = in.flags() & WANTED_FLAGS;
        return FuseCodec.initOut(out, 0, new FuseCodec.InitOut(KERNEL_VERSION, KERNEL_MINOR_VERSION, in.maxReadahead(),
                flags, 16, 12, maxWrite, 1, maxWrite / 4096));
    }

    // ---- names and attributes ------------------------------------------------------------------------------

    /**
     * Drops the kernel's lookups of a node; the root's first lookup was the mount's, not one of ours. FORGET has no
     * reply, so a failure (a dead device) is only logged, and the rest of a batch still goes through.
     */
    private void forget(long nodeid, long count) {
        if (nodeid == ROOT_ID) {
            return;
        }
        try {
            ops.forget(ino(nodeid), count);
        } catch (FsException e) {
            if (e.errno() != Errno.EIO) {
                log.accept("FORGET of node " + nodeid + ": " + e.getMessage());
            }
        }
    }

    private int entry(MemorySegment out, Stat st) {
        return FuseCodec.entryOut(out, 0, nodeid(st.ino()), st, entryValidNanos, attrValidNanos);
    }

    private int setattr(FuseCodec.InHeader h, MemorySegment msg, MemorySegment out) throws FsException {
        FuseCodec.SetattrIn in = FuseCodec.setattrIn(msg);
        int v = in.valid();
        ByInode.AttributeChange c = ByInode.AttributeChange.none();
        if ((v & FATTR_MODE) != 0) {
            c = c.withMode(in.mode() & 07777);
        }
        if ((v & (FATTR_UID | FATTR_GID)) != 0) {
            c = c.withOwner((v & FATTR_UID) != 0 ? in.uid() : ByInode.KEEP, (v & FATTR_GID) != 0 ? in.gid() : ByInode.KEEP);
        }
        if ((v & FATTR_SIZE) != 0) {
            if (in.size() < 0) {
                throw FsException.of(Errno.EFBIG, null);
            }
            c = c.withSize(in.size());
        }
        long atime = DaxFileSystem.UTIME_OMIT;
        long mtime = DaxFileSystem.UTIME_OMIT;
        if ((v & FATTR_ATIME_NOW) != 0) {
            atime = DaxFileSystem.UTIME_NOW;
        } else if ((v & FATTR_ATIME) != 0) {
            atime = in.atime() * 1_000_000_000L + Integer.toUnsignedLong(in.atimensec());
        }
        if ((v & FATTR_MTIME_NOW) != 0) {
            mtime = DaxFileSystem.UTIME_NOW;
        } else if ((v & FATTR_MTIME) != 0) {
            mtime = in.mtime() * 1_000_000_000L + Integer.toUnsignedLong(in.mtimensec());
        }
        c = c.withTimes(atime, mtime);
        return FuseCodec.attrOut(out, 0, ops.setAttributes(ino(h.nodeid()), c), attrValidNanos);
    }

    private int rename(FuseCodec.InHeader h, MemorySegment msg) throws FsException {
        FuseCodec.RenameIn in = FuseCodec.renameIn(msg, h.opcode() == RENAME2);
        if ((in.flags() & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) != 0) {
            throw new FuseError(FuseError.EINVAL, "rename flags 0x" + Integer.toHexString(in.flags()));
        }
        List<RenameFlag> flags = new ArrayList<>();
        if ((in.flags() & RENAME_NOREPLACE) != 0) {
            flags.add(RenameFlag.NOREPLACE);
        }
        if ((in.flags() & RENAME_EXCHANGE) != 0) {
            flags.add(RenameFlag.EXCHANGE);
        }
        ops.rename(ino(h.nodeid()), in.oldName(), ino(in.newDir()), in.newName(), flags.toArray(RenameFlag[]::new));
        return 0;
    }

    // ---- files ---------------------------------------------------------------------------------------------

    /** The engine's open flags for open(2) flags: always READ (the kernel checks access), WRITE if asked. */
    private static Set<OpenFlag> openFlags(int flags, boolean create) {
        Set<OpenFlag> f = EnumSet.of(OpenFlag.READ);
        int access = flags & O_ACCMODE;
        if (access == O_WRONLY || access == O_RDWR) {
            f.add(OpenFlag.WRITE);
        }
        if ((flags & O_TRUNC) != 0) {
            f.add(OpenFlag.TRUNCATE);
            f.add(OpenFlag.WRITE);
        }
        if (create && (flags & O_EXCL) != 0) {
            f.add(OpenFlag.EXCLUSIVE);
        }
        return f;
    }

    private long register(FileHandle handle, long ino) {
        long fh = nextHandle.getAndIncrement();
        files.put(fh, new OpenFile(handle, ino));
        return fh;
    }

    private OpenFile file(long fh) {
        OpenFile f = files.get(fh);
        if (f == null) {
            throw new FuseError(FuseError.EBADF, "no open file " + fh);
        }
        return f;
    }

    private int open(FuseCodec.InHeader h, MemorySegment msg, MemorySegment out) throws FsException {
        FuseCodec.OpenIn in = FuseCodec.openIn(msg);
        long ino = ino(h.nodeid());
        FileHandle handle = ops.open(ino, openFlags(in.flags(), false));
        return FuseCodec.openOut(out, 0, register(handle, ino), FOPEN_KEEP_CACHE);
    }

    private int create(FuseCodec.InHeader h, MemorySegment msg, MemorySegment out) throws FsException {
        FuseCodec.CreateIn in = FuseCodec.createIn(msg);
        Set<OpenFlag> flags = openFlags(in.flags(), true);
        flags.add(OpenFlag.WRITE); // a new file's handle may write whatever the access mode (creat(2) of mode 0444)
        ByInode.Created c = ops.create(ino(h.nodeid()), in.name(), in.mode(), h.uid(), h.gid(), flags);
        long fh = register(c.handle(), c.stat().ino());
        int n = entry(out, c.stat());
        return n + FuseCodec.openOut(out, n, fh, FOPEN_KEEP_CACHE);
    }

    private int read(MemorySegment msg, MemorySegment out) throws FsException {
        FuseCodec.ReadIn in = FuseCodec.readIn(msg);
        FileHandle f = file(in.fh()).handle();
        long size = Math.min(Integer.toUnsignedLong(in.size()), out.byteSize());
        long n = f.read(out.asSlice(0, size), in.offset());
        return (int) Math.max(0, n);
    }

    private int write(MemorySegment msg, MemorySegment out) throws FsException {
        FuseCodec.WriteIn in = FuseCodec.writeIn(msg);
        FileHandle f = file(in.fh()).handle();
        long n = f.write(FuseCodec.writeData(msg, in), in.offset());
        return FuseCodec.writeOut(out, 0, (int) n);
    }

    private int release(FuseCodec.InHeader h, MemorySegment msg) throws FsException {
        FuseCodec.ReleaseIn in = FuseCodec.releaseIn(msg);
        if ((in.releaseFlags() & RELEASE_FLOCK_UNLOCK) != 0) {
            locks.releaseOwner(ino(h.nodeid()), true, in.lockOwner());
        }
        locks.releaseHandle(ino(h.nodeid()), in.fh());
        OpenFile f = files.remove(in.fh());
        if (f != null) {
            f.handle().close();
        }
        return 0;
    }

    private int fallocate(MemorySegment msg) throws FsException {
        FuseCodec.FallocateIn in = FuseCodec.fallocateIn(msg);
        FileHandle f = file(in.fh()).handle();
        int mode = in.mode();
        boolean keep = (mode & FALLOC_FL_KEEP_SIZE) != 0;
        switch (mode & ~FALLOC_FL_KEEP_SIZE) {
            case 0 -> f.allocate(in.offset(), in.length(), keep);
            case FALLOC_FL_PUNCH_HOLE -> {
                if (!keep) {
                    throw FsException.of(Errno.EOPNOTSUPP, null, "punch hole needs KEEP_SIZE");
                }
                f.punchHole(in.offset(), in.length());
            }
            case FALLOC_FL_ZERO_RANGE -> f.zeroRange(in.offset(), in.length(), keep);
            default -> throw FsException.of(Errno.EOPNOTSUPP, null, "fallocate mode 0x" + Integer.toHexString(mode));
        }
        return 0;
    }

    private int lseek(FuseCodec.InHeader h, MemorySegment msg, MemorySegment out) throws FsException {
        FuseCodec.LseekIn in = FuseCodec.lseekIn(msg);
        long ino = ino(h.nodeid());
        long at = switch (in.whence()) {
            case SEEK_DATA -> ops.seek(ino, in.offset(), true);
            case SEEK_HOLE -> ops.seek(ino, in.offset(), false);
            default -> throw new FuseError(FuseError.EINVAL, "lseek whence " + in.whence());
        };
        return FuseCodec.lseekOut(out, 0, at);
    }

    private int copyFileRange(MemorySegment msg, MemorySegment out) throws FsException {
        FuseCodec.CopyFileRangeIn in = FuseCodec.copyFileRangeIn(msg);
        if (in.flags() != 0) {
            throw new FuseError(FuseError.EINVAL, "copy_file_range flags");
        }
        // The reply counts in 32 bits; a caller copies on after a short count.
        long len = Math.min(in.len(), 1L << 30);
        long n = SparseCopy.copy(ops, file(in.fhIn()).handle(), in.offIn(), file(in.fhOut()).handle(), in.offOut(), len);
        return FuseCodec.writeOut(out, 0, (int) n);
    }

    // ---- directories --------------------------------------------------------------------------------------

    private static final int DT_DIR = 4;

    /**
     * READDIR and READDIRPLUS. Offsets: 0 starts, 1 is after ".", 2 after ".."; an engine entry's offset is its
     * cookie (cookies are 63-bit hashes; one below 3 is sent as 3, which at worst skips another entry sharing
     * such a cookie, a chance of about 2^-120). Entries that share a cookie go out together or not at all.
     */
    private int readdir(FuseCodec.InHeader h, MemorySegment msg, MemorySegment out, boolean plus) throws FsException {
        FuseCodec.ReadIn in = FuseCodec.readIn(msg);
        long dir = ino(h.nodeid());
        int size = (int) Math.min(Integer.toUnsignedLong(in.size()), out.byteSize());
        long offset = in.offset();
        int used = 0;
        if (offset == 0) {
            int need = plus ? FuseCodec.direntplusSize(1) : FuseCodec.direntSize(1);
            if (need > size) {
                throw new FuseError(FuseError.EINVAL, "readdir buffer of " + size + " bytes");
            }
            used += dot(out, used, plus, dir, 1, new byte[] {'.'});
        }
        if (offset <= 1) {
            int need = plus ? FuseCodec.direntplusSize(2) : FuseCodec.direntSize(2);
            if (used + need > size) {
                return used;
            }
            used += dot(out, used, plus, parentOf(dir), 2, new byte[] {'.', '.'});
        }
        long cookie = offset <= 2 ? 0 : offset;
        while (true) {
            int room = size - used;
            int max = Math.max(1, Math.min(1024, room / (plus ? FuseCodec.direntplusSize(8) : FuseCodec.direntSize(8))));
            List<ByInode.Entry> page = ops.readdir(dir, cookie, max, plus);
            if (page.isEmpty()) {
                return used;
            }
            int i = 0;
            boolean full = false;
            while (i < page.size()) {
                int j = i;
                int need = 0;
                while (j < page.size() && page.get(j).cookie() == page.get(i).cookie()) {
                    need += plus ? FuseCodec.direntplusSize(page.get(j).name().length)
                            : FuseCodec.direntSize(page.get(j).name().length);
                    j++;
                }
                if (used + need > size) {
                    full = true;
                    break;
                }
                for (; i < j; i++) {
                    ByInode.Entry e = page.get(i);
                    long next = Math.max(3, e.cookie());
                    int type = e.type().modeBits() >>> 12;
                    used += plus
                            ? FuseCodec.direntplus(out, used, nodeid(e.ino()), e.stat(), entryValidNanos, attrValidNanos,
                                    e.ino(), next, type, e.name())
                            : FuseCodec.dirent(out, used, e.ino(), next, type, e.name());
                    cookie = e.cookie();
                }
            }
            if (plus) {
                for (int k = i; k < page.size(); k++) {
                    ops.forget(page.get(k).ino(), 1);
                }
            }
            if (full) {
                return used;
            }
        }
    }

    private int dot(MemorySegment out, int at, boolean plus, long ino, long next, byte[] name) {
        return plus ? FuseCodec.direntplus(out, at, 0, null, 0, 0, ino, next, DT_DIR, name)
                : FuseCodec.dirent(out, at, ino, next, DT_DIR, name);
    }

    /** The inode number of {@code dir}'s parent, for the ".." entry (the directory itself if that fails). */
    private long parentOf(long dir) {
        try {
            long parent = ops.lookup(dir, new byte[] {'.', '.'}).ino();
            ops.forget(parent, 1);
            return parent;
        } catch (FsException e) {
            return dir;
        }
    }

    // ---- extended attributes --------------------------------------------------------------------------------

    private int listxattr(FuseCodec.InHeader h, MemorySegment msg, MemorySegment out) throws FsException {
        FuseCodec.GetxattrIn in = FuseCodec.getxattrIn(msg, false);
        java.io.ByteArrayOutputStream names = new java.io.ByteArrayOutputStream();
        for (String n : ops.listXattrs(ino(h.nodeid()))) {
            names.writeBytes(n.getBytes(StandardCharsets.UTF_8));
            names.write(0);
        }
        return sized(out, in.size(), names.toByteArray());
    }

    /** getxattr/listxattr's answer: the size needed when asked with size 0, else the bytes (ERANGE if too many). */
    private static int sized(MemorySegment out, int size, byte[] value) {
        if (size == 0) {
            return FuseCodec.getxattrOut(out, 0, value.length);
        }
        if (Integer.toUnsignedLong(size) < value.length) {
            throw new FuseError(FuseError.ERANGE, "value of " + value.length + " bytes");
        }
        return bytes(out, value);
    }

    private static int bytes(MemorySegment out, byte[] b) {
        MemorySegment.copy(b, 0, out, ValueLayout.JAVA_BYTE, 0, b.length);
        return b.length;
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- ioctl: the DAX flag ---------------------------------------------------------------------------------

    private int ioctl(FuseCodec.InHeader h, MemorySegment msg, MemorySegment out) throws FsException {
        FuseCodec.IoctlIn in = FuseCodec.ioctlIn(msg);
        long ino = ino(h.nodeid());
        MemorySegment data = FuseCodec.ioctlData(msg, in);
        int n = FuseCodec.ioctlOut(out, 0, 0);
        switch (in.cmd()) {
            case FS_IOC_FSGETXATTR -> {
                Stat st = ops.getattr(ino);
                int size = Math.min(in.outSize(), FSXATTR_SIZE);
                MemorySegment x = out.asSlice(n, FSXATTR_SIZE);
                x.fill((byte) 0);
                x.set(FuseCodec.U32, 0, st.isDax() ? FS_XFLAG_DAX : 0);
                x.set(FuseCodec.U32, 8, st.isRegular() ? ops.extents(ino).size() : 0); // fsx_nextents
                return n + size;
            }
            case FS_IOC_FSSETXATTR -> {
                if (data.byteSize() < FSXATTR_SIZE) {
                    throw new FuseError(FuseError.EINVAL, "short fsxattr");
                }
                int xflags = data.get(FuseCodec.U32, 0);
                if ((xflags & ~FS_XFLAG_DAX) != 0) {
                    throw FsException.of(Errno.EOPNOTSUPP, null, "xflags 0x" + Integer.toHexString(xflags));
                }
                setDax(ino, (xflags & FS_XFLAG_DAX) != 0);
                return n;
            }
            case FS_IOC_GETFLAGS -> {
                int size = Math.min(in.outSize(), 4);
                out.set(FuseCodec.U32, n, ops.getattr(ino).isDax() ? FS_DAX_FL : 0);
                return n + size;
            }
            case FS_IOC_SETFLAGS -> {
                if (data.byteSize() < 4) {
                    throw new FuseError(FuseError.EINVAL, "short flags");
                }
                int flags = data.get(FuseCodec.U32, 0);
                if ((flags & ~FS_DAX_FL) != 0) {
                    throw FsException.of(Errno.EOPNOTSUPP, null, "flags 0x" + Integer.toHexString(flags));
                }
                setDax(ino, (flags & FS_DAX_FL) != 0);
                return n;
            }
            default -> throw new FuseError(FuseError.ENOTTY, "ioctl 0x" + Integer.toHexString(in.cmd()));
        }
    }

    private void setDax(long ino, boolean dax) throws FsException {
        int flags = ops.getattr(ino).flags() & ~Stat.FLAG_DAX_ACTIVE; // a state, not a flag one can set
        ops.setFlags(ino, dax ? flags | Stat.FLAG_DAX : flags & ~Stat.FLAG_DAX);
    }

    // ---- locks ------------------------------------------------------------------------------------------------

    private int getlk(FuseCodec.InHeader h, MemorySegment msg, MemorySegment out) {
        FuseCodec.LkIn in = FuseCodec.lkIn(msg);
        LockTable.Lock want = new LockTable.Lock(in.owner(), in.start(), in.end(), in.type(), in.pid(), in.fh());
        LockTable.Lock c = locks.conflict(ino(h.nodeid()), (in.lkFlags() & LK_FLOCK) != 0, want);
        if (c == null) {
            return FuseCodec.lkOut(out, 0, in.start(), in.end(), F_UNLCK, 0);
        }
        return FuseCodec.lkOut(out, 0, c.start(), c.end(), c.type(), c.pid());
    }

    private int setlk(FuseCodec.InHeader h, MemorySegment msg, boolean wait) {
        FuseCodec.LkIn in = FuseCodec.lkIn(msg);
        if (in.type() != F_RDLCK && in.type() != F_WRLCK && in.type() != F_UNLCK) {
            throw new FuseError(FuseError.EINVAL, "lock type " + in.type());
        }
        boolean flock = (in.lkFlags() & LK_FLOCK) != 0;
        long start = flock ? 0 : in.start();
        long end = flock ? OFFSET_MAX : in.end();
        if (start < 0 || end < start) {
            throw new FuseError(FuseError.EINVAL, "lock range " + start + ".." + end);
        }
        // Whether it is an OFD lock matters only to deadlock detection, and only for a lock that is kept or waited for.
        boolean ofd = !flock && in.type() != F_UNLCK && OfdLockProbe.isOfd(in.pid(), h.pid());
        LockTable.Lock want = new LockTable.Lock(in.owner(), start, end, in.type(), in.pid(), in.fh(), ofd);
        long ino = ino(h.nodeid());
        if (!wait) {
            if (!locks.tryLock(ino, flock, want)) {
                throw new FuseError(FuseError.EAGAIN, "lock held");
            }
            return 0;
        }
        FuseSession s = session;
        long unique = h.unique();
        if (locks.lockOrWait(unique, ino, flock, want, error -> s.reply(unique, error, new byte[0]))) {
            return 0;
        }
        return FuseSession.DEFERRED;
    }
}
