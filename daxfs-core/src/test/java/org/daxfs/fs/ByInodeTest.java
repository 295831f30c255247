package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.bytes;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.readFile;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ByInodeTest {
    private Device device;
    private DaxFileSystem fs;
    private ByInode ops;
    private long root;

    @BeforeEach
    void setUp() throws Exception {
        device = Devices.memory(64 * MIB);
        fs = TestImages.formatAndMount(device);
        ops = fs.byInode();
        root = ops.rootIno();
    }

    @AfterEach
    void tearDown() throws Exception {
        fs.close();
        FsckReport r = Fsck.run(device, false, null);
        device.close();
        assertTrue(r.clean(), "fsck: " + r.problems());
    }

    private static void assertErrno(Errno expected, ThrowingRunnable r) {
        FsException e = assertThrows(FsException.class, r::run);
        assertEquals(expected, e.errno(), e.getMessage());
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void rootIsTheRootDirectory() throws Exception {
        assertEquals(fs.stat("/").ino(), root);
        assertTrue(ops.getattr(root).isDirectory());
        assertEquals(root, ops.lookup(root, bytes("..")).ino(), "the root is its own parent");
    }

    @Test
    void lookupFindsWhatThePathApiCreated() throws Exception {
        fs.mkdir("/d", 0755);
        writeFile(fs, "/d/f", bytes("hello"));
        Stat d = ops.lookup(root, bytes("d"));
        Stat f = ops.lookup(d.ino(), bytes("f"));
        assertEquals(fs.stat("/d/f"), f);
        assertEquals(5, ops.getattr(f.ino()).size());
        assertErrno(Errno.ENOENT, () -> ops.lookup(d.ino(), bytes("missing")));
        assertErrno(Errno.ENOTDIR, () -> ops.lookup(f.ino(), bytes("x")));
        assertErrno(Errno.ENAMETOOLONG, () -> ops.lookup(root, new byte[256]));
        assertEquals(d.ino(), ops.lookup(d.ino(), bytes(".")).ino());
        assertEquals(root, ops.lookup(d.ino(), bytes("..")).ino());
    }

    @Test
    void unknownNumbersAreEnoentNotDamage() throws Exception {
        assertErrno(Errno.ENOENT, () -> ops.getattr(1));
        assertErrno(Errno.ENOENT, () -> ops.getattr(0));
        assertErrno(Errno.ENOENT, () -> ops.getattr(999_999));
        assertErrno(Errno.ENOENT, () -> ops.getattr(root + 1));
        ops.forget(999_999, 3); // a stale number is ignored
    }

    @Test
    void createsWithTheCallersOwnerAndInheritsSetGroupId() throws Exception {
        Stat f = ops.mknod(root, bytes("f"), 0640, 1000, 1001);
        assertEquals(1000, f.uid());
        assertEquals(1001, f.gid());
        assertEquals(FileType.REGULAR.modeBits() | 0640, f.mode());
        Stat sg = ops.mkdir(root, bytes("sg"), 02775, 1000, 50);
        Stat sub = ops.mkdir(sg.ino(), bytes("sub"), 0755, 1002, 1003);
        assertEquals(50, sub.gid(), "the group of a set-group-ID directory");
        assertEquals(02755, sub.permissions(), "a subdirectory inherits the bit");
        ByInode.Created c = ops.create(sg.ino(), bytes("file"), 0644, 1002, 1003, EnumSet.of(OpenFlag.WRITE));
        c.handle().close();
        assertEquals(50, c.stat().gid());
        assertEquals(0644, c.stat().permissions(), "a file does not inherit the bit");
        Stat link = ops.symlink(root, bytes("ln"), bytes("sg/file"), 7, 8);
        assertEquals(7, link.uid());
        assertArrayEquals(bytes("sg/file"), ops.readlink(link.ino()));
        assertEquals("sg/file", fs.readlink("/ln"));
        assertErrno(Errno.EPERM, () -> ops.mknod(root, bytes("fifo"), 0010644, 0, 0));
        assertErrno(Errno.EEXIST, () -> ops.mkdir(root, bytes("f"), 0755, 0, 0));
        assertErrno(Errno.EINVAL, () -> ops.readlink(f.ino()));
        assertErrno(Errno.EINVAL, () -> ops.mkdir(root, new byte[] {'a', 0}, 0755, 0, 0));
        byte[] longName = new byte[256];
        java.util.Arrays.fill(longName, (byte) 'n');
        assertErrno(Errno.ENAMETOOLONG, () -> ops.mkdir(root, longName, 0755, 0, 0));
    }

    @Test
    void createOpensExistingUnlessExclusive() throws Exception {
        writeFile(fs, "/a", bytes("abc"));
        ByInode.Created c = ops.create(root, bytes("a"), 0600, 0, 0, EnumSet.of(OpenFlag.WRITE, OpenFlag.READ));
        try (FileHandle h = c.handle()) {
            assertEquals(3, h.size());
        }
        assertErrno(Errno.EEXIST, () -> ops.create(root, bytes("a"), 0600, 0, 0, EnumSet.of(OpenFlag.WRITE, OpenFlag.EXCLUSIVE)));
        ByInode.Created t = ops.create(root, bytes("a"), 0600, 0, 0, EnumSet.of(OpenFlag.WRITE, OpenFlag.TRUNCATE));
        t.handle().close();
        assertEquals(0, fs.stat("/a").size());
    }

    @Test
    void openReadsAndWritesByNumber() throws Exception {
        byte[] data = pattern(3, 10_000);
        writeFile(fs, "/f", data);
        long ino = fs.stat("/f").ino();
        try (FileHandle h = ops.open(ino, EnumSet.of(OpenFlag.READ, OpenFlag.WRITE))) {
            ByteBuffer b = ByteBuffer.allocate(data.length);
            assertEquals(data.length, h.read(b, 0));
            assertArrayEquals(data, b.array());
            h.write(ByteBuffer.wrap(bytes("XY")), 1);
        }
        assertEquals('X', readFile(fs, "/f")[1]);
        try (FileHandle h = ops.open(ino, EnumSet.of(OpenFlag.WRITE, OpenFlag.TRUNCATE))) {
            assertEquals(0, h.size());
        }
        fs.mkdir("/d", 0755);
        long d = fs.stat("/d").ino();
        assertErrno(Errno.EISDIR, () -> ops.open(d, EnumSet.of(OpenFlag.WRITE)));
        ops.open(d, EnumSet.of(OpenFlag.READ, OpenFlag.DIRECTORY)).close();
        assertErrno(Errno.ENOTDIR, () -> ops.open(ino, EnumSet.of(OpenFlag.READ, OpenFlag.DIRECTORY)));
        fs.symlink("f", "/s");
        assertErrno(Errno.ELOOP, () -> ops.open(fs.lstat("/s").ino(), EnumSet.of(OpenFlag.READ)));
    }

    @Test
    void aHoldKeepsAnUnlinkedInodeAndItsNumber() throws Exception {
        writeFile(fs, "/f", pattern(1, 8192));
        Stat f = ops.lookup(root, bytes("f"));
        ops.unlink(root, bytes("f"));
        assertEquals(0, ops.getattr(f.ino()).nlink(), "still there while held");
        writeFile(fs, "/g", bytes("g"));
        assertNotEquals(f.ino(), fs.stat("/g").ino(), "a held number is not reused");
        try (FileHandle h = ops.open(f.ino(), EnumSet.of(OpenFlag.READ))) {
            assertEquals(8192, h.size());
            ops.forget(f.ino(), 1);
            assertEquals(8192, h.size(), "the open handle keeps it");
        }
        assertErrno(Errno.ENOENT, () -> ops.getattr(f.ino()));
    }

    @Test
    void forgetCountsHolds() throws Exception {
        writeFile(fs, "/f", bytes("x"));
        long ino = ops.lookup(root, bytes("f")).ino();
        ops.lookup(root, bytes("f"));
        ops.unlink(root, bytes("f"));
        ops.forget(ino, 1);
        assertEquals(0, ops.getattr(ino).nlink());
        ops.forget(ino, 1);
        assertErrno(Errno.ENOENT, () -> ops.getattr(ino));
    }

    @Test
    void namesChangeByNumber() throws Exception {
        Stat d = ops.mkdir(root, bytes("d"), 0755, 0, 0);
        Stat e = ops.mkdir(root, bytes("e"), 0755, 0, 0);
        ops.create(d.ino(), bytes("a"), 0644, 0, 0, EnumSet.of(OpenFlag.WRITE)).handle().close();
        Stat l = ops.link(fs.stat("/d/a").ino(), e.ino(), bytes("b"));
        assertEquals(2, l.nlink());
        assertEquals(2, fs.stat("/d/a").nlink());
        ops.rename(d.ino(), bytes("a"), e.ino(), bytes("c"));
        assertFalse(exists("/d/a"));
        assertEquals(fs.stat("/e/b").ino(), fs.stat("/e/c").ino());
        assertErrno(Errno.EEXIST, () -> ops.rename(e.ino(), bytes("b"), e.ino(), bytes("c"), RenameFlag.NOREPLACE));
        ops.create(d.ino(), bytes("x"), 0644, 0, 0, EnumSet.of(OpenFlag.WRITE)).handle().close();
        ops.rename(d.ino(), bytes("x"), e.ino(), bytes("c"), RenameFlag.EXCHANGE);
        assertTrue(exists("/d/x") && exists("/e/c"));
        assertEquals(2, fs.stat("/d/x").nlink(), "the linked file moved to d/x");
        assertErrno(Errno.EINVAL, () -> ops.rename(root, bytes("d"), d.ino(), bytes("inside")));
        assertErrno(Errno.ENOTEMPTY, () -> ops.rmdir(root, bytes("d")));
        assertErrno(Errno.ENOTDIR, () -> ops.rmdir(d.ino(), bytes("x")));
        assertErrno(Errno.EISDIR, () -> ops.unlink(root, bytes("d")));
        ops.unlink(d.ino(), bytes("x"));
        ops.rmdir(root, bytes("d"));
        assertFalse(exists("/d"));
        assertErrno(Errno.ENOENT, () -> ops.unlink(e.ino(), bytes("nothing")));
        assertErrno(Errno.EPERM, () -> ops.link(e.ino(), root, bytes("dirlink")));
        assertEquals(2, fs.stat("/").nlink() - 1, "root links: ., .. and e");
    }

    @Test
    void readdirWithAndWithoutAttributes() throws Exception {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            writeFile(fs, "/f" + i, bytes("x"));
            names.add("f" + i);
        }
        List<ByInode.Entry> all = new ArrayList<>();
        long cookie = 0;
        while (true) {
            List<ByInode.Entry> page = ops.readdir(root, cookie, 50, true);
            if (page.isEmpty()) {
                break;
            }
            all.addAll(page);
            cookie = page.getLast().cookie();
        }
        assertEquals(300, all.size());
        Set<String> seen = new HashSet<>();
        for (ByInode.Entry e : all) {
            seen.add(new String(e.name()));
            assertEquals(e.ino(), e.stat().ino());
            assertEquals(FileType.REGULAR, e.type());
            ops.forget(e.ino(), 1);
        }
        assertEquals(names, seen);
        assertNull(ops.readdir(root, 0, 10, false).getFirst().stat());
        long f0 = fs.stat("/f0").ino();
        assertErrno(Errno.ENOTDIR, () -> ops.readdir(f0, 0, 10, false));
    }

    @Test
    void setAttributesHonoursOmitAndNow() throws Exception {
        writeFile(fs, "/f", pattern(2, 20_000));
        long ino = fs.stat("/f").ino();
        fs.chmod("/f", 04755);
        Stat before = ops.getattr(ino);
        Stat s = ops.setAttributes(ino, ByInode.AttributeChange.none().withTimes(1_000_000_000L, DaxFileSystem.UTIME_OMIT));
        assertEquals(1_000_000_000L, s.atime());
        assertEquals(before.mtime(), s.mtime(), "UTIME_OMIT leaves mtime");
        s = ops.setAttributes(ino, ByInode.AttributeChange.none().withTimes(DaxFileSystem.UTIME_OMIT, DaxFileSystem.UTIME_NOW));
        assertTrue(s.mtime() >= before.mtime());
        assertEquals(1_000_000_000L, s.atime(), "UTIME_OMIT leaves atime");
        s = ops.setAttributes(ino, ByInode.AttributeChange.none().withOwner(5, ByInode.KEEP));
        assertEquals(5, s.uid());
        assertEquals(0, s.gid());
        assertEquals(0755, s.permissions(), "chown clears set-user-ID");
        s = ops.setAttributes(ino, ByInode.AttributeChange.none().withMode(0600).withSize(100));
        assertEquals(0600, s.permissions());
        assertEquals(100, s.size());
        assertEquals(100, readFile(fs, "/f").length);
        s = ops.setAttributes(ino, ByInode.AttributeChange.none().withSize(3 * MIB));
        assertEquals(3 * MIB, s.size());
        long d = ops.mkdir(root, bytes("d"), 0755, 0, 0).ino();
        assertErrno(Errno.EISDIR, () -> ops.setAttributes(d, ByInode.AttributeChange.none().withSize(0)));
        ops.setFlags(ino, Stat.FLAG_DAX);
        assertTrue(ops.getattr(ino).isDax());
        ops.setFlags(ino, 0);
        assertFalse(ops.getattr(ino).isDax());
        assertErrno(Errno.EINVAL, () -> ops.setFlags(ino, 0x100));
    }

    @Test
    void extendedAttributesByNumber() throws Exception {
        long ino = ops.mknod(root, bytes("f"), 0644, 0, 0).ino();
        ops.setXattr(ino, "user.a", bytes("1"), 0);
        assertArrayEquals(bytes("1"), ops.getXattr(ino, "user.a"));
        assertArrayEquals(bytes("1"), fs.getXattr("/f", "user.a"));
        assertEquals(List.of("user.a"), ops.listXattrs(ino));
        assertErrno(Errno.EEXIST, () -> ops.setXattr(ino, "user.a", bytes("2"), DaxFileSystem.XATTR_CREATE));
        assertErrno(Errno.ENODATA, () -> ops.setXattr(ino, "user.b", bytes("2"), DaxFileSystem.XATTR_REPLACE));
        ops.removeXattr(ino, "user.a");
        assertErrno(Errno.ENODATA, () -> ops.getXattr(ino, "user.a"));
        assertErrno(Errno.EOPNOTSUPP, () -> ops.getXattr(ino, "other.a"));
    }

    @Test
    void seekDataAndHole() throws Exception {
        long ino = ops.mknod(root, bytes("f"), 0644, 0, 0).ino();
        try (FileHandle h = ops.open(ino, EnumSet.of(OpenFlag.WRITE))) {
            h.write(ByteBuffer.wrap(pattern(1, 4096)), 64 * 1024);       // data at [64K, 68K)
            h.allocate(128 * 1024, 8192, false);                         // unwritten [128K, 136K)
            h.write(ByteBuffer.wrap(pattern(2, 100)), 200 * 1024);       // data at [200K, 204K), size 200K+100
        }
        long size = 200 * 1024 + 100;
        assertEquals(64 * 1024, ops.seek(ino, 0, true));
        assertEquals(65 * 1024, ops.seek(ino, 65 * 1024, true));
        assertEquals(200 * 1024, ops.seek(ino, 68 * 1024, true), "unwritten blocks are a hole");
        assertEquals(0, ops.seek(ino, 0, false));
        assertEquals(68 * 1024, ops.seek(ino, 64 * 1024, false));
        assertEquals(130 * 1024, ops.seek(ino, 130 * 1024, false));
        assertEquals(size, ops.seek(ino, 200 * 1024, false), "the end of file is a hole");
        assertErrno(Errno.ENXIO, () -> ops.seek(ino, size, true));
        assertErrno(Errno.ENXIO, () -> ops.seek(ino, size, false));
        assertErrno(Errno.ENXIO, () -> ops.seek(ino, -1, false));
        long empty = ops.mknod(root, bytes("e"), 0644, 0, 0).ino();
        assertErrno(Errno.ENXIO, () -> ops.seek(empty, 0, true));
        assertEquals(List.of(64L * 1024 / 4096, 128L * 1024 / 4096, 200L * 1024 / 4096),
                ops.extents(ino).stream().map(x -> x.logical()).toList());
    }

    @Test
    void copyRangeCopiesUpToTheEndOfTheSource() throws Exception {
        byte[] data = pattern(9, 3 * 1024 * 1024 + 17);
        writeFile(fs, "/src", data);
        long dst = ops.mknod(root, bytes("dst"), 0644, 0, 0).ino();
        try (FileHandle in = ops.open(fs.stat("/src").ino(), EnumSet.of(OpenFlag.READ));
             FileHandle out = ops.open(dst, EnumSet.of(OpenFlag.WRITE))) {
            assertEquals(data.length - 10, ops.copyRange(in, 10, out, 5, Long.MAX_VALUE));
            assertEquals(0, ops.copyRange(in, data.length, out, 0, 100));
        }
        byte[] got = readFile(fs, "/dst");
        assertEquals(data.length - 5, got.length);
        for (int i = 0; i < data.length - 10; i++) {
            if (got[i + 5] != data[i + 10]) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
        try (FileHandle h = ops.open(dst, EnumSet.of(OpenFlag.READ, OpenFlag.WRITE))) {
            assertErrno(Errno.EINVAL, () -> ops.copyRange(h, 0, h, 100, 1000));
        }
    }

    @Test
    void readOnlyRefusesChanges() throws Exception {
        writeFile(fs, "/f", bytes("x"));
        fs.close();
        fs = DaxFileSystem.mount(device, MountOptions.defaults().withReadOnly(true));
        ByInode ro = fs.byInode();
        long ino = ro.lookup(root, bytes("f")).ino();
        assertErrno(Errno.EROFS, () -> ro.mkdir(root, bytes("d"), 0755, 0, 0));
        assertErrno(Errno.EROFS, () -> ro.open(ino, EnumSet.of(OpenFlag.WRITE)));
        assertErrno(Errno.EROFS, () -> ro.setAttributes(ino, ByInode.AttributeChange.none().withMode(0)));
        ro.open(ino, EnumSet.of(OpenFlag.READ)).close();
    }

    private boolean exists(String path) throws FsException {
        try {
            fs.lstat(path);
            return true;
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }
}
