package org.daxfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderNotFoundException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.daxfs.DaxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Opening, registering and closing file systems: newFileSystem and its environment, URIs, close. */
class ProviderTest {
    @TempDir
    Path dir;

    @Test
    void installedAndFoundByServiceLoader() {
        assertTrue(FileSystemProvider.installedProviders().stream()
                .anyMatch(p -> p.getScheme().equals("daxfs") && p instanceof DaxFileSystemProvider));
        assertTrue(ServiceLoader.load(FileSystemProvider.class).stream()
                .anyMatch(p -> p.type() == DaxFileSystemProvider.class));
    }

    @Test
    void createFormatsASparseImageOfTheSizeAsked() throws IOException {
        Path image = dir.resolve("new.img");
        try (FileSystem fs = NioTesting.create(image, Map.of("size", "20m"))) {
            assertInstanceOf(DaxFileSystemProvider.class, fs.provider());
            assertTrue(fs.isOpen());
            assertFalse(fs.isReadOnly());
            assertEquals(20L << 20, Files.size(image));
            Files.writeString(fs.getPath("/a.txt"), "kept");
        }
        // reopened without create: the data is there
        try (FileSystem fs = NioTesting.open(image, Map.of())) {
            assertEquals("kept", Files.readString(fs.getPath("/a.txt")));
        }
        // create=true on an existing image opens it, never reformats it
        try (FileSystem fs = NioTesting.create(image, Map.of())) {
            assertEquals("kept", Files.readString(fs.getPath("/a.txt")));
        }
    }

    @Test
    void sizeAsANumber() throws IOException {
        Path image = dir.resolve("n.img");
        NioTesting.create(image, Map.of("size", 24L << 20)).close();
        assertEquals(24L << 20, Files.size(image));
        Path image2 = dir.resolve("i.img");
        NioTesting.create(image2, Map.of("size", 17 << 20)).close();
        assertEquals(17L << 20, Files.size(image2));
    }

    @ParameterizedTest
    @CsvSource({"4096, 4096", "16M, 16777216", "256m, 268435456", "1.5G, 1610612736", "2KiB, 2048", "1t, 1099511627776"})
    void sizesTakeBinaryUnits(String text, long bytes) {
        assertEquals(bytes, EnvOptions.parseSize(text));
    }

    @ParameterizedTest
    @CsvSource({"abc", "1.5", "12X", "-1m", "MiB"})
    void badSizesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> EnvOptions.parseSize(text));
    }

    @Test
    void imageTooSmallIsRefusedAndNothingIsLeftBehind() {
        Path image = dir.resolve("small.img");
        FileSystemException e = assertThrows(FileSystemException.class, () -> NioTesting.create(image, Map.of("size", "4096")));
        assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
        assertFalse(Files.exists(image));
    }

    @Test
    void createOnAnEmptyFileFormatsIt() throws IOException {
        Path image = Files.createFile(dir.resolve("empty.img"));
        try (FileSystem fs = NioTesting.create(image, Map.of())) {
            Files.createDirectory(fs.getPath("/d"));
        }
        assertEquals(32L << 20, Files.size(image));
    }

    @Test
    void missingImageWithoutCreate() {
        assertThrows(NoSuchFileException.class, () -> NioTesting.open(dir.resolve("none.img"), Map.of()));
    }

    @Test
    void aFileThatIsNotAnImage() throws IOException {
        Path junk = Files.write(dir.resolve("junk.bin"), new byte[8192]);
        FileSystemException e = assertThrows(FileSystemException.class, () -> NioTesting.open(junk, Map.of()));
        assertTrue(e.getMessage().contains("not a DaxFS image"), e.getMessage());
        // by path, every provider declines it
        assertThrows(ProviderNotFoundException.class, () -> FileSystems.newFileSystem(junk));
        assertThrows(UnsupportedOperationException.class, () -> new DaxFileSystemProvider().newFileSystem(junk, Map.of()));
        // create=true does not overwrite it
        assertThrows(FileSystemException.class, () -> NioTesting.create(junk, Map.of()));
        assertEquals(8192, Files.size(junk));
    }

    @Test
    void anExistingImageOpensByPath() throws IOException {
        Path image = dir.resolve("bypath.img");
        NioTesting.create(image, Map.of()).close();
        try (FileSystem fs = FileSystems.newFileSystem(image)) {
            assertInstanceOf(DaxFileSystemProvider.class, fs.provider());
            Files.writeString(fs.getPath("/x"), "y");
            // registered: the URI finds it, and a second open is refused
            assertSame(fs, FileSystems.getFileSystem(NioTesting.uriOf(image)));
            assertThrows(FileSystemAlreadyExistsException.class, () -> NioTesting.open(image, Map.of()));
        }
    }

    @Test
    void theProviderCreatesByPath() throws IOException {
        Path image = dir.resolve("created-by-path.img");
        FileSystemProvider provider = provider();
        try (FileSystem fs = provider.newFileSystem(image, Map.of("create", "true", "size", "16m"))) {
            Files.createDirectory(fs.getPath("/d"));
        }
        assertEquals(16L << 20, Files.size(image));
        try (FileSystem other = NioTesting.create(dir, "foreign.img")) {
            // an image inside an image is not supported: images are files of the default file system
            assertThrows(UnsupportedOperationException.class, () -> provider.newFileSystem(other.getPath("/x"), Map.of()));
        }
    }

    private static FileSystemProvider provider() {
        return FileSystemProvider.installedProviders().stream().filter(p -> p.getScheme().equals("daxfs")).findFirst().orElseThrow();
    }

    @Test
    void registeredByUriUntilClosed() throws IOException {
        Path image = dir.resolve("reg.img");
        URI uri = NioTesting.uriOf(image);
        assertThrows(FileSystemNotFoundException.class, () -> FileSystems.getFileSystem(uri));
        FileSystem fs = NioTesting.create(image, Map.of());
        assertSame(fs, FileSystems.getFileSystem(uri));
        assertSame(fs, FileSystems.getFileSystem(URI.create(uri + "!/any/path")));
        assertThrows(FileSystemAlreadyExistsException.class, () -> NioTesting.create(image, Map.of()));
        // a relative spelling of the same image is the same file system
        assertSame(fs, provider().getFileSystem(URI.create("daxfs:" + image.toString())));
        fs.close();
        assertThrows(FileSystemNotFoundException.class, () -> FileSystems.getFileSystem(uri));
        assertThrows(FileSystemNotFoundException.class, () -> Path.of(URI.create(uri + "!/a")));
        try (FileSystem again = NioTesting.open(image, Map.of())) {
            assertTrue(again.isOpen());
        }
    }

    @Test
    void badUris() {
        assertThrows(IllegalArgumentException.class, () -> provider().newFileSystem(URI.create("file:///x.img"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> provider().getFileSystem(URI.create("jar:file:///x.img")));
    }

    @Test
    void readOnly() throws IOException {
        Path image = dir.resolve("ro.img");
        try (FileSystem fs = NioTesting.create(image, Map.of())) {
            Files.writeString(fs.getPath("/f"), "data");
            Files.createDirectory(fs.getPath("/d"));
        }
        for (Object ro : List.of(true, "true", "TRUE")) {
            try (FileSystem fs = NioTesting.open(image, Map.of("readOnly", ro))) {
                assertTrue(fs.isReadOnly());
                assertTrue(fs.getFileStores().iterator().next().isReadOnly());
                Path f = fs.getPath("/f");
                assertEquals("data", Files.readString(f));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.writeString(f, "x"));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.newByteChannel(f, StandardOpenOption.WRITE));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.createDirectory(fs.getPath("/e")));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.delete(f));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.copy(f, fs.getPath("/g")));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.move(f, fs.getPath("/g")));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.createSymbolicLink(fs.getPath("/l"), f));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.createLink(fs.getPath("/l"), f));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.setAttribute(f, "posix:permissions",
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                assertThrows(ReadOnlyFileSystemException.class, () -> Files.newByteChannel(f, StandardOpenOption.READ,
                        StandardOpenOption.DELETE_ON_CLOSE));
                AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                        () -> fs.provider().checkAccess(f, AccessMode.WRITE));
                assertTrue(denied.getMessage().contains("EROFS"), denied.getMessage());
                assertFalse(Files.isWritable(f));
                assertTrue(Files.isReadable(f));
                // reading with CREATE ignores CREATE, as the default provider does
                try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.READ, StandardOpenOption.CREATE)) {
                    assertEquals(4, ch.size());
                    ((FileChannel) ch).force(true);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "readOnly | maybe",
        "create   | 1",
        "dax      | sometimes",
        "uid      | bob",
        "gid      | -5",
    })
    void badEnvironmentValues(String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NioTesting.create(dir.resolve("env.img"), Map.of(key, value)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void createAndReadOnlyTogetherAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NioTesting.create(dir.resolve("x.img"), Map.of("readOnly", true)));
    }

    @Test
    void daxModes() throws IOException {
        Path image = dir.resolve("dax.img");
        NioTesting.create(image, Map.of("dax", "always")).close();
        NioTesting.open(image, Map.of("dax", "inode")).close();
        NioTesting.open(image, Map.of("dax", "ALWAYS")).close();
        try (FileSystem fs = NioTesting.open(image, Map.of("dax", "never", "cacheSize", "4m"))) {
            Path f = Files.write(fs.getPath("/cached"), new byte[] {1, 2, 3});
            assertEquals(Boolean.TRUE, Files.getAttribute(f, "daxfs:dax"), "the flag is inherited from the root");
            assertEquals(Boolean.FALSE, Files.getAttribute(f, "daxfs:daxActive"), "dax=never: through the page cache");
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        }
        try (FileSystem fs = NioTesting.open(image, Map.of())) {
            Path f = fs.getPath("/cached");
            assertEquals(Boolean.TRUE, Files.getAttribute(f, "daxfs:daxActive"), "dax=inode and the flag: DAX");
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f), "written back at close");
            DaxFiles.setDax(f, false);
            assertEquals(Boolean.FALSE, Files.getAttribute(f, "daxfs:daxActive"), "clearing the flag switches the file");
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> NioTesting.open(image, Map.of("dax", "sometimes")));
        assertTrue(bad.getMessage().contains("dax"), bad.getMessage());
        // a refused open leaves the image free to open
        NioTesting.open(image, Map.of()).close();
    }

    @Test
    void uidAndGidOwnNewFiles() throws IOException {
        try (FileSystem fs = NioTesting.create(dir.resolve("owner.img"), Map.of("uid", 1000, "gid", "100"))) {
            Path f = Files.createFile(fs.getPath("/f"));
            assertEquals("1000", Files.getOwner(f).getName());
            assertEquals(100, Files.getAttribute(f, "unix:gid"));
        }
    }

    @Test
    void closeUnmountsClosesWhatItOpenedAndRefusesEverythingAfter() throws IOException {
        Path image = dir.resolve("close.img");
        FileSystem fs = NioTesting.create(image, Map.of());
        Path f = fs.getPath("/f");
        Files.writeString(f, "x");
        Files.createDirectory(fs.getPath("/d"));
        FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
        DirectoryStream<Path> ds = Files.newDirectoryStream(fs.getPath("/"));
        Iterator<Path> it = ds.iterator();
        Path g = fs.getPath("/g");
        FileChannel deleteOnClose = FileChannel.open(g, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        fs.close();
        assertFalse(fs.isOpen());
        assertFalse(ch.isOpen());
        assertFalse(deleteOnClose.isOpen());
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        assertFalse(it.hasNext());
        fs.close(); // again: nothing happens
        assertThrows(ClosedFileSystemException.class, () -> Files.readAttributes(f, BasicFileAttributes.class));
        assertThrows(ClosedFileSystemException.class, () -> Files.newByteChannel(f));
        assertThrows(ClosedFileSystemException.class, () -> Files.newDirectoryStream(fs.getPath("/")));
        assertThrows(ClosedFileSystemException.class, () -> Files.createDirectory(fs.getPath("/e")));
        assertThrows(ClosedFileSystemException.class, () -> Files.delete(f));
        assertThrows(ClosedFileSystemException.class, () -> Files.exists(f));
        assertThrows(ClosedFileSystemException.class, () -> f.toRealPath());
        assertThrows(ClosedFileSystemException.class, fs::getFileStores);
        assertEquals("/f", fs.getPath("/f").toString()); // paths are still made
        // the image was unmounted cleanly and its device closed: it opens again, and DELETE_ON_CLOSE happened
        try (FileSystem again = NioTesting.open(image, Map.of())) {
            assertEquals("x", Files.readString(again.getPath("/f")));
            assertFalse(Files.exists(again.getPath("/g")));
        }
    }

    @Test
    void fileStoreClosedWithItsFileSystem() throws IOException {
        FileSystem fs = NioTesting.create(dir, "store.img");
        var store = Files.getFileStore(fs.getPath("/"));
        assertTrue(store.getTotalSpace() > 0);
        fs.close();
        assertThrows(ClosedFileSystemException.class, store::getTotalSpace);
    }
}
