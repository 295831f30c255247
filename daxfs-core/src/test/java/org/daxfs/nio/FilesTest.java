package org.daxfs.nio;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.COPY_ATTRIBUTES;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.DSYNC;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.SPARSE;
import static java.nio.file.StandardOpenOption.SYNC;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.daxfs.DaxFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each {@code Files} operation on a DaxFS path: what it does, and the exact exception of each failure. */
class FilesTest {
    @TempDir
    Path dir;
    FileSystem fs;

    @BeforeEach
    void open() throws IOException {
        fs = NioTesting.create(dir, "files.img");
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
    }

    private Path p(String s) {
        return fs.getPath(s);
    }

    private Path file(String s, String content) throws IOException {
        return Files.writeString(p(s), content);
    }

    // ---- directories -----------------------------------------------------------------------------------

    @Test
    void createDirectory() throws IOException {
        Path d = Files.createDirectory(p("/d"));
        assertTrue(Files.isDirectory(d));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(d));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(p("/")));
        assertThrows(NoSuchFileException.class, () -> Files.createDirectory(p("/missing/d")));
        file("/f", "x");
        assertThrows(NotDirectoryException.class, () -> Files.createDirectory(p("/f/d")));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createDirectory(p("/f")));
        Path e = Files.createDirectory(p("relative"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertTrue(Files.isDirectory(p("/relative")));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(e)));
        FileSystemException tooLong = assertThrows(FileSystemException.class, () -> Files.createDirectory(p("/" + "n".repeat(300))));
        assertTrue(tooLong.getMessage().contains("ENAMETOOLONG"), tooLong.getMessage());
    }

    @Test
    void createDirectoriesAndTempFiles() throws IOException {
        Path deep = Files.createDirectories(p("/a/b/c/d"));
        assertTrue(Files.isDirectory(deep));
        Files.createDirectories(deep); // existing: fine
        // (the JDK asks for owner-only permissions on the default file system only)
        Path t = Files.createTempFile(deep, "tmp", ".txt");
        assertTrue(t.startsWith(deep));
        assertTrue(Files.isRegularFile(t));
        Path td = Files.createTempDirectory(deep, "dir");
        assertTrue(Files.isDirectory(td));
    }

    @Test
    void createFile() throws IOException {
        Path f = Files.createFile(p("/f"));
        assertTrue(Files.isRegularFile(f));
        assertEquals(0, Files.size(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createFile(f));
        Path g = Files.createFile(p("/g"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(g)));
        assertThrows(UnsupportedOperationException.class, () -> Files.createFile(p("/h"), new java.nio.file.attribute.FileAttribute<String>() {
            public String name() {
                return "dos:hidden";
            }

            public String value() {
                return "true";
            }
        }));
        assertFalse(Files.exists(p("/h")));
    }

    // ---- delete ------------------------------------------------------------------------------------------

    @Test
    void delete() throws IOException {
        Path f = file("/f", "x");
        Files.delete(f);
        assertFalse(Files.exists(f));
        assertThrows(NoSuchFileException.class, () -> Files.delete(f));
        assertFalse(Files.deleteIfExists(f));
        Path d = Files.createDirectory(p("/d"));
        file("/d/x", "x");
        assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(d));
        Files.delete(p("/d/x"));
        assertTrue(Files.deleteIfExists(d));
        FileSystemException root = assertThrows(FileSystemException.class, () -> Files.delete(p("/")));
        assertTrue(root.getMessage().contains("EBUSY"), root.getMessage());
    }

    @Test
    void deleteRemovesALinkNotItsTarget() throws IOException {
        Path target = file("/t", "x");
        Path link = Files.createSymbolicLink(p("/l"), target);
        Files.delete(link);
        assertTrue(Files.exists(target));
        Path d = Files.createDirectory(p("/d"));
        Path dl = Files.createSymbolicLink(p("/dl"), d);
        Files.delete(dl);
        assertTrue(Files.isDirectory(d));
    }

    @Test
    void deleteWhileOpenKeepsTheFileUntilClosed() throws IOException {
        Path f = file("/f", "still here");
        try (SeekableByteChannel ch = Files.newByteChannel(f)) {
            Files.delete(f);
            assertFalse(Files.exists(f));
            ByteBuffer b = ByteBuffer.allocate(20);
            ch.read(b);
            assertEquals("still here", new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        }
    }

    // ---- reading and writing -----------------------------------------------------------------------------

    @Test
    void writeAndReadEveryWay() throws IOException {
        Path f = p("/f");
        byte[] data = NioTesting.bytes(300_000, 1);
        Files.write(f, data);
        assertArrayEquals(data, Files.readAllBytes(f));
        assertEquals(data.length, Files.size(f));
        Files.write(f, List.of("one", "two"));
        assertEquals(List.of("one", "two"), Files.readAllLines(f));
        try (var w = Files.newBufferedWriter(f)) {
            w.write("three\n");
        }
        try (Stream<String> lines = Files.lines(f)) {
            assertEquals(List.of("three"), lines.toList());
        }
        try (InputStream in = Files.newInputStream(f)) {
            assertEquals(6, in.available());
            assertEquals(2, in.skip(2));
            assertEquals('r', in.read());
            assertEquals("ee\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (OutputStream out = Files.newOutputStream(f)) { // CREATE, TRUNCATE_EXISTING, WRITE
            out.write('z');
        }
        assertEquals("z", Files.readString(f));
        assertEquals(-1L, Files.mismatch(f, f));
    }

    @Test
    void openOptions() throws IOException {
        Path f = p("/f");
        assertThrows(NoSuchFileException.class, () -> Files.newByteChannel(f, WRITE));
        assertThrows(NoSuchFileException.class, () -> Files.newInputStream(f));
        Files.writeString(f, "abc", CREATE_NEW, WRITE);
        assertThrows(FileAlreadyExistsException.class, () -> Files.writeString(f, "x", CREATE_NEW, WRITE));
        Files.writeString(f, "de", APPEND);
        assertEquals("abcde", Files.readString(f));
        Files.writeString(f, "X", WRITE); // no truncation
        assertEquals("Xbcde", Files.readString(f));
        Files.writeString(f, "Y", WRITE, TRUNCATE_EXISTING);
        assertEquals("Y", Files.readString(f));
        Files.writeString(f, "Z", CREATE, WRITE, SYNC);
        Files.writeString(f, "Q", WRITE, DSYNC, SPARSE);
        assertEquals("Q", Files.readString(f));
        assertThrows(IllegalArgumentException.class, () -> Files.newByteChannel(f, READ, APPEND));
        assertThrows(IllegalArgumentException.class, () -> Files.newByteChannel(f, APPEND, TRUNCATE_EXISTING));
        assertThrows(UnsupportedOperationException.class, () -> Files.newInputStream(f, WRITE));
        assertThrows(UnsupportedOperationException.class, () -> Files.newInputStream(f, APPEND));
        assertThrows(IllegalArgumentException.class, () -> Files.newOutputStream(f, READ));
        assertThrows(UnsupportedOperationException.class, () -> Files.newByteChannel(f, Set.of(READ, new java.nio.file.OpenOption() {
        })));
        // TRUNCATE_EXISTING is ignored for reading
        try (SeekableByteChannel ch = Files.newByteChannel(f, READ, TRUNCATE_EXISTING)) {
            assertEquals(1, ch.size());
        }
        assertInstanceOf(FileChannel.class, Files.newByteChannel(f));
    }

    @Test
    void deleteOnClose() throws IOException {
        Path f = p("/f");
        try (SeekableByteChannel ch = Files.newByteChannel(f, CREATE_NEW, WRITE, DELETE_ON_CLOSE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}));
            assertTrue(Files.exists(f));
        }
        assertFalse(Files.exists(f));
        Path g = file("/g", "x");
        try (InputStream in = Files.newInputStream(g, DELETE_ON_CLOSE)) {
            assertEquals('x', in.read());
        }
        assertFalse(Files.exists(g));
    }

    @Test
    void nofollowLinksRefusesToOpenALink() throws IOException {
        Path target = file("/t", "x");
        Path link = Files.createSymbolicLink(p("/l"), target);
        assertEquals("x", Files.readString(link));
        FileSystemException e = assertThrows(FileSystemException.class, () -> Files.newByteChannel(link, READ, LinkOption.NOFOLLOW_LINKS));
        assertTrue(e.getMessage().contains("ELOOP"), e.getMessage());
        try (SeekableByteChannel ch = Files.newByteChannel(target, READ, LinkOption.NOFOLLOW_LINKS)) {
            assertEquals(1, ch.size());
        }
        // CREATE_NEW never follows a link: the name exists
        assertThrows(FileAlreadyExistsException.class, () -> Files.newByteChannel(link, CREATE_NEW, WRITE));
        Path dangling = Files.createSymbolicLink(p("/dangling"), p("/created-through-link"));
        Files.writeString(dangling, "made"); // CREATE follows a dangling link, as open(2) does
        assertEquals("made", Files.readString(p("/created-through-link")));
    }

    @Test
    void directoriesAreNotFiles() throws IOException {
        Path d = Files.createDirectory(p("/d"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> Files.newOutputStream(d));
        assertTrue(e.getMessage().contains("EISDIR"), e.getMessage());
        try (SeekableByteChannel ch = Files.newByteChannel(d)) {
            FileSystemException r = assertThrows(FileSystemException.class, () -> ch.read(ByteBuffer.allocate(1)));
            assertTrue(r.getMessage().contains("EISDIR"), r.getMessage());
        }
        assertThrows(FileSystemException.class, () -> Files.readAllBytes(d));
        file("/f", "x");
        assertThrows(NotDirectoryException.class, () -> Files.newByteChannel(p("/f/x"), CREATE, WRITE));
    }

    @Test
    void fullDeviceIsENOSPC() throws IOException {
        Path f = p("/big");
        FileSystemException e = assertThrows(FileSystemException.class, () -> {
            try (OutputStream out = Files.newOutputStream(f)) {
                byte[] chunk = new byte[1 << 20];
                java.util.Arrays.fill(chunk, (byte) 1);
                for (int i = 0; i < 64; i++) {
                    out.write(chunk);
                }
            }
        });
        assertTrue(e.getMessage().contains("ENOSPC"), e.getMessage());
        Files.delete(f);
        Files.writeString(p("/small"), "fits again");
    }

    // ---- copy ----------------------------------------------------------------------------------------------

    @Test
    void copyFile() throws IOException {
        byte[] data = NioTesting.bytes(100_000, 2);
        Path src = Files.write(p("/src"), data);
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwx--x---"));
        Path dst = Files.copy(src, p("/dst"));
        assertArrayEquals(data, Files.readAllBytes(dst));
        assertEquals("rwx--x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst)), "created with the source's permissions");
        assertNotEquals(Files.getAttribute(src, "unix:ino"), Files.getAttribute(dst, "unix:ino"));
        assertThrows(FileAlreadyExistsException.class, () -> Files.copy(src, dst));
        Files.writeString(src, "new");
        Files.copy(src, dst, REPLACE_EXISTING);
        assertEquals("new", Files.readString(dst));
        Files.copy(src, src); // the same file: nothing to do
        Files.copy(src, p("/./src"), REPLACE_EXISTING);
        assertEquals("new", Files.readString(src));
        assertThrows(NoSuchFileException.class, () -> Files.copy(p("/missing"), p("/x")));
        assertThrows(NoSuchFileException.class, () -> Files.copy(src, p("/nodir/x")));
        assertThrows(UnsupportedOperationException.class, () -> Files.copy(src, p("/y"), ATOMIC_MOVE));
    }

    @Test
    void copyAttributes() throws IOException {
        Path src = file("/src", "data");
        FileTime t = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(src, t);
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("r--r-----"));
        Files.setOwner(src, fs.getUserPrincipalLookupService().lookupPrincipalByName("42"));
        Files.setAttribute(src, "daxfs:dax", true);
        Path dst = Files.copy(src, p("/dst"), COPY_ATTRIBUTES);
        assertEquals(t, Files.getLastModifiedTime(dst));
        assertEquals("r--r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst)));
        assertEquals("42", Files.getOwner(dst).getName());
        assertEquals(true, Files.getAttribute(dst, "daxfs:dax"));
        Path plain = Files.copy(src, p("/plain"));
        assertNotEquals(t, Files.getLastModifiedTime(plain));
        assertEquals("0", Files.getOwner(plain).getName());
    }

    @Test
    void copyLinksAndDirectories() throws IOException {
        Path target = file("/t", "through the link");
        Path link = Files.createSymbolicLink(p("/l"), p("t"));
        Path followed = Files.copy(link, p("/followed"));
        assertTrue(Files.isRegularFile(followed, LinkOption.NOFOLLOW_LINKS));
        assertEquals("through the link", Files.readString(followed));
        Path copiedLink = Files.copy(link, p("/copied-link"), LinkOption.NOFOLLOW_LINKS, COPY_ATTRIBUTES);
        assertTrue(Files.isSymbolicLink(copiedLink));
        assertEquals(p("t"), Files.readSymbolicLink(copiedLink));
        Path d = Files.createDirectory(p("/d"));
        file("/d/inside", "x");
        Path d2 = Files.copy(d, p("/d2"), COPY_ATTRIBUTES);
        assertTrue(Files.isDirectory(d2));
        try (Stream<Path> s = Files.list(d2)) {
            assertEquals(0, s.count(), "a directory is copied without its entries");
        }
        // replacing: a non-empty directory cannot be replaced, an empty one can
        assertThrows(DirectoryNotEmptyException.class, () -> Files.copy(target, d, REPLACE_EXISTING));
        Files.copy(target, d2, REPLACE_EXISTING);
        assertTrue(Files.isRegularFile(d2));
    }

    @Test
    void copyKeepsHoles() throws IOException {
        Path src = p("/sparse");
        try (FileChannel ch = FileChannel.open(src, CREATE_NEW, WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 0);
            ch.write(ByteBuffer.wrap(new byte[] {2}), 10L << 20);
            ch.write(ByteBuffer.wrap(new byte[] {3}), (20L << 20) - 1);
        }
        Path dst = Files.copy(src, p("/copy"));
        assertEquals(20L << 20, Files.size(dst));
        long blocks = DaxFiles.extents(dst).stream().mapToLong(e -> e.length()).sum();
        assertEquals(3, blocks, "only the three written blocks are allocated");
        try (FileChannel ch = FileChannel.open(dst)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, 10L << 20);
            assertEquals(2, b.get(0));
            b.clear();
            ch.read(b, (20L << 20) - 1);
            assertEquals(3, b.get(0));
        }
        // a file ending in a hole keeps its size
        try (FileChannel ch = FileChannel.open(p("/tail"), CREATE_NEW, WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 0);
            DaxFiles.allocate(ch, 0, 1 << 20, false);
        }
        assertEquals(1 << 20, Files.size(Files.copy(p("/tail"), p("/tail2"))));
    }

    @Test
    void copyAcrossProviders(@TempDir Path local) throws IOException {
        byte[] data = NioTesting.bytes(70_000, 3);
        Path src = Files.write(p("/src"), data);
        Path out = Files.copy(src, local.resolve("out"));
        assertArrayEquals(data, Files.readAllBytes(out));
        Path back = Files.copy(out, p("/back"));
        assertArrayEquals(data, Files.readAllBytes(back));
        Files.copy(out, p("/back"), REPLACE_EXISTING);
        assertThrows(FileAlreadyExistsException.class, () -> Files.copy(out, p("/back")));
    }

    @Test
    void copyAndMoveBetweenImages(@TempDir Path other) throws IOException {
        try (FileSystem fs2 = NioTesting.create(other, "second.img")) {
            byte[] data = NioTesting.bytes(50_000, 4);
            Path src = Files.write(p("/src"), data);
            Path copy = Files.copy(src, fs2.getPath("/copy"), COPY_ATTRIBUTES);
            assertArrayEquals(data, Files.readAllBytes(copy));
            assertEquals(Files.getLastModifiedTime(src), Files.getLastModifiedTime(copy));
            assertThrows(AtomicMoveNotSupportedException.class, () -> Files.move(src, fs2.getPath("/moved"), ATOMIC_MOVE));
            Path moved = Files.move(src, fs2.getPath("/moved"));
            assertFalse(Files.exists(src));
            assertArrayEquals(data, Files.readAllBytes(moved));
            Path d = Files.createDirectory(p("/d"));
            file("/d/x", "x");
            assertThrows(DirectoryNotEmptyException.class, () -> Files.move(d, fs2.getPath("/d")));
            Files.delete(p("/d/x"));
            Files.move(d, fs2.getPath("/d"));
            assertTrue(Files.isDirectory(fs2.getPath("/d")));
            assertThrows(FileSystemException.class, () -> Files.createLink(fs2.getPath("/hard"), p("/nothing")));
        }
    }

    // ---- move -----------------------------------------------------------------------------------------------

    @Test
    void move() throws IOException {
        Path a = file("/a", "A");
        Path b = Files.move(a, p("/b"));
        assertFalse(Files.exists(a));
        assertEquals("A", Files.readString(b));
        Path c = file("/c", "C");
        assertThrows(FileAlreadyExistsException.class, () -> Files.move(b, c));
        assertEquals("C", Files.readString(c));
        Files.move(b, c, REPLACE_EXISTING);
        assertEquals("A", Files.readString(c));
        assertFalse(Files.exists(b));
        Path d = file("/d", "D");
        Files.move(d, c, ATOMIC_MOVE); // rename(2): replaces
        assertEquals("D", Files.readString(c));
        Files.move(c, c); // the same file
        Files.move(c, p("/./c"));
        assertTrue(Files.exists(c));
        assertThrows(NoSuchFileException.class, () -> Files.move(p("/missing"), p("/x")));
        assertThrows(UnsupportedOperationException.class, () -> Files.move(c, p("/x"), COPY_ATTRIBUTES));
    }

    @Test
    void moveDirectories() throws IOException {
        Path d = Files.createDirectories(p("/d/sub"));
        file("/d/sub/f", "f");
        Path e = Files.move(p("/d"), p("/e"));
        assertEquals("f", Files.readString(e.resolve("sub/f")));
        Path full = Files.createDirectory(p("/full"));
        file("/full/x", "x");
        assertThrows(DirectoryNotEmptyException.class, () -> Files.move(e, full, REPLACE_EXISTING));
        Path empty = Files.createDirectory(p("/empty"));
        Files.move(e, empty, REPLACE_EXISTING);
        assertTrue(Files.exists(p("/empty/sub/f")));
        // a file over an empty directory, and a directory over a file, with REPLACE_EXISTING (as the JDK)
        Path emptyDir = Files.createDirectory(p("/ed"));
        Files.move(p("/full/x"), emptyDir, REPLACE_EXISTING);
        assertTrue(Files.isRegularFile(emptyDir));
        Files.move(p("/empty"), p("/ed"), REPLACE_EXISTING);
        assertTrue(Files.isDirectory(p("/ed/sub")));
        FileSystemException into = assertThrows(FileSystemException.class, () -> Files.move(p("/ed"), p("/ed/sub/x")));
        assertTrue(into.getMessage().contains("EINVAL"), into.getMessage());
        file("/full/y", "y");
        assertThrows(DirectoryNotEmptyException.class, () -> Files.move(p("/ed"), p("/full"), ATOMIC_MOVE));
        assertTrue(Files.isDirectory(p("/ed")));
        assertFalse(Files.exists(d));
    }

    @Test
    void moveToTheDefaultFileSystem(@TempDir Path local) throws IOException {
        Path src = file("/src", "leaving");
        Path out = Files.move(src, local.resolve("out"));
        assertEquals("leaving", Files.readString(out));
        assertFalse(Files.exists(src));
        Files.move(out, p("/back"));
        assertEquals("leaving", Files.readString(p("/back")));
    }

    @Test
    void moveHardLinksOfOneFileIsANoOp() throws IOException {
        Path a = file("/a", "A");
        Path b = Files.createLink(p("/b"), a);
        Files.move(a, b, REPLACE_EXISTING);
        assertTrue(Files.exists(a));
        assertTrue(Files.exists(b));
    }

    // ---- directory streams ---------------------------------------------------------------------------------

    @Test
    void directoryStream() throws IOException {
        Path d = Files.createDirectory(p("/d"));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 600; i++) { // more than a page
            names.add("f" + i + (i % 3 == 0 ? ".txt" : ".bin"));
        }
        for (String n : names) {
            Files.createFile(d.resolve(n));
        }
        Files.createDirectory(d.resolve("sub"));
        Set<String> seen = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path e : ds) {
                assertEquals(d, e.getParent());
                assertTrue(seen.add(e.getFileName().toString()), "listed twice: " + e);
            }
        }
        names.add("sub");
        assertEquals(names, seen);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "*.txt")) {
            int n = 0;
            for (Path e : ds) {
                assertTrue(e.toString().endsWith(".txt"));
                n++;
            }
            assertEquals(200, n);
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, Files::isDirectory)) {
            List<Path> dirs = new ArrayList<>();
            ds.forEach(dirs::add);
            assertEquals(List.of(d.resolve("sub")), dirs);
        }
        // relative directory: entries are relative too
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p("d/sub"))) {
            assertFalse(ds.iterator().hasNext());
        }
    }

    @Test
    void directoryStreamFailures() throws IOException {
        file("/f", "x");
        assertThrows(NotDirectoryException.class, () -> Files.newDirectoryStream(p("/f")));
        assertThrows(NoSuchFileException.class, () -> Files.newDirectoryStream(p("/missing")));
        Path d = Files.createDirectory(p("/d"));
        Files.createFile(d.resolve("a"));
        Files.createFile(d.resolve("b"));
        DirectoryStream<Path> ds = Files.newDirectoryStream(d);
        Iterator<Path> it = ds.iterator();
        assertThrows(IllegalStateException.class, ds::iterator);
        assertTrue(it.hasNext());
        it.next();
        ds.close();
        ds.close();
        // once closed, the iterator ends (an element it had already found may still come)
        int left = 0;
        while (it.hasNext()) {
            it.next();
            left++;
        }
        assertTrue(left <= 1);
        assertThrows(java.util.NoSuchElementException.class, it::next);
        DirectoryStream<Path> closed = Files.newDirectoryStream(d);
        closed.close();
        assertThrows(IllegalStateException.class, closed::iterator);
        try (DirectoryStream<Path> failing = Files.newDirectoryStream(d, e -> {
            throw new IOException("filter failed");
        })) {
            DirectoryIteratorException x = assertThrows(DirectoryIteratorException.class, () -> failing.iterator().hasNext());
            assertEquals("filter failed", x.getCause().getMessage());
        }
    }

    @Test
    void walkFindAndList() throws IOException {
        Files.createDirectories(p("/w/a/b"));
        file("/w/a/one.txt", "1");
        file("/w/a/b/two.txt", "2");
        file("/w/three.bin", "3");
        Files.createSymbolicLink(p("/w/link"), p("a"));
        try (Stream<Path> s = Files.walk(p("/w"))) {
            assertEquals(Set.of("/w", "/w/a", "/w/a/b", "/w/a/one.txt", "/w/a/b/two.txt", "/w/three.bin", "/w/link"),
                    s.map(Path::toString).collect(Collectors.toSet()));
        }
        try (Stream<Path> s = Files.walk(p("/w"), java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            assertEquals(10, s.count()); // the link's subtree a second time
        }
        try (Stream<Path> s = Files.find(p("/w"), 10, (path, attrs) -> attrs.isRegularFile() && path.toString().endsWith(".txt"))) {
            assertEquals(2, s.count());
        }
        try (Stream<Path> s = Files.list(p("/w"))) {
            assertEquals(3, s.count());
        }
        // delete the tree bottom-up, as a recursive delete does
        try (Stream<Path> s = Files.walk(p("/w"))) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
        assertFalse(Files.exists(p("/w")));
    }

    // ---- links --------------------------------------------------------------------------------------------

    @Test
    void symbolicLinks() throws IOException {
        Path target = file("/t", "x");
        Path abs = Files.createSymbolicLink(p("/abs"), target);
        Path rel = Files.createSymbolicLink(p("/rel"), p("t"));
        assertTrue(Files.isSymbolicLink(abs));
        assertEquals(p("/t"), Files.readSymbolicLink(abs));
        assertEquals(p("t"), Files.readSymbolicLink(rel));
        assertEquals("x", Files.readString(rel));
        assertTrue(Files.isRegularFile(rel));
        assertFalse(Files.isRegularFile(rel, LinkOption.NOFOLLOW_LINKS));
        assertThrows(NotLinkException.class, () -> Files.readSymbolicLink(target));
        assertThrows(NoSuchFileException.class, () -> Files.readSymbolicLink(p("/missing")));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createSymbolicLink(abs, target));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createSymbolicLink(target, p("/t")));
        assertThrows(UnsupportedOperationException.class, () -> Files.createSymbolicLink(p("/x"), target,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx"))));
        assertThrows(ProviderMismatchException.class, () -> Files.createSymbolicLink(p("/x"), Path.of("/tmp")));
        Path dangling = Files.createSymbolicLink(p("/dangling"), p("/nothing"));
        assertFalse(Files.exists(dangling));
        assertTrue(Files.exists(dangling, LinkOption.NOFOLLOW_LINKS));
        Path longTarget = p("/" + "x".repeat(200) + "/" + "y".repeat(200));
        Path longLink = Files.createSymbolicLink(p("/long"), longTarget);
        assertEquals(longTarget, Files.readSymbolicLink(longLink));
    }

    @Test
    void hardLinks() throws IOException {
        Path a = file("/a", "shared");
        Path b = Files.createLink(p("/b"), a);
        assertTrue(Files.isSameFile(a, b));
        assertEquals(2, Files.getAttribute(a, "unix:nlink"));
        Files.writeString(b, "changed");
        assertEquals("changed", Files.readString(a));
        assertThrows(FileAlreadyExistsException.class, () -> Files.createLink(b, a));
        assertThrows(NoSuchFileException.class, () -> Files.createLink(p("/c"), p("/missing")));
        Path d = Files.createDirectory(p("/d"));
        assertThrows(AccessDeniedException.class, () -> Files.createLink(p("/dl"), d));
    }

    @Test
    void isSameFile() throws IOException {
        Path a = file("/a", "x");
        Path b = file("/b", "x");
        assertTrue(Files.isSameFile(a, a));
        assertTrue(Files.isSameFile(a, p("/./a")));
        assertTrue(Files.isSameFile(a, Files.createSymbolicLink(p("/l"), a)));
        assertFalse(Files.isSameFile(a, b));
        assertFalse(Files.isSameFile(a, Path.of("/a")));
        assertTrue(Files.isSameFile(p("/missing"), p("/missing")), "equal paths, as the JDK: no access");
        assertThrows(NoSuchFileException.class, () -> Files.isSameFile(a, p("/missing")));
    }

    @Test
    void isHidden() throws IOException {
        assertTrue(Files.isHidden(p("/.hidden")));
        assertTrue(Files.isHidden(p("/d/.x")));
        assertFalse(Files.isHidden(p("/visible")));
        assertFalse(Files.isHidden(p("/")));
    }

    // ---- file store and access -----------------------------------------------------------------------------

    @Test
    void fileStore() throws IOException {
        FileStore store = Files.getFileStore(p("/"));
        assertEquals("daxfs", store.type());
        assertEquals(dir.resolve("files.img").toString(), store.name());
        assertFalse(store.isReadOnly());
        assertEquals(4096, store.getBlockSize());
        long total = store.getTotalSpace();
        long free = store.getUnallocatedSpace();
        long usable = store.getUsableSpace();
        assertEquals(32L << 20, total);
        assertTrue(usable > 0 && usable <= free && free <= total, usable + " " + free + " " + total);
        Files.write(p("/big"), new byte[1 << 20]);
        assertTrue(store.getUsableSpace() <= usable - (1 << 20), "1 MiB used");
        assertEquals(total, store.getAttribute("totalSpace"));
        assertThrows(UnsupportedOperationException.class, () -> store.getAttribute("color"));
        assertTrue(store.supportsFileAttributeView("posix"));
        assertTrue(store.supportsFileAttributeView("daxfs"));
        assertFalse(store.supportsFileAttributeView("dos"));
        assertTrue(store.supportsFileAttributeView(PosixFileAttributeView.class));
        assertTrue(store.supportsFileAttributeView(DaxFileAttributeView.class));
        assertFalse(store.supportsFileAttributeView(java.nio.file.attribute.DosFileAttributeView.class));
        assertThrows(NoSuchFileException.class, () -> Files.getFileStore(p("/missing")));
        List<FileStore> stores = new ArrayList<>();
        fs.getFileStores().forEach(stores::add);
        assertEquals(1, stores.size());
    }

    @Test
    void checkAccess() throws IOException {
        Path f = file("/f", "x");
        fs.provider().checkAccess(f);
        fs.provider().checkAccess(f, AccessMode.READ, AccessMode.WRITE);
        assertThrows(NoSuchFileException.class, () -> fs.provider().checkAccess(p("/missing")));
        assertThrows(AccessDeniedException.class, () -> fs.provider().checkAccess(f, AccessMode.EXECUTE));
        assertFalse(Files.isExecutable(f));
        assertTrue(Files.isExecutable(p("/")));
        assertTrue(Files.isReadable(f));
        assertTrue(Files.isWritable(f));
        assertTrue(Files.exists(f));
        assertTrue(Files.notExists(p("/missing")));
    }

    @Test
    void foreignPathsAreRefused() {
        Path local = Path.of("/tmp/x");
        assertThrows(ProviderMismatchException.class, () -> fs.provider().delete(local));
        assertThrows(ProviderMismatchException.class, () -> fs.provider().newByteChannel(local, Set.of()));
        assertThrows(ProviderMismatchException.class, () -> fs.provider().readAttributes(local, BasicFileAttributes.class));
        assertThrows(ProviderMismatchException.class, () -> fs.provider().createDirectory(local));
        assertThrows(ProviderMismatchException.class, () -> fs.provider().copy(p("/a"), local));
        assertThrows(ProviderMismatchException.class, () -> fs.provider().move(p("/a"), local, StandardCopyOption.ATOMIC_MOVE));
    }
}
