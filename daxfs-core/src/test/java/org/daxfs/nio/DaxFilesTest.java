package org.daxfs.nio;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.util.Arrays;
import java.util.List;
import org.daxfs.DaxFiles;
import org.daxfs.format.Extent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DaxFiles: fallocate's range operations, the DAX flag and extents, by channel and by path. */
class DaxFilesTest {
    private static final int B = 4096;

    @TempDir
    Path dir;
    FileSystem fs;
    Path f;
    byte[] data;

    @BeforeEach
    void open() throws IOException {
        fs = NioTesting.create(dir, "ranges.img");
        data = NioTesting.bytes(8 * B, 11);
        f = Files.write(fs.getPath("/f"), data);
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
    }

    private static long blocks(List<Extent> extents) {
        return extents.stream().mapToLong(Extent::length).sum();
    }

    @Test
    void punchHole() throws IOException {
        try (FileChannel ch = FileChannel.open(f, READ, WRITE)) {
            DaxFiles.punchHole(ch, B, 2 * B);
            assertEquals(8 * B, ch.size());
        }
        byte[] expect = data.clone();
        Arrays.fill(expect, B, 3 * B, (byte) 0);
        assertArrayEquals(expect, Files.readAllBytes(f));
        assertEquals(6, blocks(DaxFiles.extents(f)));
        DaxFiles.punchHole(f, 0, B);
        assertEquals(5, blocks(DaxFiles.extents(f)));
        assertEquals(8 * B, Files.size(f));
    }

    @Test
    void zeroRange() throws IOException {
        try (FileChannel ch = FileChannel.open(f, WRITE)) {
            DaxFiles.zeroRange(ch, 100, 200, true);
            DaxFiles.zeroRange(ch, 8 * B, 2 * B, true);
            assertEquals(8 * B, ch.size());
            DaxFiles.zeroRange(ch, 8 * B, 2 * B, false);
            assertEquals(10 * B, ch.size());
        }
        byte[] got = Files.readAllBytes(f);
        assertArrayEquals(new byte[200], Arrays.copyOfRange(got, 100, 300));
        assertEquals(data[99], got[99]);
        assertEquals(data[300], got[300]);
        DaxFiles.zeroRange(f, 0, B, false);
        assertArrayEquals(new byte[B], Arrays.copyOfRange(Files.readAllBytes(f), 0, B));
    }

    @Test
    void collapseAndInsertRange() throws IOException {
        try (FileChannel ch = FileChannel.open(f, WRITE)) {
            DaxFiles.collapseRange(ch, 2 * B, 2 * B);
            assertEquals(6 * B, ch.size());
        }
        byte[] collapsed = new byte[6 * B];
        System.arraycopy(data, 0, collapsed, 0, 2 * B);
        System.arraycopy(data, 4 * B, collapsed, 2 * B, 4 * B);
        assertArrayEquals(collapsed, Files.readAllBytes(f));
        DaxFiles.insertRange(f, B, B);
        byte[] inserted = new byte[7 * B];
        System.arraycopy(collapsed, 0, inserted, 0, B);
        System.arraycopy(collapsed, B, inserted, 2 * B, 5 * B);
        assertArrayEquals(inserted, Files.readAllBytes(f));
        DaxFiles.collapseRange(f, B, B);
        assertArrayEquals(collapsed, Files.readAllBytes(f));
    }

    @Test
    void linuxErrorsCarryTheirErrno() throws IOException {
        FileSystemException misaligned = assertThrows(FileSystemException.class, () -> DaxFiles.collapseRange(f, 100, B));
        assertTrue(misaligned.getMessage().contains("EINVAL: Invalid argument"), misaligned.getMessage());
        assertTrue(misaligned.getMessage().startsWith("/f"), misaligned.getMessage());
        FileSystemException pastEnd = assertThrows(FileSystemException.class, () -> DaxFiles.collapseRange(f, 0, 8 * B));
        assertTrue(pastEnd.getMessage().contains("EINVAL"), pastEnd.getMessage());
        assertThrows(FileSystemException.class, () -> DaxFiles.insertRange(f, 8 * B, B));
        FileSystemException big = assertThrows(FileSystemException.class, () -> DaxFiles.allocate(f, 0, 1L << 30, false));
        assertTrue(big.getMessage().contains("ENOSPC"), big.getMessage());
        assertThrows(NoSuchFileException.class, () -> DaxFiles.punchHole(fs.getPath("/missing"), 0, B));
        assertArrayEquals(data, Files.readAllBytes(f), "refused operations change nothing");
    }

    @Test
    void allocate() throws IOException {
        try (FileChannel ch = FileChannel.open(f, WRITE)) {
            DaxFiles.allocate(ch, 8 * B, 4 * B, true);
            assertEquals(8 * B, ch.size());
        }
        assertEquals(4L, Files.getAttribute(f, "daxfs:unwrittenBlocks"));
        DaxFiles.allocate(f, 12 * B, B, false);
        assertEquals(13 * B, Files.size(f));
        assertEquals(5L, Files.getAttribute(f, "daxfs:unwrittenBlocks"));
        byte[] got = Files.readAllBytes(f);
        assertArrayEquals(new byte[5 * B], Arrays.copyOfRange(got, 8 * B, 13 * B));
    }

    @Test
    void daxFlagAndExtents() throws IOException {
        assertTrue(DaxFiles.isDax(f), "new files inherit the root directory's flag");
        DaxFiles.setDax(f, false);
        assertFalse(DaxFiles.isDax(f));
        try (FileChannel ch = FileChannel.open(f, READ, WRITE)) {
            assertFalse(DaxFiles.isDax(ch));
            DaxFiles.setDax(ch, true);
            assertTrue(DaxFiles.isDax(ch));
            assertEquals(DaxFiles.extents(f), DaxFiles.extents(ch));
            assertEquals(8, blocks(DaxFiles.extents(ch)));
            for (Extent e : DaxFiles.extents(ch)) {
                assertFalse(e.unwritten());
            }
        }
    }

    @Test
    void aChannelWhosePathNoLongerNamesItsFile() throws IOException {
        try (FileChannel ch = FileChannel.open(f, READ, WRITE)) {
            Files.move(f, fs.getPath("/g"));
            assertThrows(FileSystemException.class, () -> DaxFiles.setDax(ch, true));
            assertThrows(FileSystemException.class, () -> DaxFiles.extents(ch));
            Files.write(f, new byte[1]); // another file under the old name
            assertThrows(FileSystemException.class, () -> DaxFiles.extents(ch));
            assertTrue(DaxFiles.isDax(ch)); // by handle: still works
            DaxFiles.punchHole(ch, 0, B); // by handle: still works
        }
        assertArrayEquals(new byte[B], Arrays.copyOf(Files.readAllBytes(fs.getPath("/g")), B));
    }

    @Test
    void foreignChannelsAndPathsAndReadOnlyChannels(@TempDir Path local) throws IOException {
        Path other = Files.write(local.resolve("x"), new byte[B]);
        try (FileChannel ch = FileChannel.open(other, READ, WRITE)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DaxFiles.punchHole(ch, 0, B));
            assertInstanceOf(ProviderMismatchException.class, e);
            assertThrows(ProviderMismatchException.class, () -> DaxFiles.isDax(ch));
        }
        assertThrows(ProviderMismatchException.class, () -> DaxFiles.punchHole(other, 0, B));
        assertThrows(ProviderMismatchException.class, () -> DaxFiles.extents(other));
        assertThrows(ProviderMismatchException.class, () -> DaxFiles.setDax(other, true));
        try (FileChannel ro = FileChannel.open(f, READ)) {
            assertThrows(NonWritableChannelException.class, () -> DaxFiles.punchHole(ro, 0, B));
            assertThrows(NonWritableChannelException.class, () -> DaxFiles.allocate(ro, 0, B, true));
        }
    }

    @Test
    void workOnFilesMadeThroughChannels() throws IOException {
        Path g = fs.getPath("/g");
        try (FileChannel ch = FileChannel.open(g, CREATE_NEW, READ, WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            DaxFiles.allocate(ch, 0, 2 * B, false);
            assertEquals(2 * B, ch.size());
            DaxFiles.zeroRange(ch, 0, 3, true);
            ByteBuffer b = ByteBuffer.allocate(3);
            ch.read(b, 0);
            assertArrayEquals(new byte[3], b.array());
        }
    }
}
