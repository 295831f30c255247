package org.daxfs.nio;

import static java.nio.file.StandardOpenOption.APPEND;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileChannel behaviour: positional and relative I/O, append, truncate, force, transfers, locks. */
class ChannelTest {
    @TempDir
    Path dir;
    FileSystem fs;

    @BeforeEach
    void open() throws IOException {
        fs = NioTesting.create(dir, "channels.img");
    }

    @AfterEach
    void close() throws IOException {
        fs.close();
    }

    private Path p(String s) {
        return fs.getPath(s);
    }

    private static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String str(ByteBuffer b) {
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void relativeAndPositionalIo() throws IOException {
        try (FileChannel ch = FileChannel.open(p("/f"), CREATE_NEW, READ, WRITE)) {
            assertEquals(0, ch.position());
            assertEquals(5, ch.write(buf("hello")));
            assertEquals(5, ch.position());
            assertEquals(6, ch.write(buf(" world")));
            assertEquals(11, ch.size());
            assertEquals(5, ch.write(buf("WORLD"), 6)); // positional: position unchanged
            assertEquals(11, ch.position());
            ByteBuffer b = ByteBuffer.allocate(20);
            assertEquals(-1, ch.read(b));
            ch.position(0);
            assertEquals(11, ch.read(b));
            assertEquals("hello WORLD", str(b));
            b.clear();
            assertEquals(5, ch.read(b, 6));
            assertEquals("WORLD", str(b));
            assertEquals(11, ch.position());
            assertEquals(-1, ch.read(ByteBuffer.allocate(1), 11));
            assertEquals(0, ch.read(ByteBuffer.allocate(0), 100));
            // a write past the end leaves a hole that reads as zeros
            ch.position(20);
            ch.write(buf("!"));
            assertEquals(21, ch.size());
            ByteBuffer hole = ByteBuffer.allocate(9);
            ch.read(hole, 11);
            assertArrayEquals(new byte[9], hole.array());
            ByteBuffer direct = ByteBuffer.allocateDirect(5);
            assertEquals(5, ch.read(direct, 0));
            direct.flip();
            assertEquals('h', direct.get());
            assertThrows(IllegalArgumentException.class, () -> ch.position(-1));
            assertThrows(IllegalArgumentException.class, () -> ch.read(ByteBuffer.allocate(1), -1));
            assertThrows(IllegalArgumentException.class, () -> ch.write(buf("x"), -1));
            assertThrows(IllegalArgumentException.class, () -> ch.read(ByteBuffer.allocate(1).asReadOnlyBuffer()));
            ch.write(buf("ro").asReadOnlyBuffer(), 0); // a read-only buffer is fine to write from
        }
    }

    @Test
    void scatterAndGather() throws IOException {
        try (FileChannel ch = FileChannel.open(p("/f"), CREATE_NEW, READ, WRITE)) {
            assertEquals(9, ch.write(new ByteBuffer[] {buf("abc"), buf(""), buf("defghi")}));
            assertEquals(9, ch.position());
            ch.position(1);
            ByteBuffer a = ByteBuffer.allocate(2);
            ByteBuffer b = ByteBuffer.allocate(10);
            assertEquals(8, ch.read(new ByteBuffer[] {a, b}));
            assertEquals("bc", str(a));
            assertEquals("defghi", str(b));
            assertEquals(-1, ch.read(new ByteBuffer[] {ByteBuffer.allocate(1)}));
            assertEquals(2, ch.write(new ByteBuffer[] {buf("x"), buf("y"), buf("z")}, 1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> ch.write(new ByteBuffer[] {buf("x")}, 1, 1));
        }
    }

    @Test
    void append() throws IOException {
        Files.writeString(p("/log"), "one\n");
        try (FileChannel ch = FileChannel.open(p("/log"), APPEND)) {
            assertEquals(4, ch.position(), "in append mode the position is the end of file");
            ch.write(buf("two\n"));
            assertEquals(8, ch.position());
            ch.position(0);
            ch.write(buf("three\n")); // still at the end
            ch.write(buf("four\n"), 0); // positional writes too, as pwrite(2) on an O_APPEND descriptor
            assertThrows(NonReadableChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        }
        assertEquals("one\ntwo\nthree\nfour\n", Files.readString(p("/log")));
        // two appenders interleave whole writes
        try (FileChannel a = FileChannel.open(p("/log"), APPEND); FileChannel b = FileChannel.open(p("/log"), APPEND)) {
            a.write(buf("A"));
            b.write(buf("B"));
            a.write(buf("A"));
        }
        assertTrue(Files.readString(p("/log")).endsWith("ABA"));
    }

    @Test
    void truncate() throws IOException {
        try (FileChannel ch = FileChannel.open(p("/f"), CREATE_NEW, READ, WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[10_000]));
            assertEquals(10_000, ch.position());
            assertSame(ch, ch.truncate(100));
            assertEquals(100, ch.size());
            assertEquals(100, ch.position(), "the position is clamped to the new size");
            ch.position(50);
            ch.truncate(1000); // larger: the file is not changed
            assertEquals(100, ch.size());
            assertEquals(50, ch.position());
            assertThrows(IllegalArgumentException.class, () -> ch.truncate(-1));
        }
        try (FileChannel ro = FileChannel.open(p("/f"), READ)) {
            assertThrows(NonWritableChannelException.class, () -> ro.truncate(0));
            assertThrows(NonWritableChannelException.class, () -> ro.write(buf("x")));
            assertThrows(NonWritableChannelException.class, () -> ro.write(buf("x"), 0));
        }
        try (FileChannel wo = FileChannel.open(p("/f"), WRITE)) {
            assertThrows(NonReadableChannelException.class, () -> wo.read(ByteBuffer.allocate(1)));
            assertThrows(NonReadableChannelException.class, () -> wo.read(ByteBuffer.allocate(1), 0));
            assertThrows(NonReadableChannelException.class, () -> wo.transferTo(0, 1, Channels.newChannel(System.out)));
        }
    }

    @Test
    void forceSyncs() throws IOException {
        try (FileChannel ch = FileChannel.open(p("/f"), CREATE_NEW, WRITE)) {
            ch.write(buf("durable"));
            ch.force(false);
            ch.force(true);
        }
        assertEquals("durable", Files.readString(p("/f")));
    }

    @Test
    void closedChannels() throws IOException {
        FileChannel ch = FileChannel.open(p("/f"), CREATE_NEW, READ, WRITE);
        ch.close();
        ch.close();
        assertFalse(ch.isOpen());
        assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        assertThrows(ClosedChannelException.class, () -> ch.write(buf("x"), 0));
        assertThrows(ClosedChannelException.class, ch::size);
        assertThrows(ClosedChannelException.class, ch::position);
        assertThrows(ClosedChannelException.class, () -> ch.truncate(0));
        assertThrows(ClosedChannelException.class, () -> ch.force(true));
        assertThrows(ClosedChannelException.class, ch::lock);
    }

    @Test
    void transfersWithTheDefaultFileSystem(@TempDir Path local) throws IOException {
        byte[] data = NioTesting.bytes(1_000_000, 7);
        Path src = Files.write(p("/src"), data);
        Path out = local.resolve("out");
        try (FileChannel from = FileChannel.open(src); FileChannel to = FileChannel.open(out, CREATE_NEW, WRITE)) {
            assertEquals(data.length - 1000, from.transferTo(1000, Long.MAX_VALUE, to));
            assertEquals(0, from.transferTo(data.length, 10, to));
            assertEquals(0, from.position(), "transferTo does not move the position");
        }
        assertArrayEquals(Arrays.copyOfRange(data, 1000, data.length), Files.readAllBytes(out));
        try (FileChannel from = FileChannel.open(out); FileChannel to = FileChannel.open(p("/back"), CREATE_NEW, READ, WRITE)) {
            from.position(10);
            assertEquals(500_000, to.transferFrom(from, 0, 500_000));
            assertEquals(500_010, from.position(), "transferFrom reads the source from its position");
            assertEquals(0, to.position());
            assertEquals(0, to.transferFrom(from, 600_000, 10), "past the end of file nothing is transferred");
            assertEquals(500_000, to.size());
        }
        assertArrayEquals(Arrays.copyOfRange(data, 1010, 501_010), Files.readAllBytes(p("/back")));
    }

    @Test
    void transfersBetweenDaxChannelsAndStreams() throws IOException {
        byte[] data = NioTesting.bytes(300_000, 8);
        Path src = Files.write(p("/src"), data);
        try (FileChannel from = FileChannel.open(src); FileChannel to = FileChannel.open(p("/dst"), CREATE_NEW, WRITE)) {
            assertEquals(100, from.transferTo(5, 100, to));
            assertEquals(100, to.position());
        }
        assertArrayEquals(Arrays.copyOfRange(data, 5, 105), Files.readAllBytes(p("/dst")));
        // a non-file source of fewer bytes than asked
        try (FileChannel to = FileChannel.open(p("/dst2"), CREATE_NEW, WRITE)) {
            ReadableByteChannel small = Channels.newChannel(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
            assertEquals(3, to.transferFrom(small, 0, 100));
        }
        // InputStream.transferTo goes through transferTo
        Path copy = p("/copy");
        try (var in = Files.newInputStream(src); var out = Files.newOutputStream(copy)) {
            assertEquals(data.length, in.transferTo(out));
        }
        assertArrayEquals(data, Files.readAllBytes(copy));
    }

    @Test
    void locks() throws IOException {
        Path f = Files.write(p("/f"), new byte[100]);
        FileChannel a = FileChannel.open(f, READ, WRITE);
        try (FileChannel b = FileChannel.open(f, READ, WRITE)) {
            FileLock whole = a.lock();
            assertTrue(whole.isValid());
            assertFalse(whole.isShared());
            assertSame(a, whole.channel());
            assertThrows(OverlappingFileLockException.class, () -> a.tryLock());
            assertThrows(OverlappingFileLockException.class, () -> b.lock(10, 10, true));
            whole.release();
            assertFalse(whole.isValid());
            whole.release(); // again: nothing
            FileLock first = a.lock(0, 10, false);
            FileLock second = b.tryLock(10, 10, true);
            assertTrue(second.isShared());
            assertThrows(OverlappingFileLockException.class, () -> b.lock(5, 10, false));
            try (FileLock third = b.lock(20, 5, false)) {
                assertTrue(third.isValid());
            }
            assertTrue(first.isValid());
            a.close();
            assertFalse(first.isValid(), "closing the channel releases its locks");
            assertThrows(ClosedChannelException.class, first::release);
            b.lock(0, 10, false).release();
            assertThrows(IllegalArgumentException.class, () -> b.lock(-1, 10, false));
            assertThrows(IllegalArgumentException.class, () -> b.lock(Long.MAX_VALUE, 10, false));
        } finally {
            a.close();
        }
        try (FileChannel ro = FileChannel.open(f, READ); FileChannel wo = FileChannel.open(f, WRITE)) {
            assertThrows(NonWritableChannelException.class, () -> ro.lock(0, 1, false));
            assertThrows(NonReadableChannelException.class, () -> wo.lock(0, 1, true));
            ro.lock(0, 1, true).release();
            wo.lock(0, 1, false).release();
        }
        // locks of another file do not conflict
        Path g = Files.createFile(p("/g"));
        try (FileChannel onF = FileChannel.open(f, WRITE); FileChannel onG = FileChannel.open(g, WRITE)) {
            onF.lock();
            onG.lock();
        }
    }

    @Test
    void mappedByteBuffersAreNotSupported() throws IOException {
        try (FileChannel ch = FileChannel.open(Files.write(p("/f"), new byte[10]), READ, WRITE)) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> ch.map(FileChannel.MapMode.READ_ONLY, 0, 10));
            assertTrue(e.getMessage().contains("Arena"), e.getMessage());
        }
    }

    @Test
    void channelOfTheProvider() throws IOException {
        try (FileChannel ch = FileChannel.open(p("/f"), CREATE, WRITE)) {
            assertTrue(ch instanceof DaxFileChannel);
            DaxFileChannel d = (DaxFileChannel) ch;
            assertEquals(p("/f"), d.path());
            assertEquals(Files.getAttribute(p("/f"), "unix:ino"), d.inode());
        }
    }
}
