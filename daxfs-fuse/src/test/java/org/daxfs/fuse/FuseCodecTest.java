package org.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.daxfs.fs.Stat;
import org.daxfs.fs.StatFs;
import org.junit.jupiter.api.Test;

/**
 * The protocol codec against the byte layouts of linux/fuse.h (sizes as sizeof gives them on Linux x86-64 and
 * aarch64): each request struct built field by field and decoded, each reply struct encoded and compared byte
 * for byte with the same struct built field by field. No mount needed.
 */
class FuseCodecTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MemorySegment buffer(int size) {
        MemorySegment m = MemorySegment.ofArray(new byte[size]);
        m.fill((byte) 0x5a); // encoders must write every byte of their struct
        return m;
    }

    private static byte[] bytes(MemorySegment m, int size) {
        return m.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
    }

    private static final Stat STAT = new Stat(17, 0100644, 3, 1000, 100, 123_456, 8192 + 4096,
            1_700_000_000_123_456_789L, 1_700_000_001_000_000_001L, -1L, 5, Stat.FLAG_DAX);

    /** fuse_attr of STAT, field by field (88 bytes). */
    private static Bytes attrOfStat() {
        return Bytes.of().u64(17).u64(123_456).u64((8192 + 4096) / 512)
                .u64(1_700_000_000L).u64(1_700_000_001L).u64(-1)          // atime, mtime, ctime (s)
                .u32(123_456_789).u32(1).u32(999_999_999)                  // atimensec, mtimensec, ctimensec
                .u32(0100644).u32(3).u32(1000).u32(100).u32(0).u32(4096).u32(0); // mode nlink uid gid rdev blksize flags
    }

    // ---- sizes ---------------------------------------------------------------------------------------------

    @Test
    void structSizesAreThoseOfLinuxFuseH() {
        assertEquals(40, FuseProtocol.IN_HEADER_SIZE);
        assertEquals(16, FuseProtocol.OUT_HEADER_SIZE);
        assertEquals(88, FuseProtocol.ATTR_SIZE);
        assertEquals(128, FuseProtocol.ENTRY_OUT_SIZE);
        assertEquals(104, FuseProtocol.ATTR_OUT_SIZE);
        assertEquals(64, FuseProtocol.INIT_OUT_SIZE);
        assertEquals(16, FuseProtocol.OPEN_OUT_SIZE);
        assertEquals(8, FuseProtocol.WRITE_OUT_SIZE);
        assertEquals(80, FuseProtocol.STATFS_OUT_SIZE);
        assertEquals(24, FuseProtocol.LK_OUT_SIZE);
        assertEquals(16, FuseProtocol.IOCTL_OUT_SIZE);
        assertEquals(24, FuseProtocol.DIRENT_SIZE);
        assertEquals(152, FuseProtocol.DIRENTPLUS_SIZE);
        assertEquals(40, FuseProtocol.WRITE_IN_SIZE);
        assertEquals(88, attrOfStat().size());
    }

    // ---- requests ------------------------------------------------------------------------------------------

    @Test
    void inHeader() {
        MemorySegment m = Bytes.of().request(FuseProtocol.GETATTR, 0x1122334455667788L, 99, 1000, 100, 4242);
        assertEquals(40, m.byteSize());
        assertEquals(new FuseCodec.InHeader(40, FuseProtocol.GETATTR, 0x1122334455667788L, 99, 1000, 100, 4242),
                FuseCodec.header(m));
        assertThrows(FuseCodec.MalformedRequestException.class, () -> FuseCodec.header(MemorySegment.ofArray(new byte[39])));
    }

    @Test
    void initIn() {
        // fuse_init_in: major, minor, max_readahead, flags, flags2, unused[11] = 64 bytes
        MemorySegment m = Bytes.of().u32(7).u32(41).u32(131072).u32(0x73fffffb).u32(0).zeros(44).request(FuseProtocol.INIT, 0);
        assertEquals(104, m.byteSize());
        assertEquals(new FuseCodec.InitIn(7, 41, 131072, 0x73fffffb), FuseCodec.initIn(m));
        // A kernel of before 7.36 sends only the first 16 bytes.
        MemorySegment old = Bytes.of().u32(7).u32(31).u32(65536).u32(1).request(FuseProtocol.INIT, 0);
        assertEquals(31, FuseCodec.initIn(old).minor());
    }

    @Test
    void forgetAndBatchForget() {
        assertEquals(5, FuseCodec.forgetIn(Bytes.of().u64(5).request(FuseProtocol.FORGET, 9)));
        MemorySegment m = Bytes.of().u32(2).u32(0).u64(10).u64(1).u64(11).u64(3).request(FuseProtocol.BATCH_FORGET, 0);
        assertEquals(List.of(new FuseCodec.ForgetOne(10, 1), new FuseCodec.ForgetOne(11, 3)), FuseCodec.batchForgetIn(m));
        MemorySegment short_ = Bytes.of().u32(3).u32(0).u64(10).u64(1).request(FuseProtocol.BATCH_FORGET, 0);
        assertThrows(FuseCodec.MalformedRequestException.class, () -> FuseCodec.batchForgetIn(short_));
    }

    @Test
    void getattrIn() {
        MemorySegment m = Bytes.of().u32(1).u32(0).u64(44).request(FuseProtocol.GETATTR, 3);
        assertEquals(new FuseCodec.GetattrIn(1, 44), FuseCodec.getattrIn(m));
    }

    @Test
    void setattrIn() {
        // valid, padding, fh, size, lock_owner, atime, mtime, ctime, atimensec, mtimensec, ctimensec,
        // mode, unused4, uid, gid, unused5 = 88 bytes
        Bytes body = Bytes.of().u32(0x1ff).u32(0).u64(8).u64(4096).u64(77).u64(100).u64(200).u64(300)
                .u32(1).u32(2).u32(3).u32(0100600).u32(0).u32(1001).u32(1002).u32(0);
        assertEquals(88, body.size());
        FuseCodec.SetattrIn s = FuseCodec.setattrIn(body.request(FuseProtocol.SETATTR, 5));
        assertEquals(new FuseCodec.SetattrIn(0x1ff, 8, 4096, 77, 100, 200, 300, 1, 2, 3, 0100600, 1001, 1002), s);
    }

    @Test
    void openCreateMknodMkdir() {
        assertEquals(new FuseCodec.OpenIn(02, 0), FuseCodec.openIn(Bytes.of().u32(02).u32(0).request(FuseProtocol.OPEN, 5)));
        FuseCodec.CreateIn c = FuseCodec.createIn(Bytes.of().u32(0101).u32(0100644).u32(022).u32(0).cstring("new.txt")
                .request(FuseProtocol.CREATE, 1));
        assertEquals(0101, c.flags());
        assertEquals(0100644, c.mode());
        assertEquals(022, c.umask());
        assertArrayEquals(b("new.txt"), c.name());
        FuseCodec.MknodIn n = FuseCodec.mknodIn(Bytes.of().u32(0100600).u32(0).u32(022).u32(0).cstring("node")
                .request(FuseProtocol.MKNOD, 1));
        assertEquals(0100600, n.mode());
        assertArrayEquals(b("node"), n.name());
        FuseCodec.MkdirIn d = FuseCodec.mkdirIn(Bytes.of().u32(0755).u32(022).cstring("dir").request(FuseProtocol.MKDIR, 1));
        assertEquals(0755, d.mode());
        assertArrayEquals(b("dir"), d.name());
    }

    @Test
    void namesSymlinkRenameLink() {
        assertArrayEquals(b("x"), FuseCodec.nameIn(Bytes.of().cstring("x").request(FuseProtocol.LOOKUP, 1)));
        FuseCodec.SymlinkIn s = FuseCodec.symlinkIn(Bytes.of().cstring("link").cstring("../target").request(FuseProtocol.SYMLINK, 1));
        assertArrayEquals(b("link"), s.name());
        assertArrayEquals(b("../target"), s.target());
        FuseCodec.RenameIn r = FuseCodec.renameIn(Bytes.of().u64(12).cstring("a").cstring("bb").request(FuseProtocol.RENAME, 1), false);
        assertEquals(12, r.newDir());
        assertEquals(0, r.flags());
        assertArrayEquals(b("a"), r.oldName());
        assertArrayEquals(b("bb"), r.newName());
        FuseCodec.RenameIn r2 = FuseCodec.renameIn(Bytes.of().u64(13).u32(2).u32(0).cstring("c").cstring("d")
                .request(FuseProtocol.RENAME2, 1), true);
        assertEquals(new FuseCodec.RenameIn(13, 2, r2.oldName(), r2.newName()), r2);
        assertArrayEquals(b("d"), r2.newName());
        FuseCodec.LinkIn l = FuseCodec.linkIn(Bytes.of().u64(40).cstring("again").request(FuseProtocol.LINK, 1));
        assertEquals(40, l.oldNodeid());
        assertArrayEquals(b("again"), l.newName());
        assertThrows(FuseCodec.MalformedRequestException.class,
                () -> FuseCodec.nameIn(Bytes.of().raw(b("no-nul")).request(FuseProtocol.LOOKUP, 1)));
    }

    @Test
    void readWriteReleaseFlushFsync() {
        // fuse_read_in: fh, offset, size, read_flags, lock_owner, flags, padding = 40 bytes
        FuseCodec.ReadIn r = FuseCodec.readIn(Bytes.of().u64(3).u64(1 << 20).u32(131072).u32(2).u64(9).u32(0100002).u32(0)
                .request(FuseProtocol.READ, 5));
        assertEquals(new FuseCodec.ReadIn(3, 1 << 20, 131072, 2, 9, 0100002), r);
        // fuse_write_in: fh, offset, size, write_flags, lock_owner, flags, padding, then the data
        MemorySegment w = Bytes.of().u64(4).u64(8192).u32(5).u32(1).u64(0).u32(1).u32(0).raw(b("hello"))
                .request(FuseProtocol.WRITE, 5);
        FuseCodec.WriteIn wi = FuseCodec.writeIn(w);
        assertEquals(new FuseCodec.WriteIn(4, 8192, 5, 1, 0, 1), wi);
        assertArrayEquals(b("hello"), FuseCodec.writeData(w, wi).toArray(ValueLayout.JAVA_BYTE));
        MemorySegment truncated = Bytes.of().u64(4).u64(0).u32(6).u32(0).u64(0).u32(0).u32(0).raw(b("hello"))
                .request(FuseProtocol.WRITE, 5);
        assertThrows(FuseCodec.MalformedRequestException.class, () -> FuseCodec.writeIn(truncated));
        assertEquals(new FuseCodec.ReleaseIn(6, 02, 2, 55),
                FuseCodec.releaseIn(Bytes.of().u64(6).u32(02).u32(2).u64(55).request(FuseProtocol.RELEASE, 5)));
        assertEquals(new FuseCodec.FlushIn(6, 56),
                FuseCodec.flushIn(Bytes.of().u64(6).u32(0).u32(0).u64(56).request(FuseProtocol.FLUSH, 5)));
        assertEquals(new FuseCodec.FsyncIn(6, 1),
                FuseCodec.fsyncIn(Bytes.of().u64(6).u32(1).u32(0).request(FuseProtocol.FSYNC, 5)));
    }

    @Test
    void xattrs() {
        // protocol 7.31's fuse_setxattr_in: size, flags (8 bytes), then name, then value
        FuseCodec.SetxattrIn s = FuseCodec.setxattrIn(Bytes.of().u32(3).u32(1).cstring("user.k").raw(b("v\0w"))
                .request(FuseProtocol.SETXATTR, 5));
        assertEquals(3, s.size());
        assertEquals(1, s.flags());
        assertArrayEquals(b("user.k"), s.name());
        assertArrayEquals(new byte[] {'v', 0, 'w'}, s.value());
        FuseCodec.GetxattrIn g = FuseCodec.getxattrIn(Bytes.of().u32(64).u32(0).cstring("user.k").request(FuseProtocol.GETXATTR, 5), true);
        assertEquals(64, g.size());
        assertArrayEquals(b("user.k"), g.name());
        FuseCodec.GetxattrIn l = FuseCodec.getxattrIn(Bytes.of().u32(0).u32(0).request(FuseProtocol.LISTXATTR, 5), false);
        assertEquals(0, l.size());
        assertNull(l.name());
    }

    @Test
    void locksInterruptIoctlFallocateLseekCopy() {
        // fuse_lk_in: fh, owner, lk {start, end, type, pid}, lk_flags, padding = 48 bytes
        FuseCodec.LkIn lk = FuseCodec.lkIn(Bytes.of().u64(1).u64(0xabc).u64(10).u64(Long.MAX_VALUE).u32(1).u32(321).u32(1).u32(0)
                .request(FuseProtocol.SETLKW, 5));
        assertEquals(new FuseCodec.LkIn(1, 0xabc, 10, Long.MAX_VALUE, 1, 321, 1), lk);
        assertEquals(99, FuseCodec.interruptIn(Bytes.of().u64(99).request(FuseProtocol.INTERRUPT, 0)));
        // fuse_ioctl_in: fh, flags, cmd, arg, in_size, out_size = 32 bytes, then in_size bytes
        MemorySegment io = Bytes.of().u64(2).u32(0).u32(FuseProtocol.FS_IOC_FSSETXATTR).u64(0x7fff0000L).u32(28).u32(0)
                .u32(FuseProtocol.FS_XFLAG_DAX).zeros(24).request(FuseProtocol.IOCTL, 5);
        FuseCodec.IoctlIn ii = FuseCodec.ioctlIn(io);
        assertEquals(new FuseCodec.IoctlIn(2, 0, FuseProtocol.FS_IOC_FSSETXATTR, 0x7fff0000L, 28, 0), ii);
        assertEquals(28, FuseCodec.ioctlData(io, ii).byteSize());
        assertEquals(FuseProtocol.FS_XFLAG_DAX, FuseCodec.ioctlData(io, ii).get(FuseCodec.U32, 0));
        assertEquals(new FuseCodec.FallocateIn(3, 4096, 8192, 0x12),
                FuseCodec.fallocateIn(Bytes.of().u64(3).u64(4096).u64(8192).u32(0x12).u32(0).request(FuseProtocol.FALLOCATE, 5)));
        assertEquals(new FuseCodec.LseekIn(3, 100, 3),
                FuseCodec.lseekIn(Bytes.of().u64(3).u64(100).u32(3).u32(0).request(FuseProtocol.LSEEK, 5)));
        assertEquals(new FuseCodec.CopyFileRangeIn(1, 2, 3, 4, 5, 6, 0),
                FuseCodec.copyFileRangeIn(Bytes.of().u64(1).u64(2).u64(3).u64(4).u64(5).u64(6).u64(0)
                        .request(FuseProtocol.COPY_FILE_RANGE, 5)));
    }

    // ---- replies -------------------------------------------------------------------------------------------

    @Test
    void outHeader() {
        MemorySegment m = buffer(16);
        FuseCodec.outHeader(m, 16, -2, 0x0102030405060708L);
        assertArrayEquals(Bytes.of().u32(16).u32(-2).u64(0x0102030405060708L).array(), bytes(m, 16));
    }

    @Test
    void attrAndAttrOut() {
        MemorySegment m = buffer(104);
        assertEquals(88, FuseCodec.attr(m, 0, STAT));
        assertArrayEquals(attrOfStat().array(), bytes(m, 88));
        m = buffer(104);
        assertEquals(104, FuseCodec.attrOut(m, 0, STAT, 1_500_000_000L));
        // attr_valid, attr_valid_nsec, dummy, attr
        assertArrayEquals(Bytes.of().u64(1).u32(500_000_000).u32(0).raw(attrOfStat().array()).array(), bytes(m, 104));
    }

    @Test
    void entryOut() {
        MemorySegment m = buffer(128);
        assertEquals(128, FuseCodec.entryOut(m, 0, 17, STAT, 2_000_000_001L, 250_000_000L));
        // nodeid, generation, entry_valid, attr_valid, entry_valid_nsec, attr_valid_nsec, attr
        assertArrayEquals(Bytes.of().u64(17).u64(0).u64(2).u64(0).u32(1).u32(250_000_000).raw(attrOfStat().array()).array(),
                bytes(m, 128));
        m = buffer(128);
        FuseCodec.entryOut(m, 0, 0, null, 0, 0);
        assertArrayEquals(new byte[128], bytes(m, 128), "an entry without node id or attributes is all zeros");
    }

    @Test
    void initOut() {
        MemorySegment m = buffer(64);
        assertEquals(64, FuseCodec.initOut(m, 0, new FuseCodec.InitOut(7, 31, 131072, 0x400021, 16, 12, 1 << 20, 1, 256)));
        // major, minor, max_readahead, flags, max_background(16), congestion_threshold(16), max_write, time_gran,
        // max_pages(16), map_alignment(16), flags2, unused[7]
        assertArrayEquals(Bytes.of().u32(7).u32(31).u32(131072).u32(0x400021).u16(16).u16(12).u32(1 << 20).u32(1)
                .u16(256).u16(0).u32(0).zeros(28).array(), bytes(m, 64));
    }

    @Test
    void smallReplies() {
        MemorySegment m = buffer(16);
        FuseCodec.openOut(m, 0, 0x99, FuseProtocol.FOPEN_KEEP_CACHE);
        assertArrayEquals(Bytes.of().u64(0x99).u32(2).u32(0).array(), bytes(m, 16));
        m = buffer(8);
        FuseCodec.writeOut(m, 0, 4096);
        assertArrayEquals(Bytes.of().u32(4096).u32(0).array(), bytes(m, 8));
        m = buffer(8);
        FuseCodec.getxattrOut(m, 0, 12);
        assertArrayEquals(Bytes.of().u32(12).u32(0).array(), bytes(m, 8));
        m = buffer(24);
        FuseCodec.lkOut(m, 0, 5, 9, FuseProtocol.F_WRLCK, 77);
        assertArrayEquals(Bytes.of().u64(5).u64(9).u32(1).u32(77).array(), bytes(m, 24));
        m = buffer(8);
        FuseCodec.lseekOut(m, 0, 12288);
        assertArrayEquals(Bytes.of().u64(12288).array(), bytes(m, 8));
        m = buffer(16);
        FuseCodec.ioctlOut(m, 0, 0);
        assertArrayEquals(new byte[16], bytes(m, 16));
    }

    @Test
    void statfsOut() {
        MemorySegment m = buffer(80);
        assertEquals(80, FuseCodec.statfsOut(m, 0, new StatFs(4096, 1000, 900, 800, 500, 400, 255)));
        // fuse_kstatfs: blocks, bfree, bavail, files, ffree, bsize, namelen, frsize, padding, spare[6]
        assertArrayEquals(Bytes.of().u64(1000).u64(900).u64(800).u64(500).u64(400).u32(4096).u32(255).u32(4096).u32(0)
                .zeros(24).array(), bytes(m, 80));
    }

    @Test
    void direntsArePaddedToEightBytes() {
        assertEquals(32, FuseCodec.direntSize(1));
        assertEquals(32, FuseCodec.direntSize(8));
        assertEquals(40, FuseCodec.direntSize(9));
        assertEquals(160, FuseCodec.direntplusSize(5));
        MemorySegment m = buffer(64);
        assertEquals(32, FuseCodec.dirent(m, 0, 17, 3, 8, b("abc")));
        // ino, off, namelen, type, name, padding
        assertArrayEquals(Bytes.of().u64(17).u64(3).u32(3).u32(8).raw(b("abc")).zeros(5).array(), bytes(m, 32));
        m = buffer(160);
        assertEquals(160, FuseCodec.direntplus(m, 0, 17, STAT, 1_000_000_000L, 1_000_000_000L, 17, 12345, 8, b("f.txt")));
        assertArrayEquals(Bytes.of().u64(17).u64(0).u64(1).u64(1).u32(0).u32(0).raw(attrOfStat().array())
                .u64(17).u64(12345).u32(5).u32(8).raw(b("f.txt")).zeros(3).array(), bytes(m, 160));
    }
}
