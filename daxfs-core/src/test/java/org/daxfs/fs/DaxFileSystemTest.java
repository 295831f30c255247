package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.bytes;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.readFile;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.format.Extent;
import org.junit.jupiter.api.Test;

class DaxFileSystemTest extends MountedImageTest {
    private DaxFileSystem remount() throws FsException {
        fs.close();
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        return fs;
    }

    @Test
    void writeReadAndRemount() throws Exception {
        byte[] content = pattern(1, 3 * 4096 + 123);
        writeFile(fs, "/a.bin", content);
        assertArrayEquals(content, readFile(fs, "/a.bin"));
        remount();
        assertArrayEquals(content, readFile(fs, "/a.bin"));
        assertEquals(content.length, fs.stat("/a.bin").size());
    }

    @Test
    void sparseFilesReadZerosInHoles() throws Exception {
        try (FileHandle h = fs.open("/sparse", OpenFlag.WRITE, OpenFlag.READ, OpenFlag.CREATE)) {
            h.write(ByteBuffer.wrap(bytes("tail")), 10 * MIB);
            assertEquals(10 * MIB + 4, h.size());
            ByteBuffer buf = ByteBuffer.allocate(8192);
            assertEquals(8192, h.read(buf, 5 * MIB));
            assertTrue(allZero(buf.array()));
            assertEquals(1, fs.extents("/sparse").size(), "only the written block is allocated");
            assertEquals(-1, h.read(ByteBuffer.allocate(10), 10 * MIB + 4));
        }
    }

    @Test
    void appendGoesToEndOfFile() throws Exception {
        writeFile(fs, "/log", bytes("one,"));
        try (FileHandle h = fs.open("/log", OpenFlag.WRITE, OpenFlag.APPEND)) {
            h.write(ByteBuffer.wrap(bytes("two,")), 0);
            h.append(ByteBuffer.wrap(bytes("three")));
        }
        assertEquals("one,two,three", new String(readFile(fs, "/log")));
    }

    @Test
    void truncateShrinksAndGrowsWithZeros() throws Exception {
        byte[] content = pattern(2, 20000);
        writeFile(fs, "/t", content);
        long freeBefore = fs.statfs().freeBlocks();
        fs.truncate("/t", 5000);
        assertTrue(fs.statfs().freeBlocks() > freeBefore, "blocks past the new end are freed");
        fs.truncate("/t", 12000);
        byte[] now = readFile(fs, "/t");
        assertEquals(12000, now.length);
        assertArrayEquals(Arrays.copyOf(content, 5000), Arrays.copyOf(now, 5000));
        assertTrue(allZero(Arrays.copyOfRange(now, 5000, 12000)), "grown part reads zeros, not old data");
        remount();
        assertArrayEquals(now, readFile(fs, "/t"));
    }

    @Test
    void truncateOfManyExtentsRunsInSeveralTransactions() throws Exception {
        writeFile(fs, "/warm", bytes("x"));
        long free = fs.statfs().freeBlocks();
        try (FileHandle h = fs.open("/frag", OpenFlag.WRITE, OpenFlag.CREATE)) {
            for (int i = 0; i < 600; i++) {
                h.write(ByteBuffer.wrap(pattern(i, 100)), i * 8192L);
            }
        }
        assertEquals(600, fs.extents("/frag").size());
        assertTrue(fs.statfs().freeBlocks() < free - 600, "data and extent-tree nodes in use");
        fs.truncate("/frag", 0);
        assertEquals(free, fs.statfs().freeBlocks(), "every data block and tree node given back");
        assertEquals(0, fs.extents("/frag").size());
    }

    @Test
    void preallocateKeepSizeAndExtend() throws Exception {
        try (FileHandle h = fs.open("/p", OpenFlag.WRITE, OpenFlag.READ, OpenFlag.CREATE)) {
            h.allocate(0, 4 * MIB, true);
            assertEquals(0, h.size());
            List<Extent> ex = fs.extents("/p");
            assertTrue(ex.stream().allMatch(Extent::unwritten));
            assertEquals(4 * MIB / 4096, ex.stream().mapToLong(Extent::length).sum());
            h.allocate(0, 1 * MIB, false);
            assertEquals(MIB, h.size());
            ByteBuffer buf = ByteBuffer.allocate(4096);
            h.read(buf, 8192);
            assertTrue(allZero(buf.array()), "unwritten extents read zeros");
            h.write(ByteBuffer.wrap(bytes("hello")), 10000);
            byte[] all = new byte[(int) MIB];
            h.read(ByteBuffer.wrap(all), 0);
            assertEquals("hello", new String(all, 10000, 5));
            assertTrue(allZero(Arrays.copyOfRange(all, 8192, 10000)));
            assertTrue(allZero(Arrays.copyOfRange(all, 10005, 16384)));
            assertTrue(fs.extents("/p").stream().anyMatch(e -> !e.unwritten() && e.contains(2)));
            assertErrno(Errno.EINVAL, () -> h.allocate(0, 0, false));
            assertErrno(Errno.EINVAL, () -> h.allocate(-1, 10, false));
        }
    }

    @Test
    void largeFilesGetHugeAlignedExtents() throws Exception {
        try (FileHandle h = fs.open("/big", OpenFlag.WRITE, OpenFlag.CREATE)) {
            h.allocate(0, 8 * MIB, false);
        }
        List<Extent> ex = fs.extents("/big");
        assertEquals(1, ex.size(), "one contiguous extent: " + ex);
        assertEquals(0, ex.get(0).physical() % 512, "2 MiB aligned");
    }

    @Test
    void directoriesCreateListRemove() throws Exception {
        fs.mkdir("/d", 0755);
        fs.mkdir("/d/e", 0700);
        writeFile(fs, "/d/f", bytes("x"));
        assertEquals(Set.of("e", "f"), names("/d"));
        assertEquals(3, fs.stat("/d").nlink());
        assertEquals(3, fs.stat("/").nlink());
        assertErrno(Errno.EEXIST, () -> fs.mkdir("/d", 0755));
        assertErrno(Errno.ENOTEMPTY, () -> fs.rmdir("/d"));
        assertErrno(Errno.ENOTDIR, () -> fs.rmdir("/d/f"));
        assertErrno(Errno.ENOTDIR, () -> fs.mkdir("/d/f/g", 0755));
        assertErrno(Errno.ENOENT, () -> fs.mkdir("/nope/g", 0755));
        assertErrno(Errno.EBUSY, () -> fs.rmdir("/"));
        assertErrno(Errno.EINVAL, () -> fs.rmdir("/d/e/."));
        assertErrno(Errno.EISDIR, () -> fs.unlink("/d/e"));
        fs.rmdir("/d/e");
        fs.unlink("/d/f");
        fs.rmdir("/d");
        assertEquals(Set.of(), names("/"));
        assertEquals(2, fs.stat("/").nlink());
        assertErrno(Errno.ENOENT, () -> fs.stat("/d"));
    }

    @Test
    void renameReplaceNoReplaceAndExchange() throws Exception {
        writeFile(fs, "/a", bytes("A"));
        writeFile(fs, "/b", bytes("B"));
        assertErrno(Errno.EEXIST, () -> fs.rename("/a", "/b", RenameFlag.NOREPLACE));
        fs.rename("/a", "/b", RenameFlag.EXCHANGE);
        assertEquals("B", new String(readFile(fs, "/a")));
        assertEquals("A", new String(readFile(fs, "/b")));
        long free = fs.statfs().freeBlocks();
        fs.rename("/a", "/b");
        assertEquals("B", new String(readFile(fs, "/b")));
        assertErrno(Errno.ENOENT, () -> fs.stat("/a"));
        assertEquals(free + 1, fs.statfs().freeBlocks(), "replaced file's block freed");
        assertErrno(Errno.ENOENT, () -> fs.rename("/a", "/c"));
        assertErrno(Errno.ENOENT, () -> fs.rename("/b", "/c", RenameFlag.EXCHANGE));
        assertErrno(Errno.EINVAL, () -> fs.rename("/b", "/c", RenameFlag.EXCHANGE, RenameFlag.NOREPLACE));
    }

    @Test
    void renameDirectories() throws Exception {
        fs.mkdir("/x", 0755);
        fs.mkdir("/x/y", 0755);
        fs.mkdir("/z", 0755);
        writeFile(fs, "/x/y/f", bytes("data"));
        assertErrno(Errno.EINVAL, () -> fs.rename("/x", "/x/y/inside"));
        fs.rename("/x/y", "/z/y");
        assertEquals("data", new String(readFile(fs, "/z/y/f")));
        assertEquals(2, fs.stat("/x").nlink());
        assertEquals(3, fs.stat("/z").nlink());
        assertEquals(fs.stat("/z").ino(), fs.stat("/z/y/..").ino());
        fs.mkdir("/w", 0755);
        writeFile(fs, "/w/g", bytes("g"));
        assertErrno(Errno.ENOTEMPTY, () -> fs.rename("/x", "/w"));
        assertErrno(Errno.EISDIR, () -> fs.rename("/w/g", "/x"));
        assertErrno(Errno.ENOTDIR, () -> fs.rename("/x", "/w/g"));
        fs.rename("/x", "/z/y/newx");
        remount();
        assertEquals(Set.of("f", "newx"), names("/z/y"));
    }

    @Test
    void hardLinksShareAnInode() throws Exception {
        writeFile(fs, "/f", bytes("shared"));
        fs.link("/f", "/g");
        assertEquals(2, fs.stat("/f").nlink());
        assertEquals(fs.stat("/f").ino(), fs.stat("/g").ino());
        fs.unlink("/f");
        assertEquals(1, fs.stat("/g").nlink());
        assertEquals("shared", new String(readFile(fs, "/g")));
        fs.mkdir("/dir", 0755);
        assertErrno(Errno.EPERM, () -> fs.link("/dir", "/dir2"));
        assertErrno(Errno.EEXIST, () -> fs.link("/g", "/dir"));
        fs.rename("/g", "/g");
        assertEquals(1, fs.stat("/g").nlink());
    }

    @Test
    void unlinkedOpenFileKeepsWorkingUntilClosed() throws Exception {
        long free = fs.statfs().freeBlocks();
        FileHandle h = fs.open("/tmpfile", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
        h.write(ByteBuffer.wrap(pattern(3, 100_000)), 0);
        fs.unlink("/tmpfile");
        assertErrno(Errno.ENOENT, () -> fs.stat("/tmpfile"));
        h.write(ByteBuffer.wrap(bytes("more")), 100_000);
        byte[] back = new byte[100_004];
        h.read(ByteBuffer.wrap(back), 0);
        assertArrayEquals(pattern(3, 100_000), Arrays.copyOf(back, 100_000));
        assertEquals(0, h.stat().nlink());
        assertTrue(fs.statfs().freeBlocks() < free);
        h.close();
        assertEquals(free, fs.statfs().freeBlocks(), "blocks freed at last close");
    }

    @Test
    void unlinkedOpenFileIsReclaimedAfterCrash() throws Exception {
        long free = fs.statfs().freeBlocks();
        FileHandle h = fs.open("/orphan", OpenFlag.WRITE, OpenFlag.CREATE);
        h.write(ByteBuffer.wrap(pattern(4, 50_000)), 0);
        fs.unlink("/orphan");
        // No close, no unmount: the next mount finds it on the orphan list.
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        assertEquals(free, fs.statfs().freeBlocks());
    }

    @Test
    void truncatingAnUnlinkedOpenFileKeepsItOnTheOrphanList() throws Exception {
        long free = fs.statfs().freeBlocks();
        FileHandle h = fs.open("/gone", OpenFlag.WRITE, OpenFlag.CREATE);
        for (int i = 0; i < 300; i++) {
            h.write(ByteBuffer.wrap(pattern(i, 10)), i * 8192L);
        }
        fs.unlink("/gone");
        h.truncate(4096);
        // Crash with the handle still open: mount must still find the inode and free it.
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        assertEquals(free, fs.statfs().freeBlocks());
    }

    @Test
    void symlinksShortAndLong() throws Exception {
        fs.mkdir("/real", 0755);
        writeFile(fs, "/real/file", bytes("target"));
        fs.symlink("/real/file", "/short");
        String longTarget = "/real/" + "x/".repeat(200) + "../".repeat(200) + "file";
        fs.symlink(longTarget, "/long");
        fs.symlink("real", "/rel");
        assertEquals("/real/file", fs.readlink("/short"));
        assertEquals(longTarget, fs.readlink("/long"));
        assertEquals("target", new String(readFile(fs, "/short")));
        assertEquals("target", new String(readFile(fs, "/rel/file")));
        assertTrue(fs.lstat("/short").isSymlink());
        assertTrue(fs.stat("/short").isRegular());
        assertErrno(Errno.EINVAL, () -> fs.readlink("/real/file"));
        fs.symlink("/loop2", "/loop1");
        fs.symlink("/loop1", "/loop2");
        assertErrno(Errno.ELOOP, () -> fs.stat("/loop1"));
        assertErrno(Errno.ELOOP, () -> fs.open("/short", OpenFlag.READ, OpenFlag.NOFOLLOW));
        assertErrno(Errno.EEXIST, () -> fs.symlink("x", "/short"));
        remount();
        assertEquals(longTarget, fs.readlink("/long"));
        long free = fs.statfs().freeBlocks();
        fs.unlink("/long");
        assertEquals(free + 1, fs.statfs().freeBlocks());
    }

    @Test
    void attributesChmodChownUtimes() throws Exception {
        writeFile(fs, "/f", bytes("x"));
        fs.chmod("/f", 04755);
        fs.chown("/f", 1000, -1);
        Stat s = fs.stat("/f");
        assertEquals(1000, s.uid());
        assertEquals(0, s.gid());
        assertEquals(0755, s.permissions(), "chown clears set-user-ID");
        fs.utimes("/f", 1_000_000_123L, DaxFileSystem.UTIME_OMIT);
        Stat t = fs.stat("/f");
        assertEquals(1_000_000_123L, t.atime());
        assertEquals(s.mtime(), t.mtime());
        assertTrue(t.ctime() >= s.ctime());
        fs.utimes("/f", DaxFileSystem.UTIME_OMIT, 5_000_000_000L);
        assertEquals(5_000_000_000L, fs.stat("/f").mtime());
        remount();
        Stat u = fs.stat("/f");
        assertEquals(1_000_000_123L, u.atime());
        assertEquals(5_000_000_000L, u.mtime());
        assertEquals(0100755, u.mode());
    }

    @Test
    void writesUpdateTimesAndSize() throws Exception {
        writeFile(fs, "/f", bytes("x"));
        fs.utimes("/f", 0, 0);
        try (FileHandle h = fs.open("/f", OpenFlag.WRITE)) {
            h.write(ByteBuffer.wrap(bytes("yy")), 1);
        }
        Stat s = fs.stat("/f");
        assertEquals(3, s.size());
        assertTrue(s.mtime() > 0 && s.ctime() >= s.mtime());
        remount();
        assertEquals(3, fs.stat("/f").size());
        assertTrue(fs.stat("/f").mtime() > 0, "attributes written at close");
    }

    @Test
    void extendedAttributes() throws Exception {
        writeFile(fs, "/f", bytes("x"));
        fs.setXattr("/f", "user.color", bytes("blue"), 0);
        fs.setXattr("/f", "user.size", bytes("12"), 0);
        assertErrno(Errno.EEXIST, () -> fs.setXattr("/f", "user.color", bytes("red"), DaxFileSystem.XATTR_CREATE));
        assertErrno(Errno.ENODATA, () -> fs.setXattr("/f", "user.none", bytes("1"), DaxFileSystem.XATTR_REPLACE));
        assertErrno(Errno.EOPNOTSUPP, () -> fs.setXattr("/f", "bogus", bytes("1"), 0));
        assertErrno(Errno.ENOSPC, () -> fs.setXattr("/f", "user.huge", new byte[4070], 0));
        assertEquals("blue", new String(fs.getXattr("/f", "user.color")));
        assertEquals(List.of("user.color", "user.size"), fs.listXattrs("/f"));
        remount();
        fs.removeXattr("/f", "user.color");
        assertErrno(Errno.ENODATA, () -> fs.getXattr("/f", "user.color"));
        fs.removeXattr("/f", "user.size");
        assertEquals(List.of(), fs.listXattrs("/f"));
    }

    @Test
    void errorsCarryErrnoAndPath() throws Exception {
        FsException e = assertThrows(FsException.class, () -> fs.open("/missing/file", OpenFlag.READ));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("/missing/file", e.path());
        writeFile(fs, "/f", bytes("x"));
        assertErrno(Errno.EEXIST, () -> fs.open("/f", OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE));
        assertErrno(Errno.ENOTDIR, () -> fs.open("/f/x", OpenFlag.READ));
        assertErrno(Errno.ENOTDIR, () -> fs.open("/f", OpenFlag.READ, OpenFlag.DIRECTORY));
        assertErrno(Errno.EISDIR, () -> fs.open("/", OpenFlag.WRITE));
        assertErrno(Errno.ENAMETOOLONG, () -> fs.open("/" + "n".repeat(256), OpenFlag.WRITE, OpenFlag.CREATE));
        assertErrno(Errno.ENAMETOOLONG, () -> fs.stat("/a".repeat(2100)));
        assertErrno(Errno.ENOENT, () -> fs.stat(""));
        try (FileHandle h = fs.open("/f", OpenFlag.READ)) {
            assertErrno(Errno.EBADF, () -> h.write(ByteBuffer.wrap(bytes("x")), 0));
            assertErrno(Errno.EINVAL, () -> h.read(ByteBuffer.allocate(1), -1));
        }
        try (FileHandle h = fs.open("/f", OpenFlag.WRITE)) {
            assertErrno(Errno.EFBIG, () -> h.write(ByteBuffer.wrap(bytes("x")), FileData.MAX_FILE_SIZE));
            assertErrno(Errno.EFBIG, () -> h.truncate(FileData.MAX_FILE_SIZE + 1));
            assertErrno(Errno.EINVAL, () -> h.truncate(-1));
        }
        writeFile(fs, "/" + "n".repeat(255), bytes("longest name"));
        assertEquals("longest name", new String(readFile(fs, "/" + "n".repeat(255))));
    }

    @Test
    void openTruncateAndExclusiveCreate() throws Exception {
        writeFile(fs, "/f", pattern(5, 9000));
        try (FileHandle h = fs.open("/f", OpenFlag.WRITE, OpenFlag.TRUNCATE)) {
            assertEquals(0, h.size());
        }
        try (FileHandle h = fs.open("/new", OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE)) {
            assertEquals(0100644, h.stat().mode());
        }
    }

    @Test
    void fullDeviceGivesEnospcAndSpaceIsReusable() throws Exception {
        byte[] chunk = pattern(6, (int) MIB);
        int written = 0;
        FsException full = null;
        for (int i = 0; i < 200 && full == null; i++) {
            try (FileHandle h = fs.open("/fill" + i, OpenFlag.WRITE, OpenFlag.CREATE)) {
                ByteBuffer b = ByteBuffer.wrap(chunk);
                long pos = 0;
                while (b.hasRemaining()) {
                    pos += h.write(b, pos);
                }
                written++;
            } catch (FsException e) {
                full = e;
            }
        }
        assertTrue(full != null, "a 64 MiB device fills up");
        assertEquals(Errno.ENOSPC, full.errno());
        for (int i = 0; i < written; i++) {
            assertArrayEquals(chunk, readFile(fs, "/fill" + i), "nothing already written is lost");
        }
        fs.mkdir("/still-works", 0755);
        for (int i = 0; i < written; i++) {
            fs.unlink("/fill" + i);
        }
        writeFile(fs, "/after", pattern(7, (int) (20 * MIB)));
        assertArrayEquals(pattern(7, (int) (20 * MIB)), readFile(fs, "/after"));
        long free = fs.statfs().freeBlocks();
        fs.close();
        FsckReport report = Fsck.run(device, false, null);
        assertEquals(0, report.exitCode(), "fsck agrees with the free count: " + report.problems());
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        assertEquals(free, fs.statfs().freeBlocks());
    }

    @Test
    void readOnlyMountRefusesChanges() throws Exception {
        writeFile(fs, "/f", bytes("x"));
        fs.close();
        fs = DaxFileSystem.mount(device, MountOptions.defaults().withReadOnly(true));
        assertEquals("x", new String(readFile(fs, "/f")));
        assertErrno(Errno.EROFS, () -> fs.mkdir("/d", 0755));
        assertErrno(Errno.EROFS, () -> fs.open("/f", OpenFlag.WRITE));
        assertErrno(Errno.EROFS, () -> fs.unlink("/f"));
    }

    @Test
    void largeDirectory() throws Exception {
        int n = 5000 * TestImages.scale();
        fs.mkdir("/big", 0755);
        for (int i = 0; i < n; i++) {
            try (FileHandle h = fs.open("/big/file-" + i, OpenFlag.WRITE, OpenFlag.CREATE)) {
                assertTrue(h.inode() > 2);
            }
        }
        assertEquals(n, fs.readdir("/big").size());
        Set<String> seen = fs.readdir("/big").stream().map(DirEntry::name).collect(Collectors.toSet());
        assertEquals(n, seen.size());
        for (int i = 0; i < n; i += 2) {
            fs.unlink("/big/file-" + i);
        }
        remount();
        assertEquals(n / 2, fs.readdir("/big").size());
        assertErrno(Errno.ENOENT, () -> fs.stat("/big/file-0"));
        assertTrue(fs.stat("/big/file-1").isRegular());
    }

    @Test
    void statfsCountsSpaceAndInodes() throws Exception {
        StatFs before = fs.statfs();
        assertEquals(4096, before.blockSize());
        assertEquals(64 * MIB / 4096, before.totalBlocks());
        writeFile(fs, "/f", pattern(8, 40960));
        StatFs after = fs.statfs();
        assertEquals(before.freeBlocks() - 10, after.freeBlocks());
        assertEquals(255, after.maxNameLength());
        for (int i = 0; i < 300; i++) {
            writeFile(fs, "/i" + i, bytes("x"));
        }
        assertTrue(fs.statfs().totalInodes() >= 300, "inode table grows");
    }

    @Test
    void deviceRemovalShutsTheFileSystemDown() throws Exception {
        writeFile(fs, "/f", bytes("x"));
        FileHandle h = fs.open("/f", OpenFlag.READ, OpenFlag.WRITE);
        device.kill();
        assertErrno(Errno.EIO, () -> h.read(ByteBuffer.allocate(1), 0));
        assertErrno(Errno.EIO, () -> h.write(ByteBuffer.allocate(1), 0));
        assertErrno(Errno.EIO, () -> fs.stat("/f"));
        assertErrno(Errno.EIO, () -> fs.mkdir("/d", 0755));
        h.close();
    }

    @Test
    void unmountedFileSystemsAreNotKeptByTheirDevice() throws Exception {
        fs.close();
        java.lang.ref.WeakReference<DaxFileSystem> first = new java.lang.ref.WeakReference<>(
                DaxFileSystem.mount(device, MountOptions.defaults()));
        first.get().close();
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        for (int i = 0; i < 50 && first.get() != null; i++) {
            System.gc();
        }
        assertTrue(first.get() == null, "the device still holds an unmounted file system");
    }

    @Test
    void directorySizeCountsItsBlocksOnly() throws Exception {
        fs.mkdir("/d", 0755);
        long size = fs.stat("/d").size();
        fs.setXattr("/d", "user.x", bytes("1"), 0);
        assertEquals(size, fs.stat("/d").size());
        for (int i = 0; i < 300; i++) {
            writeFile(fs, "/d/f" + i, bytes("x"));
        }
        Stat s = fs.stat("/d");
        assertEquals(s.blocks() - 4096, s.size(), "size excludes the xattr block");
    }

    @Test
    void mediaErrorsReadAsEio() throws Exception {
        writeFile(fs, "/f", pattern(9, 8192));
        long at = fs.extents("/f").get(0).physical() * 4096;
        device.mediaErrors().add(at + 4096, 512);
        try (FileHandle h = fs.open("/f", OpenFlag.READ, OpenFlag.WRITE)) {
            assertEquals(4096, h.read(ByteBuffer.allocate(4096), 0));
            assertErrno(Errno.EIO, () -> h.read(ByteBuffer.allocate(4096), 4096));
            h.write(ByteBuffer.wrap(new byte[4096]), 4096);
            assertEquals(4096, h.read(ByteBuffer.allocate(4096), 4096), "a full overwrite clears the error");
        }
    }

    private Set<String> names(String dir) throws FsException {
        return new HashSet<>(fs.readdir(dir).stream().map(DirEntry::name).toList());
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
