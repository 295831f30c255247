package org.daxfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.daxfs.format.Extent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attribute views, as objects and by name. */
class AttributesTest {
    @TempDir
    Path dir;
    FileSystem fs;

    @BeforeEach
    void open() throws IOException {
        fs = NioTesting.create(dir, "attrs.img");
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
    }

    private Path p(String s) {
        return fs.getPath(s);
    }

    @Test
    void supportedViews() {
        assertEquals(Set.of("basic", "owner", "posix", "unix", "daxfs"), fs.supportedFileAttributeViews());
    }

    @Test
    void basic() throws IOException {
        Instant before = Instant.now().minusSeconds(1);
        Path f = Files.writeString(p("/f"), "12345");
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        assertEquals(5, a.size());
        assertTrue(a.isRegularFile());
        assertFalse(a.isDirectory() || a.isSymbolicLink() || a.isOther());
        assertTrue(a.lastModifiedTime().toInstant().isAfter(before));
        assertTrue(a.creationTime().toInstant().isAfter(before));
        assertTrue(a.lastAccessTime().toInstant().isAfter(before));
        Path d = Files.createDirectory(p("/d"));
        assertTrue(Files.readAttributes(d, BasicFileAttributes.class).isDirectory());
        Path l = Files.createSymbolicLink(p("/l"), f);
        assertTrue(Files.readAttributes(l, BasicFileAttributes.class).isRegularFile());
        BasicFileAttributes la = Files.readAttributes(l, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertTrue(la.isSymbolicLink());
        assertEquals(2, la.size(), "a link's size is its target's length");
        // file keys: equal for names of one file, different otherwise, and across images
        Path h = Files.createLink(p("/h"), f);
        assertEquals(a.fileKey(), Files.readAttributes(h, BasicFileAttributes.class).fileKey());
        assertNotEquals(a.fileKey(), Files.readAttributes(d, BasicFileAttributes.class).fileKey());
    }

    @Test
    void setTimes() throws IOException {
        Path f = Files.writeString(p("/f"), "x");
        FileTime m = FileTime.from(Instant.parse("2001-02-03T04:05:06.123456789Z"));
        FileTime at = FileTime.from(Instant.parse("2002-02-03T04:05:06Z"));
        Files.setLastModifiedTime(f, m);
        assertEquals(m, Files.getLastModifiedTime(f));
        BasicFileAttributeView v = Files.getFileAttributeView(f, BasicFileAttributeView.class);
        assertEquals("basic", v.name());
        FileTime created = v.readAttributes().creationTime();
        v.setTimes(null, at, FileTime.fromMillis(0));
        BasicFileAttributes a = v.readAttributes();
        assertEquals(m, a.lastModifiedTime());
        assertEquals(at, a.lastAccessTime());
        assertEquals(created, a.creationTime(), "a creation time cannot be changed");
        v.setTimes(null, null, null);
        Files.setAttribute(f, "lastAccessTime", m);
        assertEquals(m, Files.getAttribute(f, "basic:lastAccessTime"));
        FileTime before1970 = FileTime.from(Instant.parse("1950-01-01T00:00:00Z"));
        Files.setLastModifiedTime(f, before1970);
        assertEquals(before1970, Files.getLastModifiedTime(f));
    }

    @Test
    void changesThroughLinksFollowUnlessNofollow() throws IOException {
        Path f = Files.writeString(p("/f"), "x");
        Path l = Files.createSymbolicLink(p("/l"), f);
        FileTime m = FileTime.fromMillis(123_000);
        Files.setLastModifiedTime(l, m);
        assertEquals(m, Files.getLastModifiedTime(f));
        BasicFileAttributeView nofollow = Files.getFileAttributeView(l, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        FileSystemException e = assertThrows(FileSystemException.class, () -> nofollow.setTimes(m, null, null));
        assertTrue(e.getMessage().contains("EOPNOTSUPP"), e.getMessage());
        assertThrows(FileSystemException.class, () -> Files.setAttribute(l, "posix:permissions",
                EnumSet.of(PosixFilePermission.OWNER_READ), LinkOption.NOFOLLOW_LINKS));
        // NOFOLLOW on a file that is not a link changes it
        Files.getFileAttributeView(f, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(FileTime.fromMillis(5000), null, null);
        assertEquals(FileTime.fromMillis(5000), Files.getLastModifiedTime(f));
    }

    @Test
    void posix() throws IOException {
        Path f = Files.writeString(p("/f"), "x");
        PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class);
        assertEquals("0", a.owner().getName());
        assertEquals("0", a.group().getName());
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), a.permissions());
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x--x"));
        assertEquals("rwxr-x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals(0751, Files.getAttribute(f, "unix:mode") instanceof Integer m ? m & 07777 : -1);
        PosixFileAttributeView v = Files.getFileAttributeView(f, PosixFileAttributeView.class);
        assertEquals("posix", v.name());
        UserPrincipalLookupService lookup = fs.getUserPrincipalLookupService();
        UserPrincipal u = lookup.lookupPrincipalByName("1000");
        GroupPrincipal g = lookup.lookupPrincipalByGroupName("50");
        v.setOwner(u);
        v.setGroup(g);
        assertEquals(u, v.getOwner());
        assertEquals(g, v.readAttributes().group());
        assertEquals("1000", Files.getOwner(f).getName());
        assertThrows(java.io.IOException.class, () -> v.setOwner(g), "a group is no owner");
        v.setPermissions(EnumSet.noneOf(PosixFilePermission.class));
        assertEquals(Set.of(), Files.getPosixFilePermissions(f));
        assertThrows(UserPrincipalNotFoundException.class, () -> lookup.lookupPrincipalByName("bob"));
        assertThrows(UserPrincipalNotFoundException.class, () -> lookup.lookupPrincipalByGroupName("-1"));
        assertEquals("4294967294", lookup.lookupPrincipalByName("4294967294").getName());
        // a principal of another provider is taken by its name when that is a number
        UserPrincipal foreign = () -> "77";
        Files.setOwner(f, foreign);
        assertEquals("77", Files.getOwner(f).getName());
        UserPrincipal named = () -> "alice";
        assertThrows(ProviderMismatchException.class, () -> Files.setOwner(f, named));
    }

    @Test
    void chownDropsSetuid() throws IOException {
        Path f = Files.writeString(p("/f"), "x");
        Files.setAttribute(f, "unix:mode", 04755);
        assertEquals(04755, (Integer) Files.getAttribute(f, "unix:mode") & 07777);
        Files.setAttribute(f, "unix:uid", 5);
        assertEquals(0755, (Integer) Files.getAttribute(f, "unix:mode") & 07777);
        assertEquals(5, Files.getAttribute(f, "unix:uid"));
        Files.setAttribute(f, "unix:gid", 6);
        assertEquals(6, Files.getAttribute(f, "unix:gid"));
    }

    @Test
    void owner() throws IOException {
        Path f = Files.createFile(p("/f"));
        FileOwnerAttributeView v = Files.getFileAttributeView(f, FileOwnerAttributeView.class);
        assertEquals("owner", v.name());
        assertEquals("0", v.getOwner().getName());
        v.setOwner(fs.getUserPrincipalLookupService().lookupPrincipalByName("3"));
        assertEquals("3", Files.getAttribute(f, "owner:owner").toString());
        Files.setAttribute(f, "owner:owner", fs.getUserPrincipalLookupService().lookupPrincipalByName("4"));
        assertEquals("4", v.getOwner().getName());
    }

    @Test
    void byName() throws IOException {
        Path f = Files.writeString(p("/f"), "abc");
        Map<String, Object> basic = Files.readAttributes(f, "*");
        assertEquals(Set.of("lastModifiedTime", "lastAccessTime", "creationTime", "size", "isRegularFile", "isDirectory",
                "isSymbolicLink", "isOther", "fileKey"), basic.keySet());
        assertEquals(3L, basic.get("size"));
        assertEquals(Map.of("size", 3L, "isDirectory", false), Files.readAttributes(f, "basic:size,isDirectory"));
        Map<String, Object> posix = Files.readAttributes(f, "posix:*");
        assertTrue(posix.keySet().containsAll(Set.of("permissions", "owner", "group", "size", "lastModifiedTime")));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), posix.get("permissions"));
        Map<String, Object> unix = Files.readAttributes(f, "unix:*");
        assertTrue(unix.keySet().containsAll(Set.of("mode", "ino", "dev", "rdev", "nlink", "uid", "gid", "ctime", "permissions")));
        assertEquals(1, unix.get("nlink"));
        assertEquals(0100644, unix.get("mode"));
        Map<String, Object> dax = Files.readAttributes(f, "daxfs:*");
        assertTrue(dax.keySet().containsAll(Set.of("dax", "daxActive", "extents", "unwrittenBlocks", "inode", "size")));
        assertEquals(unix.get("ino"), dax.get("inode"));
        assertEquals(Map.of("owner", Files.getOwner(f)), Files.readAttributes(f, "owner:*"));
        assertEquals(3L, Files.getAttribute(f, "size"));
        assertThrows(UnsupportedOperationException.class, () -> Files.readAttributes(f, "dos:*"));
        assertThrows(UnsupportedOperationException.class, () -> Files.getAttribute(f, "acl:acl"));
        assertThrows(IllegalArgumentException.class, () -> Files.readAttributes(f, "basic:color"));
        assertThrows(IllegalArgumentException.class, () -> Files.setAttribute(f, "basic:size", 5L));
        assertThrows(IllegalArgumentException.class, () -> Files.setAttribute(f, "posix:color", 5L));
        assertThrows(UnsupportedOperationException.class, () -> Files.setAttribute(f, "dos:hidden", true));
        assertThrows(ClassCastException.class, () -> Files.setAttribute(f, "lastModifiedTime", "yesterday"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Files.readAttributes(p("/missing"), "*"));
    }

    @Test
    void unsupportedTypes() throws IOException {
        Path f = Files.createFile(p("/f"));
        assertNull(Files.getFileAttributeView(f, DosFileAttributeView.class));
        assertThrows(UnsupportedOperationException.class, () -> Files.readAttributes(f, DosFileAttributes.class));
    }

    @Test
    void viewsOfMissingFilesFailWhenUsed() {
        PosixFileAttributeView v = Files.getFileAttributeView(p("/missing"), PosixFileAttributeView.class);
        assertThrows(java.nio.file.NoSuchFileException.class, v::readAttributes);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> v.setPermissions(Set.of()));
    }

    @Test
    void daxfsView() throws IOException {
        Path f = p("/f");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[3 * 4096]));
            ch.write(ByteBuffer.wrap(new byte[] {1}), 10 * 4096);
        }
        DaxFileAttributeView v = Files.getFileAttributeView(f, DaxFileAttributeView.class);
        assertEquals("daxfs", v.name());
        DaxFileAttributes a = v.readAttributes();
        assertTrue(a.isDax(), "inherited from the root directory");
        assertTrue(a.isDaxActive());
        assertEquals(Files.getAttribute(f, "unix:ino"), a.inode());
        assertEquals(10 * 4096 + 1, a.size());
        assertEquals(0, a.unwrittenBlocks());
        List<Extent> extents = a.extents();
        assertEquals(4, extents.stream().mapToLong(Extent::length).sum(), extents.toString());
        assertEquals(0, extents.getFirst().logical());
        assertEquals(10, extents.getLast().end() - 1);
        assertEquals(extents, Files.getAttribute(f, "daxfs:extents"));
        assertInstanceOf(DaxFileAttributes.class, Files.readAttributes(f, DaxFileAttributes.class));
        v.setDax(false);
        assertFalse(v.readAttributes().isDax());
        assertFalse(v.readAttributes().isDaxActive(), "the file switched to the page cache");
        assertEquals(false, Files.getAttribute(f, "daxfs:dax"));
        Files.setAttribute(f, "daxfs:dax", true);
        assertTrue(Files.readAttributes(f, DaxFileAttributes.class).isDax());
        assertEquals(true, Files.getAttribute(f, "daxfs:daxActive"));
        // preallocated blocks are unwritten until written
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            org.daxfs.DaxFiles.allocate(ch, 20 * 4096, 5 * 4096, true);
        }
        assertEquals(5L, Files.getAttribute(f, "daxfs:unwrittenBlocks"));
        // a directory's flag is inherited by what is created in it
        Path d = Files.createDirectory(p("/d"));
        Files.setAttribute(d, "daxfs:dax", true);
        assertEquals(true, Files.getAttribute(Files.createFile(d.resolve("child")), "daxfs:dax"));
        // a symbolic link itself has no extents
        Path l = Files.createSymbolicLink(p("/l"), f);
        assertEquals(List.of(), Files.readAttributes(l, DaxFileAttributes.class, LinkOption.NOFOLLOW_LINKS).extents());
        assertEquals(Files.readAttributes(f, DaxFileAttributes.class).extents(),
                Files.readAttributes(l, DaxFileAttributes.class).extents());
    }

    @Test
    void permissionsAsInitialAttributeByUnixMode() throws IOException {
        Path f = p("/f");
        Files.newByteChannel(f, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                new java.nio.file.attribute.FileAttribute<Integer>() {
                    public String name() {
                        return "unix:mode";
                    }

                    public Integer value() {
                        return 0600;
                    }
                }).close();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
}
