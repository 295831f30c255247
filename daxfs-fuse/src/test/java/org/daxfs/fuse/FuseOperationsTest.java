package org.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.MountOptions;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operations adapter driven with encoded requests, without a mount: the replies it encodes, node ids and
 * holds, directory offsets, errors.
 */
class FuseOperationsTest {
    private Device device;
    private DaxFileSystem fs;
    private FuseOperations ops;
    private final List<String> log = new ArrayList<>();
    private final MemorySegment out = MemorySegment.ofArray(new byte[1 << 20]);

    @BeforeEach
    void setUp() throws Exception {
        device = Devices.memory(64 << 20);
        DaxFileSystem.format(device, FormatOptions.defaults());
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        ops = new FuseOperations(fs, 1 << 20, 1_000_000_000L, 1_000_000_000L, log::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        ops.closeAll();
        fs.close();
        device.close();
        assertEquals(List.of(), log);
    }

    private int call(MemorySegment request) throws FsException {
        return ops.handle(FuseCodec.header(request), request, out);
    }

    private static Bytes name(String n) {
        return Bytes.of().cstring(n);
    }

    private long nodeOf(int replyLength) {
        assertEquals(128, replyLength);
        return out.get(FuseCodec.U64, 0);
    }

    private static int errno(ThrowingCall c) {
        try {
            c.run();
        } catch (FsException e) {
            return e.errno().code();
        } catch (FuseError e) {
            return e.errno();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no error");
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void rootIsNodeOneAndAttributesComeBack() throws Exception {
        int n = call(Bytes.of().u32(0).u32(0).u64(0).request(FuseProtocol.GETATTR, FuseProtocol.ROOT_ID));
        assertEquals(104, n);
        assertEquals(fs.stat("/").ino(), out.get(FuseCodec.U64, 16), "attr.ino is the engine's inode number");
        assertEquals(040755, out.get(FuseCodec.U32, 16 + 60));
        long dir = nodeOf(call(Bytes.of().u32(0750).u32(022).cstring("d").request(FuseProtocol.MKDIR, 9, 1, 1234, 567, 1)));
        assertEquals(fs.stat("/d").ino(), dir);
        assertEquals(1234, fs.stat("/d").uid(), "created as the requesting uid");
        assertEquals(567, fs.stat("/d").gid());
        assertEquals(dir, nodeOf(call(name("d").request(FuseProtocol.LOOKUP, 1))));
        assertEquals(Errno.ENOENT.code(), errno(() -> call(name("nothing").request(FuseProtocol.LOOKUP, 1))));
    }

    @Test
    void createWriteReadRelease() throws Exception {
        int n = call(Bytes.of().u32(0102).u32(0100640).u32(022).u32(0).cstring("f").request(FuseProtocol.CREATE, 1));
        assertEquals(128 + 16, n);
        long node = out.get(FuseCodec.U64, 0);
        long fh = out.get(FuseCodec.U64, 128);
        assertEquals(0640, fs.stat("/f").permissions());
        byte[] data = "0123456789".getBytes(StandardCharsets.UTF_8);
        n = call(Bytes.of().u64(fh).u64(4096).u32(data.length).u32(0).u64(0).u32(0).u32(0).raw(data)
                .request(FuseProtocol.WRITE, node));
        assertEquals(8, n);
        assertEquals(10, out.get(FuseCodec.U32, 0));
        n = call(Bytes.of().u64(fh).u64(4090).u32(100).u32(0).u64(0).u32(0).u32(0).request(FuseProtocol.READ, node));
        assertEquals(16, n, "a read stops at the end of file");
        assertEquals(0, out.get(ValueLayout.JAVA_BYTE, 0));
        assertEquals('0', out.get(ValueLayout.JAVA_BYTE, 6));
        n = call(Bytes.of().u64(fh).u64(1 << 20).u32(100).u32(0).u64(0).u32(0).u32(0).request(FuseProtocol.READ, node));
        assertEquals(0, n, "past the end: nothing");
        assertEquals(0, call(Bytes.of().u64(fh).u32(0).u32(0).u64(0).request(FuseProtocol.RELEASE, node)));
        assertEquals(FuseError.EBADF,
                errno(() -> call(Bytes.of().u64(fh).u64(0).u32(1).u32(0).u64(0).u32(0).u32(0).request(FuseProtocol.READ, node))));
        assertEquals(Errno.EEXIST.code(), errno(() -> call(Bytes.of().u32(0302).u32(0100640).u32(0).u32(0).cstring("f")
                .request(FuseProtocol.CREATE, 1))), "O_EXCL");
    }

    @Test
    void openTruncatesWithOTrunc() throws Exception {
        try (FileHandle h = fs.open("/f", OpenFlag.WRITE, OpenFlag.CREATE)) {
            h.write(java.nio.ByteBuffer.wrap(new byte[5000]), 0);
        }
        long node = fs.stat("/f").ino();
        assertEquals(16, call(Bytes.of().u32(01001).u32(0).request(FuseProtocol.OPEN, node)));
        assertEquals(0, fs.stat("/f").size());
    }

    /** Lists a directory the way the kernel does, a buffer of {@code size} at a time; returns the names. */
    private List<String> list(long node, boolean plus, int size, Set<Long> held) throws FsException {
        List<String> names = new ArrayList<>();
        long offset = 0;
        while (true) {
            int n = call(Bytes.of().u64(0).u64(offset).u32(size).u32(0).u64(0).u32(0).u32(0)
                    .request(plus ? FuseProtocol.READDIRPLUS : FuseProtocol.READDIR, node));
            if (n == 0) {
                return names;
            }
            int at = 0;
            while (at < n) {
                int base = plus ? at + 128 : at;
                long entryNode = plus ? out.get(FuseCodec.U64, at) : 0;
                offset = out.get(FuseCodec.U64, base + 8);
                int len = out.get(FuseCodec.U32, base + 16);
                String name = new String(out.asSlice(base + 24, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                names.add(name);
                if (plus && entryNode != 0) {
                    held.add(entryNode);
                }
                at += plus ? FuseCodec.direntplusSize(len) : FuseCodec.direntSize(len);
            }
            assertEquals(n, at, "whole entries only");
        }
    }

    @Test
    void readdirPagesThroughALargeDirectoryWithDotAndDotDot() throws Exception {
        fs.mkdir("/big", 0755);
        Set<String> expected = new HashSet<>(List.of(".", ".."));
        for (int i = 0; i < 1000; i++) {
            String n = "file-with-a-longish-name-" + i;
            fs.open("/big/" + n, OpenFlag.WRITE, OpenFlag.CREATE).close();
            expected.add(n);
        }
        long node = fs.stat("/big").ino();
        List<String> plain = list(node, false, 4096, null);
        assertEquals(1002, plain.size(), "no entry twice");
        assertEquals(expected, new HashSet<>(plain));
        assertEquals(List.of(".", ".."), plain.subList(0, 2));
        Set<Long> held = new HashSet<>();
        List<String> plus = list(node, true, 4096, held);
        assertEquals(expected, new HashSet<>(plus));
        assertEquals(1000, held.size(), "a hold for every entry but . and ..");
        for (long h : held) {
            call(Bytes.of().u64(1).request(FuseProtocol.FORGET, h));
        }
        // Every hold is back: removing the files now frees them (fsck would find leaks otherwise).
        for (String n : expected) {
            if (!n.startsWith(".")) {
                fs.unlink("/big/" + n);
            }
        }
        fs.close();
        assertTrue(org.daxfs.fs.Fsck.run(device, false, null).clean());
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        ops = new FuseOperations(fs, 1 << 20, 0, 0, log::add);
    }

    @Test
    void holdsKeepAnUnlinkedFileUntilForget() throws Exception {
        fs.open("/f", OpenFlag.WRITE, OpenFlag.CREATE).close();
        long node = nodeOf(call(name("f").request(FuseProtocol.LOOKUP, 1)));
        assertEquals(0, call(name("f").request(FuseProtocol.UNLINK, 1)));
        assertEquals(104, call(Bytes.of().u32(0).u32(0).u64(0).request(FuseProtocol.GETATTR, node)));
        assertEquals(0, out.get(FuseCodec.U32, 16 + 64), "nlink 0, still there");
        assertEquals(FuseSession.NO_REPLY, call(Bytes.of().u32(1).u32(0).u64(node).u64(1).request(FuseProtocol.BATCH_FORGET, 0)));
        assertEquals(Errno.ENOENT.code(), errno(() -> call(Bytes.of().u32(0).u32(0).u64(0).request(FuseProtocol.GETATTR, node))));
    }

    @Test
    void setattrTruncatesChmodsAndSetsTimes() throws Exception {
        try (FileHandle h = fs.open("/f", OpenFlag.WRITE, OpenFlag.CREATE)) {
            h.write(java.nio.ByteBuffer.wrap(new byte[5000]), 0);
        }
        long node = fs.stat("/f").ino();
        int valid = FuseProtocol.FATTR_SIZE | FuseProtocol.FATTR_MODE | FuseProtocol.FATTR_ATIME | FuseProtocol.FATTR_MTIME_NOW;
        long before = System.currentTimeMillis() * 1_000_000L - 1_000_000_000L;
        int n = call(Bytes.of().u32(valid).u32(0).u64(0).u64(100).u64(0).u64(7).u64(0).u64(0).u32(8).u32(0).u32(0)
                .u32(0100600).u32(0).u32(0).u32(0).u32(0).request(FuseProtocol.SETATTR, node));
        assertEquals(104, n);
        Stat st = fs.stat("/f");
        assertEquals(100, st.size());
        assertEquals(0600, st.permissions());
        assertEquals(7_000_000_008L, st.atime());
        assertTrue(st.mtime() > before, "FATTR_MTIME_NOW");
        assertEquals(100, out.get(FuseCodec.U64, 16 + 8), "the reply carries the new attributes");
    }

    @Test
    void renameFlags() throws Exception {
        fs.open("/a", OpenFlag.WRITE, OpenFlag.CREATE).close();
        fs.open("/b", OpenFlag.WRITE, OpenFlag.CREATE).close();
        long a = fs.stat("/a").ino();
        assertEquals(Errno.EEXIST.code(), errno(() -> call(Bytes.of().u64(1).u32(FuseProtocol.RENAME_NOREPLACE).u32(0)
                .cstring("a").cstring("b").request(FuseProtocol.RENAME2, 1))));
        assertEquals(0, call(Bytes.of().u64(1).u32(FuseProtocol.RENAME_EXCHANGE).u32(0).cstring("a").cstring("b")
                .request(FuseProtocol.RENAME2, 1)));
        assertEquals(a, fs.stat("/b").ino());
        assertEquals(FuseError.EINVAL, errno(() -> call(Bytes.of().u64(1).u32(4).u32(0).cstring("a").cstring("b")
                .request(FuseProtocol.RENAME2, 1))), "RENAME_WHITEOUT");
        assertEquals(0, call(Bytes.of().u64(1).cstring("a").cstring("c").request(FuseProtocol.RENAME, 1)));
    }

    @Test
    void xattrSizesAndErange() throws Exception {
        fs.open("/f", OpenFlag.WRITE, OpenFlag.CREATE).close();
        long node = fs.stat("/f").ino();
        assertEquals(0, call(Bytes.of().u32(5).u32(0).cstring("user.a").raw("hello".getBytes()).request(FuseProtocol.SETXATTR, node)));
        assertEquals(8, call(Bytes.of().u32(0).u32(0).cstring("user.a").request(FuseProtocol.GETXATTR, node)));
        assertEquals(5, out.get(FuseCodec.U32, 0));
        assertEquals(5, call(Bytes.of().u32(5).u32(0).cstring("user.a").request(FuseProtocol.GETXATTR, node)));
        assertArrayEquals("hello".getBytes(), out.asSlice(0, 5).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(FuseError.ERANGE, errno(() -> call(Bytes.of().u32(4).u32(0).cstring("user.a").request(FuseProtocol.GETXATTR, node))));
        assertEquals(7, call(Bytes.of().u32(100).u32(0).request(FuseProtocol.LISTXATTR, node)));
        assertArrayEquals("user.a\0".getBytes(), out.asSlice(0, 7).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(Errno.ENODATA.code(), errno(() -> call(Bytes.of().u32(0).u32(0).cstring("user.b").request(FuseProtocol.GETXATTR, node))));
    }

    @Test
    void daxFlagThroughIoctls() throws Exception {
        fs.open("/f", OpenFlag.WRITE, OpenFlag.CREATE).close();
        long node = fs.stat("/f").ino();
        MemorySegment set = Bytes.of().u64(0).u32(0).u32(FuseProtocol.FS_IOC_FSSETXATTR).u64(0).u32(28).u32(0)
                .u32(FuseProtocol.FS_XFLAG_DAX).zeros(24).request(FuseProtocol.IOCTL, node);
        assertEquals(16, call(set));
        assertTrue(fs.stat("/f").isDax());
        int n = call(Bytes.of().u64(0).u32(0).u32(FuseProtocol.FS_IOC_FSGETXATTR).u64(0).u32(0).u32(28).request(FuseProtocol.IOCTL, node));
        assertEquals(16 + 28, n);
        assertEquals(0, out.get(FuseCodec.U32, 0), "result");
        assertEquals(FuseProtocol.FS_XFLAG_DAX, out.get(FuseCodec.U32, 16));
        n = call(Bytes.of().u64(0).u32(0).u32(FuseProtocol.FS_IOC_GETFLAGS).u64(0).u32(0).u32(4).request(FuseProtocol.IOCTL, node));
        assertEquals(20, n);
        assertEquals(FuseProtocol.FS_DAX_FL, out.get(FuseCodec.U32, 16));
        assertEquals(16, call(Bytes.of().u64(0).u32(0).u32(FuseProtocol.FS_IOC_SETFLAGS).u64(0).u32(4).u32(0).u32(0)
                .request(FuseProtocol.IOCTL, node)));
        assertTrue(!fs.stat("/f").isDax());
        assertEquals(FuseError.ENOTTY, errno(() -> call(Bytes.of().u64(0).u32(0).u32(0x5401).u64(0).u32(0).u32(0)
                .request(FuseProtocol.IOCTL, node))));
        assertEquals(Errno.EOPNOTSUPP.code(), errno(() -> call(Bytes.of().u64(0).u32(0).u32(FuseProtocol.FS_IOC_FSSETXATTR)
                .u64(0).u32(28).u32(0).u32(0x10).zeros(24).request(FuseProtocol.IOCTL, node))), "immutable is not stored");
    }

    @Test
    void unknownOpcodesAreEnosysAndInitNegotiates() throws Exception {
        assertEquals(FuseError.ENOSYS, errno(() -> call(Bytes.of().u32(0).u32(0).request(FuseProtocol.ACCESS, 1))));
        int n = call(Bytes.of().u32(7).u32(40).u32(65536).u32(0xffffffff).u32(0).zeros(44).request(FuseProtocol.INIT, 0));
        assertEquals(64, n);
        assertEquals(7, out.get(FuseCodec.U32, 0));
        assertEquals(31, out.get(FuseCodec.U32, 4));
        assertEquals(FuseOperations.WANTED_FLAGS, out.get(FuseCodec.U32, 12));
        assertEquals(1 << 20, out.get(FuseCodec.U32, 20), "max_write");
        assertEquals(256, out.get(FuseCodec.U16, 28), "max_pages");
        assertEquals(FuseError.EPROTO, errno(() -> call(Bytes.of().u32(7).u32(26).u32(0).u32(0).request(FuseProtocol.INIT, 0))));
        log.clear();
    }

    @Test
    void malformedRequestsAreRefused() {
        assertThrows(FuseCodec.MalformedRequestException.class, () -> call(Bytes.of().u32(1).request(FuseProtocol.SETATTR, 1)));
    }
}
