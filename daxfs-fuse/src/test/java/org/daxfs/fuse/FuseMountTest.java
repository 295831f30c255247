package org.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.daxfs.fs.FsckReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuseMountTest {
    @TempDir
    Path dir;

    @Test
    void mountWriteReadUnmount() throws Exception {
        MountedImage m = MountedImage.create(dir, 64 << 20);
        try {
            Files.writeString(m.path("hello.txt"), "hello\n");
            assertEquals("hello\n", Files.readString(m.path("hello.txt")));
            assertEquals("hello\n", m.run("cat", "hello.txt"));
            Files.createDirectories(m.path("a/b/c"));
            assertTrue(Files.isDirectory(m.path("a/b/c")));
        } finally {
            FsckReport r = m.unmountAndCheck();
            assertTrue(r.clean(), r.problems().toString());
        }
        assertFalse(FuseMount.isMounted(m.mnt));
        assertEquals(java.util.List.of(), m.log);
    }
}
