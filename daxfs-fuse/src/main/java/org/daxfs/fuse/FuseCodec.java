package org.daxfs.fuse;

import static org.daxfs.fuse.FuseProtocol.IN_HEADER_SIZE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.daxfs.fs.Stat;
import org.daxfs.fs.StatFs;

/**
 * The FUSE protocol's structs as bytes: requests decoded from the message the kernel wrote, replies encoded
 * into the buffer written back. Pure Java over {@link MemorySegment}, in the host's byte order (the protocol's),
 * with the offsets of linux/fuse.h at protocol 7.31. Each request struct is a record; a body that is too short
 * or a name without its terminating NUL is a {@link MalformedRequestException} (the session answers EINVAL).
 *
 * <p>Locking: none; stateless.
 */
final class FuseCodec {
    private FuseCodec() {
    }

    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ORDER);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ORDER);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ORDER);

    /** A request whose body does not hold what its opcode needs. */
    static final class MalformedRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedRequestException(String message) {
            super(message);
        }
    }

    // ---- request: header ---------------------------------------------------------------------------------

    /** fuse_in_header (40 bytes). */
    record InHeader(int length, int opcode, long unique, long nodeid, int uid, int gid, int pid) {
    }

    static InHeader header(MemorySegment msg) {
        if (msg.byteSize() < IN_HEADER_SIZE) {
            throw new MalformedRequestException("message of " + msg.byteSize() + " bytes is shorter than its header");
        }
        return new InHeader(msg.get(U32, 0), msg.get(U32, 4), msg.get(U64, 8), msg.get(U64, 16),
                msg.get(U32, 24), msg.get(U32, 28), msg.get(U32, 32));
    }

    // ---- request: bodies (offsets relative to the end of the header) ---------------------------------------------

    /** fuse_init_in: the fields DaxFS reads (the first 16 bytes, the same in every version). */
    record InitIn(int major, int minor, int maxReadahead, int flags) {
    }

    static InitIn initIn(MemorySegment msg) {
        need(msg, 16);
        return new InitIn(u32(msg, 0), u32(msg, 4), u32(msg, 8), u32(msg, 12));
    }

    /** fuse_forget_in. */
    static long forgetIn(MemorySegment msg) {
        need(msg, 8);
        return u64(msg, 0);
    }

    /** One fuse_forget_one of a batch. */
    record ForgetOne(long nodeid, long nlookup) {
    }

    /** fuse_batch_forget_in followed by its fuse_forget_one entries. */
    static List<ForgetOne> batchForgetIn(MemorySegment msg) {
        need(msg, 8);
        int count = u32(msg, 0);
        need(msg, 8 + 16L * count);
        List<ForgetOne> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new ForgetOne(u64(msg, 8 + 16 * i), u64(msg, 16 + 16 * i)));
        }
        return out;
    }

    /** fuse_getattr_in (16 bytes). */
    record GetattrIn(int flags, long fh) {
    }

    static GetattrIn getattrIn(MemorySegment msg) {
        need(msg, 16);
        return new GetattrIn(u32(msg, 0), u64(msg, 8));
    }

    /** fuse_setattr_in (88 bytes). */
    record SetattrIn(int valid, long fh, long size, long lockOwner, long atime, long mtime, long ctime,
                     int atimensec, int mtimensec, int ctimensec, int mode, int uid, int gid) {
    }

    static SetattrIn setattrIn(MemorySegment msg) {
        need(msg, 88);
        return new SetattrIn(u32(msg, 0), u64(msg, 8), u64(msg, 16), u64(msg, 24), u64(msg, 32), u64(msg, 40),
                u64(msg, 48), u32(msg, 56), u32(msg, 60), u32(msg, 64), u32(msg, 68), u32(msg, 76), u32(msg, 80));
    }

    /** fuse_open_in (8 bytes), for OPEN and OPENDIR. */
    record OpenIn(int flags, int openFlags) {
    }

    static OpenIn openIn(MemorySegment msg) {
        need(msg, 8);
        return new OpenIn(u32(msg, 0), u32(msg, 4));
    }

    /** fuse_create_in (16 bytes) and the name. */
    record CreateIn(int flags, int mode, int umask, int openFlags, byte[] name) {
    }

    static CreateIn createIn(MemorySegment msg) {
        need(msg, 16);
        return new CreateIn(u32(msg, 0), u32(msg, 4), u32(msg, 8), u32(msg, 12), cstring(msg, 16));
    }

    /** fuse_mknod_in (16 bytes) and the name. */
    record MknodIn(int mode, int rdev, int umask, byte[] name) {
    }

    static MknodIn mknodIn(MemorySegment msg) {
        need(msg, 16);
        return new MknodIn(u32(msg, 0), u32(msg, 4), u32(msg, 8), cstring(msg, 16));
    }

    /** fuse_mkdir_in (8 bytes) and the name. */
    record MkdirIn(int mode, int umask, byte[] name) {
    }

    static MkdirIn mkdirIn(MemorySegment msg) {
        need(msg, 8);
        return new MkdirIn(u32(msg, 0), u32(msg, 4), cstring(msg, 8));
    }

    /** A name alone: LOOKUP, UNLINK, RMDIR, REMOVEXATTR. */
    static byte[] nameIn(MemorySegment msg) {
        return cstring(msg, 0);
    }

    /** SYMLINK: the new name, then the target. */
    record SymlinkIn(byte[] name, byte[] target) {
    }

    static SymlinkIn symlinkIn(MemorySegment msg) {
        byte[] name = cstring(msg, 0);
        return new SymlinkIn(name, cstring(msg, name.length + 1));
    }

    /** fuse_rename_in (8 bytes) or fuse_rename2_in (16 bytes), then the old and the new name. */
    record RenameIn(long newDir, int flags, byte[] oldName, byte[] newName) {
    }

    static RenameIn renameIn(MemorySegment msg, boolean rename2) {
        int size = rename2 ? 16 : 8;
        need(msg, size);
        byte[] oldName = cstring(msg, size);
        return new RenameIn(u64(msg, 0), rename2 ? u32(msg, 8) : 0, oldName, cstring(msg, size + oldName.length + 1));
    }

    /** fuse_link_in (8 bytes) and the new name. */
    record LinkIn(long oldNodeid, byte[] newName) {
    }

    static LinkIn linkIn(MemorySegment msg) {
        need(msg, 8);
        return new LinkIn(u64(msg, 0), cstring(msg, 8));
    }

    /** fuse_read_in (40 bytes), for READ, READDIR and READDIRPLUS. */
    record ReadIn(long fh, long offset, int size, int readFlags, long lockOwner, int flags) {
    }

    static ReadIn readIn(MemorySegment msg) {
        need(msg, 40);
        return new ReadIn(u64(msg, 0), u64(msg, 8), u32(msg, 16), u32(msg, 20), u64(msg, 24), u32(msg, 32));
    }

    /** fuse_write_in (40 bytes); the data follows it. */
    record WriteIn(long fh, long offset, int size, int writeFlags, long lockOwner, int flags) {
    }

    static WriteIn writeIn(MemorySegment msg) {
        need(msg, 40);
        WriteIn w = new WriteIn(u64(msg, 0), u64(msg, 8), u32(msg, 16), u32(msg, 20), u64(msg, 24), u32(msg, 32));
        need(msg, 40L + Integer.toUnsignedLong(w.size()));
        return w;
    }

    /** The data of a WRITE: {@code size} bytes after fuse_write_in. */
    static MemorySegment writeData(MemorySegment msg, WriteIn w) {
        return msg.asSlice(IN_HEADER_SIZE + FuseProtocol.WRITE_IN_SIZE, Integer.toUnsignedLong(w.size()));
    }

    /** fuse_release_in (24 bytes), for RELEASE and RELEASEDIR. */
    record ReleaseIn(long fh, int flags, int releaseFlags, long lockOwner) {
    }

    static ReleaseIn releaseIn(MemorySegment msg) {
        need(msg, 24);
        return new ReleaseIn(u64(msg, 0), u32(msg, 8), u32(msg, 12), u64(msg, 16));
    }

    /** fuse_flush_in (24 bytes). */
    record FlushIn(long fh, long lockOwner) {
    }

    static FlushIn flushIn(MemorySegment msg) {
        need(msg, 24);
        return new FlushIn(u64(msg, 0), u64(msg, 16));
    }

    /** fuse_fsync_in (16 bytes), for FSYNC and FSYNCDIR. */
    record FsyncIn(long fh, int fsyncFlags) {
    }

    static FsyncIn fsyncIn(MemorySegment msg) {
        need(msg, 16);
        return new FsyncIn(u64(msg, 0), u32(msg, 8));
    }

    /** fuse_setxattr_in of protocol 7.31 (8 bytes), the name, then {@code size} bytes of value. */
    record SetxattrIn(int size, int flags, byte[] name, byte[] value) {
    }

    static SetxattrIn setxattrIn(MemorySegment msg) {
        need(msg, FuseProtocol.SETXATTR_IN_SIZE);
        int size = u32(msg, 0);
        byte[] name = cstring(msg, 8);
        long at = 8L + name.length + 1;
        need(msg, at + Integer.toUnsignedLong(size));
        byte[] value = msg.asSlice(IN_HEADER_SIZE + at, Integer.toUnsignedLong(size)).toArray(ValueLayout.JAVA_BYTE);
        return new SetxattrIn(size, u32(msg, 4), name, value);
    }

    /** fuse_getxattr_in (8 bytes) and, for GETXATTR, the name (null for LISTXATTR). */
    record GetxattrIn(int size, byte[] name) {
    }

    static GetxattrIn getxattrIn(MemorySegment msg, boolean named) {
        need(msg, 8);
        return new GetxattrIn(u32(msg, 0), named ? cstring(msg, 8) : null);
    }

    /** fuse_lk_in (48 bytes), for GETLK, SETLK and SETLKW. */
    record LkIn(long fh, long owner, long start, long end, int type, int pid, int lkFlags) {
    }

    static LkIn lkIn(MemorySegment msg) {
        need(msg, 48);
        return new LkIn(u64(msg, 0), u64(msg, 8), u64(msg, 16), u64(msg, 24), u32(msg, 32), u32(msg, 36), u32(msg, 40));
    }

    /** fuse_interrupt_in: the unique id of the request to interrupt. */
    static long interruptIn(MemorySegment msg) {
        need(msg, 8);
        return u64(msg, 0);
    }

    /** fuse_ioctl_in (32 bytes); {@code inSize} bytes of input follow it. */
    record IoctlIn(long fh, int flags, int cmd, long arg, int inSize, int outSize) {
    }

    static IoctlIn ioctlIn(MemorySegment msg) {
        need(msg, 32);
        IoctlIn in = new IoctlIn(u64(msg, 0), u32(msg, 8), u32(msg, 12), u64(msg, 16), u32(msg, 24), u32(msg, 28));
        need(msg, 32L + Integer.toUnsignedLong(in.inSize()));
        return in;
    }

    /** The input data of an IOCTL. */
    static MemorySegment ioctlData(MemorySegment msg, IoctlIn in) {
        return msg.asSlice(IN_HEADER_SIZE + 32, Integer.toUnsignedLong(in.inSize()));
    }

    /** fuse_fallocate_in (32 bytes). */
    record FallocateIn(long fh, long offset, long length, int mode) {
    }

    static FallocateIn fallocateIn(MemorySegment msg) {
        need(msg, 32);
        return new FallocateIn(u64(msg, 0), u64(msg, 8), u64(msg, 16), u32(msg, 24));
    }

    /** fuse_lseek_in (24 bytes). */
    record LseekIn(long fh, long offset, int whence) {
    }

    static LseekIn lseekIn(MemorySegment msg) {
        need(msg, 24);
        return new LseekIn(u64(msg, 0), u64(msg, 8), u32(msg, 16));
    }

    /** fuse_copy_file_range_in (56 bytes). */
    record CopyFileRangeIn(long fhIn, long offIn, long nodeidOut, long fhOut, long offOut, long len, long flags) {
    }

    static CopyFileRangeIn copyFileRangeIn(MemorySegment msg) {
        need(msg, 56);
        return new CopyFileRangeIn(u64(msg, 0), u64(msg, 8), u64(msg, 16), u64(msg, 24), u64(msg, 32), u64(msg, 40),
                u64(msg, 48));
    }

    // ---- replies ------------------------------------------------------------------------------------------

    /** fuse_out_header (16 bytes) at offset 0. */
    static void outHeader(MemorySegment buf, int length, int error, long unique) {
        buf.set(U32, 0, length);
        buf.set(U32, 4, error);
        buf.set(U64, 8, unique);
    }

    /** fuse_attr (88 bytes) of {@code st} at {@code off}. */
    static int attr(MemorySegment buf, long off, Stat st) {
        buf.set(U64, off, st.ino());
        buf.set(U64, off + 8, st.size());
        buf.set(U64, off + 16, st.blocks512());
        buf.set(U64, off + 24, seconds(st.atime()));
        buf.set(U64, off + 32, seconds(st.mtime()));
        buf.set(U64, off + 40, seconds(st.ctime()));
        buf.set(U32, off + 48, nanos(st.atime()));
        buf.set(U32, off + 52, nanos(st.mtime()));
        buf.set(U32, off + 56, nanos(st.ctime()));
        buf.set(U32, off + 60, st.mode());
        buf.set(U32, off + 64, st.nlink());
        buf.set(U32, off + 68, st.uid());
        buf.set(U32, off + 72, st.gid());
        buf.set(U32, off + 76, 0);      // rdev
        buf.set(U32, off + 80, 4096);   // blksize
        buf.set(U32, off + 84, 0);      // flags
        return FuseProtocol.ATTR_SIZE;
    }

    /** fuse_entry_out (128 bytes); a null {@code st} with node id 0 is a negative or attribute-less entry. */
    static int entryOut(MemorySegment buf, long off, long nodeid, Stat st, long entryValidNanos, long attrValidNanos) {
        buf.set(U64, off, nodeid);
        buf.set(U64, off + 8, 0);   // generation
        buf.set(U64, off + 16, entryValidNanos / 1_000_000_000L);
        buf.set(U64, off + 24, attrValidNanos / 1_000_000_000L);
        buf.set(U32, off + 32, (int) (entryValidNanos % 1_000_000_000L));
        buf.set(U32, off + 36, (int) (attrValidNanos % 1_000_000_000L));
        if (st == null) {
            buf.asSlice(off + 40, FuseProtocol.ATTR_SIZE).fill((byte) 0);
        } else {
            attr(buf, off + 40, st);
        }
        return FuseProtocol.ENTRY_OUT_SIZE;
    }

    /** fuse_attr_out (104 bytes). */
    static int attrOut(MemorySegment buf, long off, Stat st, long attrValidNanos) {
        buf.set(U64, off, attrValidNanos / 1_000_000_000L);
        buf.set(U32, off + 8, (int) (attrValidNanos % 1_000_000_000L));
        buf.set(U32, off + 12, 0);
        attr(buf, off + 16, st);
        return FuseProtocol.ATTR_OUT_SIZE;
    }

    /** fuse_init_out (64 bytes). */
    record InitOut(int major, int minor, int maxReadahead, int flags, int maxBackground, int congestionThreshold,
                   int maxWrite, int timeGran, int maxPages) {
    }

    static int initOut(MemorySegment buf, long off, InitOut o) {
        buf.asSlice(off, FuseProtocol.INIT_OUT_SIZE).fill((byte) 0);
        buf.set(U32, off, o.major());
        buf.set(U32, off + 4, o.minor());
        buf.set(U32, off + 8, o.maxReadahead());
        buf.set(U32, off + 12, o.flags());
        buf.set(U16, off + 16, (short) o.maxBackground());
        buf.set(U16, off + 18, (short) o.congestionThreshold());
        buf.set(U32, off + 20, o.maxWrite());
        buf.set(U32, off + 24, o.timeGran());
        buf.set(U16, off + 28, (short) o.maxPages());
        return FuseProtocol.INIT_OUT_SIZE;
    }

    /** fuse_open_out (16 bytes). */
    static int openOut(MemorySegment buf, long off, long fh, int openFlags) {
        buf.set(U64, off, fh);
        buf.set(U32, off + 8, openFlags);
        buf.set(U32, off + 12, 0);
        return FuseProtocol.OPEN_OUT_SIZE;
    }

    /** fuse_write_out (8 bytes), also the reply of COPY_FILE_RANGE. */
    static int writeOut(MemorySegment buf, long off, int size) {
        buf.set(U32, off, size);
        buf.set(U32, off + 4, 0);
        return FuseProtocol.WRITE_OUT_SIZE;
    }

    /** fuse_statfs_out (80 bytes). */
    static int statfsOut(MemorySegment buf, long off, StatFs s) {
        buf.asSlice(off, FuseProtocol.STATFS_OUT_SIZE).fill((byte) 0);
        buf.set(U64, off, s.totalBlocks());
        buf.set(U64, off + 8, s.freeBlocks());
        buf.set(U64, off + 16, s.availableBlocks());
        buf.set(U64, off + 24, s.totalInodes());
        buf.set(U64, off + 32, s.freeInodes());
        buf.set(U32, off + 40, s.blockSize());
        buf.set(U32, off + 44, s.maxNameLength());
        buf.set(U32, off + 48, s.blockSize()); // frsize
        return FuseProtocol.STATFS_OUT_SIZE;
    }

    /** fuse_getxattr_out (8 bytes): the size a value or name list needs. */
    static int getxattrOut(MemorySegment buf, long off, int size) {
        buf.set(U32, off, size);
        buf.set(U32, off + 4, 0);
        return FuseProtocol.GETXATTR_OUT_SIZE;
    }

    /** fuse_lk_out (24 bytes). */
    static int lkOut(MemorySegment buf, long off, long start, long end, int type, int pid) {
        buf.set(U64, off, start);
        buf.set(U64, off + 8, end);
        buf.set(U32, off + 16, type);
        buf.set(U32, off + 20, pid);
        return FuseProtocol.LK_OUT_SIZE;
    }

    /** fuse_lseek_out (8 bytes). */
    static int lseekOut(MemorySegment buf, long off, long offset) {
        buf.set(U64, off, offset);
        return FuseProtocol.LSEEK_OUT_SIZE;
    }

    /** fuse_ioctl_out (16 bytes): a result and no retry. */
    static int ioctlOut(MemorySegment buf, long off, int result) {
        buf.set(U32, off, result);
        buf.set(U32, off + 4, 0);
        buf.set(U32, off + 8, 0);
        buf.set(U32, off + 12, 0);
        return FuseProtocol.IOCTL_OUT_SIZE;
    }

    /** Bytes a fuse_dirent with a name of {@code nameLength} takes, padded to 8. */
    static int direntSize(int nameLength) {
        return align8(FuseProtocol.DIRENT_SIZE + nameLength);
    }

    /** Bytes a fuse_direntplus with a name of {@code nameLength} takes, padded to 8. */
    static int direntplusSize(int nameLength) {
        return align8(FuseProtocol.DIRENTPLUS_SIZE + nameLength);
    }

    /** fuse_dirent at {@code off}, zero-padded to 8 bytes; returns its size. */
    static int dirent(MemorySegment buf, long off, long ino, long nextOffset, int type, byte[] name) {
        buf.set(U64, off, ino);
        buf.set(U64, off + 8, nextOffset);
        buf.set(U32, off + 16, name.length);
        buf.set(U32, off + 20, type);
        MemorySegment.copy(name, 0, buf, ValueLayout.JAVA_BYTE, off + 24, name.length);
        int size = direntSize(name.length);
        buf.asSlice(off + 24 + name.length, size - 24 - name.length).fill((byte) 0);
        return size;
    }

    /** fuse_direntplus at {@code off}: an entry (node id 0 and no attributes when {@code st} is null), a dirent. */
    static int direntplus(MemorySegment buf, long off, long nodeid, Stat st, long entryValidNanos, long attrValidNanos,
                          long ino, long nextOffset, int type, byte[] name) {
        entryOut(buf, off, nodeid, st, entryValidNanos, attrValidNanos);
        return FuseProtocol.ENTRY_OUT_SIZE + dirent(buf, off + FuseProtocol.ENTRY_OUT_SIZE, ino, nextOffset, type, name);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static int align8(int n) {
        return (n + 7) & ~7;
    }

    private static long seconds(long nanos) {
        return Math.floorDiv(nanos, 1_000_000_000L);
    }

    private static int nanos(long nanos) {
        return (int) Math.floorMod(nanos, 1_000_000_000L);
    }

    private static int u32(MemorySegment msg, long off) {
        return msg.get(U32, IN_HEADER_SIZE + off);
    }

    private static long u64(MemorySegment msg, long off) {
        return msg.get(U64, IN_HEADER_SIZE + off);
    }

    private static void need(MemorySegment msg, long bodyBytes) {
        if (msg.byteSize() < IN_HEADER_SIZE + bodyBytes) {
            throw new MalformedRequestException("body of " + (msg.byteSize() - IN_HEADER_SIZE) + " bytes, "
                    + bodyBytes + " needed");
        }
    }

    /** The NUL-terminated string at body offset {@code off}, without its NUL. */
    static byte[] cstring(MemorySegment msg, long off) {
        long start = IN_HEADER_SIZE + off;
        long end = msg.byteSize();
        for (long i = start; i < end; i++) {
            if (msg.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return msg.asSlice(start, i - start).toArray(ValueLayout.JAVA_BYTE);
            }
        }
        throw new MalformedRequestException("name without its terminating NUL");
    }

    /** A name for logs. */
    static String printable(byte[] name) {
        return new String(name, StandardCharsets.UTF_8);
    }
}
