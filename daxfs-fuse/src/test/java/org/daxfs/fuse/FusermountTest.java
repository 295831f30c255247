package org.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.daxfs.fs.FsckReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mounting through fusermount3, as root (an ordinary user's mount is tested with {@code daxfs mount} in
 * daxfs-cli): real programs on the mount, the mount as /proc shows it, unmounting, and the errors when
 * fusermount3 is missing or refuses.
 */
class FusermountTest {
    @TempDir
    Path dir;

    private static Path fusermount() {
        MountedImage.assumeFuse();
        Path p = Fusermount.find();
        Assumptions.assumeTrue(p != null, "fusermount3 is not installed");
        return p;
    }

    @Test
    void mountThroughFusermountAndRunPrograms() throws Exception {
        fusermount();
        MountedImage m = MountedImage.create(dir, 128L << 20, FuseOptions.defaults().withMountMethod(MountMethod.FUSERMOUNT));
        FsckReport r;
        try {
            assertTrue(m.mount.throughFusermount());
            String line = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> l.contains(" " + m.mnt + " ")).reduce((a, b) -> b).orElseThrow();
            assertTrue(line.matches(".* - fuse\\.daxfs daxfs rw,.*user_id=0,group_id=0,default_permissions,allow_other.*"), line);
            Path tree = FuseProgramsTest.makeTree(dir.resolve("tree"));
            m.run("cp", "-a", tree.toString(), m.path("copy").toString());
            m.run("diff", "-r", "--no-dereference", tree.toString(), m.path("copy").toString());
            assertEquals(5 << 20, Long.parseLong(m.run("stat", "-c", "%s", "copy/big.bin").trim()));
            assertEquals("2", m.run("stat", "-c", "%h", "copy/hard-link").trim());
        } finally {
            r = m.unmountAndCheck();
        }
        assertFalse(FuseMount.isMounted(m.mnt), "fusermount3 -u -z unmounted it");
        assertTrue(r.clean(), "fsck: " + r.problems());
        assertEquals(List.of(), m.log);
    }

    @Test
    void aMissingFusermountIsAClearError() throws Exception {
        fusermount();
        Path missing = dir.resolve("no-such-dir/fusermount3");
        IOException e = assertThrows(IOException.class,
                () -> Fusermount.mount(missing, dir.toString(), "fsname=daxfs,subtype=daxfs"));
        assertEquals("cannot run " + missing + " to mount " + dir + ": posix_spawn " + missing
                + ": No such file or directory (errno 2) (install fuse3)", e.getMessage());
    }

    @Test
    void aRefusalCarriesFusermountsReason() throws Exception {
        Path fusermount = fusermount();
        Path notThere = dir.resolve("not-there");
        IOException e = assertThrows(IOException.class,
                () -> Fusermount.mount(fusermount, notThere.toString(), "fsname=daxfs,subtype=daxfs"));
        assertTrue(e.getMessage().startsWith(fusermount + " refused to mount " + notThere + " (exit status 1): "), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
        Files.createDirectory(notThere);
        e = assertThrows(IOException.class, () -> Fusermount.mount(fusermount, notThere.toString(), "allow_other,allow_root"));
        assertTrue(e.getMessage().contains("(exit status 1): "), e.getMessage());
        IOException u = assertThrows(IOException.class, () -> Fusermount.unmount(fusermount, notThere.toString(), true));
        assertTrue(u.getMessage().startsWith(fusermount + " -u -z -- " + notThere + " failed (exit status 1): "), u.getMessage());
        assertEquals(List.of(), Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(dir.toString())).toList(), "nothing mounted");
    }
}
