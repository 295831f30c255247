package org.daxfs.nio;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jdk.nio.mapmode.ExtendedMapMode;
import org.daxfs.DaxFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileChannel.map(mode, offset, size, arena): the engine's zero-copy, revocable mappings through java.nio. */
class MappingTest {
    @TempDir
    Path dir;
    FileSystem fs;

    @BeforeEach
    void open() throws IOException {
        fs = NioTesting.create(dir, "maps.img");
    }

    @AfterEach
    void close() throws IOException {
        if (fs.isOpen()) {
            fs.close();
        }
    }

    private Path p(String s) {
        return fs.getPath(s);
    }

    @Test
    void readWriteMappingIsTheFile() throws IOException {
        Path f = Files.write(p("/f"), new byte[3 * 4096]);
        try (FileChannel ch = FileChannel.open(f, READ, WRITE); Arena arena = Arena.ofShared()) {
            MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 4096, 8192, arena);
            assertEquals(8192, s.byteSize());
            s.set(ValueLayout.JAVA_LONG, 0, 0x1122334455667788L);
            ByteBuffer b = ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
            ch.read(b, 4096);
            assertEquals(0x1122334455667788L, b.getLong(0));
            ch.write(ByteBuffer.wrap(new byte[] {42}), 4096 + 100);
            assertEquals(42, s.get(ValueLayout.JAVA_BYTE, 100));
            MemorySegment ro = ch.map(FileChannel.MapMode.READ_ONLY, 0, 3 * 4096, arena);
            assertEquals(0x1122334455667788L, ro.get(ValueLayout.JAVA_LONG, 4096));
            assertTrue(ro.isReadOnly());
            assertThrows(IllegalArgumentException.class, () -> ro.set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
            ch.force(false); // flushes stores through mappings too
        }
    }

    @Test
    void readWriteExtendsTheFileReadOnlyDoesNot() throws IOException {
        Path f = Files.write(p("/f"), new byte[100]);
        try (FileChannel ch = FileChannel.open(f, READ, WRITE); Arena arena = Arena.ofConfined()) {
            IOException e = assertThrows(IOException.class, () -> ch.map(FileChannel.MapMode.READ_ONLY, 0, 8192, arena));
            assertTrue(e.getMessage().contains("100 bytes"), e.getMessage());
            assertEquals(100, ch.size());
            MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 4096, 4096, arena);
            assertEquals(8192, ch.size());
            s.set(ValueLayout.JAVA_BYTE, 4095, (byte) 7);
            assertEquals(7, Files.readAllBytes(f)[8191]);
            assertEquals(0, ch.map(FileChannel.MapMode.READ_ONLY, 100, 0, arena).byteSize());
        }
    }

    @Test
    void modesChannelsAndArguments() throws IOException {
        Path f = Files.write(p("/f"), new byte[8192]);
        try (Arena arena = Arena.ofConfined()) {
            try (FileChannel rw = FileChannel.open(f, READ, WRITE)) {
                assertThrows(UnsupportedOperationException.class, () -> rw.map(FileChannel.MapMode.PRIVATE, 0, 4096, arena));
                assertThrows(IllegalArgumentException.class, () -> rw.map(FileChannel.MapMode.READ_ONLY, -1, 4096, arena));
                assertThrows(IllegalArgumentException.class, () -> rw.map(FileChannel.MapMode.READ_ONLY, 0, -1, arena));
                assertThrows(IllegalArgumentException.class, () -> rw.map(FileChannel.MapMode.READ_WRITE, Long.MAX_VALUE, 2, arena));
                MemorySegment ros = rw.map(ExtendedMapMode.READ_ONLY_SYNC, 0, 4096, arena);
                assertEquals(4096, ros.byteSize());
            }
            try (FileChannel ro = FileChannel.open(f, READ)) {
                assertThrows(NonWritableChannelException.class, () -> ro.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena));
                assertEquals(4096, ro.map(FileChannel.MapMode.READ_ONLY, 0, 4096, arena).byteSize());
            }
            try (FileChannel wo = FileChannel.open(f, WRITE)) {
                assertThrows(NonReadableChannelException.class, () -> wo.map(FileChannel.MapMode.READ_ONLY, 0, 4096, arena));
                assertThrows(NonReadableChannelException.class, () -> wo.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena));
            }
        }
    }

    @Test
    void syncMappingWithMsync() throws IOException {
        Path f = p("/f");
        try (FileChannel ch = FileChannel.open(f, CREATE_NEW, READ, WRITE); Arena arena = Arena.ofShared()) {
            MemorySegment s = ch.map(ExtendedMapMode.READ_WRITE_SYNC, 0, 1 << 20, arena);
            assertEquals(1 << 20, ch.size());
            s.set(ValueLayout.JAVA_LONG, 8, 99L);
            ((DaxFileChannel) ch).msync(0, 16);
        }
        fs.close();
        try (FileSystem again = NioTesting.open(dir.resolve("maps.img"), Map.of());
             FileChannel ch = FileChannel.open(again.getPath("/f"))) {
            ByteBuffer b = ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
            ch.read(b, 8);
            assertEquals(99L, b.getLong(0));
        }
    }

    @Test
    void mappingOutlivesItsChannelButNotTheArena() throws IOException {
        Path f = Files.write(p("/f"), new byte[4096]);
        MemorySegment s;
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(f, READ, WRITE)) {
            s = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
        }
        s.set(ValueLayout.JAVA_INT, 0, 5);
        assertEquals(5, ByteBuffer.wrap(Files.readAllBytes(f)).order(java.nio.ByteOrder.nativeOrder()).getInt(0));
        arena.close();
        assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_INT, 0));
    }

    @Test
    void punchingTheRangeRevokesTheMapping() throws IOException {
        Path f = Files.write(p("/f"), NioTesting.bytes(4 * 4096, 9));
        try (FileChannel ch = FileChannel.open(f, READ, WRITE); Arena arena = Arena.ofShared()) {
            MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4 * 4096, arena);
            s.get(ValueLayout.JAVA_BYTE, 0);
            DaxFiles.punchHole(ch, 4096, 4096);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0));
            assertTrue(e.getMessage() == null || !e.getMessage().isEmpty());
            assertThrows(IllegalStateException.class, () -> s.set(ValueLayout.JAVA_BYTE, 4096, (byte) 1));
            // a new mapping shows the hole
            MemorySegment again = ch.map(FileChannel.MapMode.READ_ONLY, 4096, 4096, arena);
            assertEquals(-1, again.mismatch(MemorySegment.ofArray(new byte[4096])));
        }
    }

    @Test
    void truncatingAndClosingTheFileSystemRevoke() throws IOException {
        Path f = Files.write(p("/f"), new byte[2 * 4096]);
        Arena arena = Arena.ofShared();
        MemorySegment whole;
        MemorySegment first;
        try (FileChannel ch = FileChannel.open(f, READ, WRITE)) {
            whole = ch.map(FileChannel.MapMode.READ_ONLY, 0, 2 * 4096, arena);
            ch.truncate(4096);
            assertThrows(IllegalStateException.class, () -> whole.get(ValueLayout.JAVA_BYTE, 0));
            first = ch.map(FileChannel.MapMode.READ_ONLY, 0, 4096, arena);
            assertEquals(0, first.get(ValueLayout.JAVA_BYTE, 0));
        }
        fs.close();
        assertThrows(IllegalStateException.class, () -> first.get(ValueLayout.JAVA_BYTE, 0));
        arena.close();
    }

    @Test
    void engineModes() {
        assertEquals(org.daxfs.fs.MapMode.READ_ONLY, DaxFileChannel.engineMode(FileChannel.MapMode.READ_ONLY));
        assertEquals(org.daxfs.fs.MapMode.READ_WRITE, DaxFileChannel.engineMode(FileChannel.MapMode.READ_WRITE));
        assertEquals(org.daxfs.fs.MapMode.READ_WRITE_SYNC, DaxFileChannel.engineMode(ExtendedMapMode.READ_WRITE_SYNC));
        assertEquals(org.daxfs.fs.MapMode.READ_ONLY, DaxFileChannel.engineMode(ExtendedMapMode.READ_ONLY_SYNC));
        assertThrows(UnsupportedOperationException.class, () -> DaxFileChannel.engineMode(FileChannel.MapMode.PRIVATE));
    }
}
