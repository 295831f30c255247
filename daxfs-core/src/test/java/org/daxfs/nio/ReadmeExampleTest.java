package org.daxfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.daxfs.DaxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example of the provider, as written there (plus checks). */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void example() throws Exception {
        Path image = dir.resolve("data.img");
        MemorySegment revoked;
        Map<String, Object> attrs;
        // ---- as in the README
        URI uri = URI.create("daxfs:" + image.toUri());                 // daxfs:file:///.../data.img
        try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of("create", true, "size", "256m"))) {
            Path log = Files.createDirectories(fs.getPath("/logs")).resolve("a.log");
            Files.writeString(log, "hello\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 Arena arena = Arena.ofShared()) {
                MemorySegment s = ch.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);   // zero-copy, revocable
                s.set(ValueLayout.JAVA_BYTE, 0, (byte) 'H');
                DaxFiles.punchHole(ch, 0, 4096);           // s is revoked: its next access throws IllegalStateException
                revoked = s;
                assertThrows(IllegalStateException.class, () -> revoked.get(ValueLayout.JAVA_BYTE, 0));
            }
            // (the README prints this map)
            attrs = Files.readAttributes(log, "daxfs:*");   // dax, extents, unwrittenBlocks, inode, ...
            // ---- checks
            assertEquals(4096L, attrs.get("size"));
            assertEquals(java.util.List.of(), attrs.get("extents"));
        }
        assertEquals(256L << 20, Files.size(image));
    }
}
