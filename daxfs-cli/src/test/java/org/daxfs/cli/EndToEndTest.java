package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands against the real engine, on images in a temporary directory. */
class EndToEndTest {
    private static final Pattern EXTENT_ROW = Pattern.compile("(?m)^\\s*0\\s+0\\.\\.\\d+\\s+\\d+\\.\\.\\d+\\s+\\d+");

    @TempDir
    Path dir;

    private String img;

    private void mkfs() {
        img = dir.resolve("test.img").toString();
        ok(Cli.run("mkfs", img, "--size", "64M"));
        assertTrue(Files.exists(Path.of(img)));
    }

    @Test
    void putGetLsStatRmFsck() throws IOException {
        mkfs();
        byte[] data = new byte[3 << 20];
        new Random(42).nextBytes(data);
        Path local = dir.resolve("random.bin");
        Files.write(local, data);

        ok(Cli.run("put", img, local.toString(), "/random.bin"));

        Path back = dir.resolve("back.bin");
        ok(Cli.run("get", img, "/random.bin", back.toString()));
        assertArrayEquals(data, Files.readAllBytes(back));

        Cli.Result cat = ok(Cli.run("cat", img, "/random.bin"));
        assertArrayEquals(data, cat.data());

        Cli.Result ls = ok(Cli.run("ls", img));
        assertEquals(List.of("random.bin"), ls.out().lines().toList());

        Cli.Result lsLong = ok(Cli.run("ls", img, "/", "-l"));
        String line = lsLong.out().lines().filter(l -> l.endsWith(" random.bin")).findFirst().orElseThrow();
        assertTrue(line.matches("-rw\\S+ +1 +\\d+ +\\d+ +3145728 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d random.bin"), line);

        Cli.Result stat = ok(Cli.run("stat", img, "/random.bin"));
        assertTrue(stat.out().contains("type:      regular file"), stat.out());
        assertTrue(stat.out().contains("size:      3 MiB (3145728 bytes)"), stat.out());
        assertTrue(EXTENT_ROW.matcher(stat.out()).find(), stat.out());
        assertFalse(stat.out().contains("extents:   0"), stat.out());

        ok(Cli.run("rm", img, "/random.bin"));
        assertEquals("", ok(Cli.run("ls", img)).out());

        Cli.Result fsck = ok(Cli.run("fsck", img));
        assertTrue(fsck.out().endsWith(img + ": clean\n"), fsck.out());
    }

    @Test
    void putIntoADirectoryKeepsTheLocalName() throws IOException {
        mkfs();
        Path local = dir.resolve("note.txt");
        Files.writeString(local, "hello\n");
        ok(Cli.run("mkdir", img, "/a/b/c", "-p"));
        ok(Cli.run("put", img, local.toString(), "/a/b/c"));
        assertEquals("hello\n", new String(ok(Cli.run("cat", img, "a/b/c/note.txt")).data()));
        assertEquals(List.of("c"), ok(Cli.run("ls", img, "/a/b")).out().lines().toList());

        Cli.Result again = Cli.run("mkdir", img, "/a/b/c");
        assertEquals(1, again.exitCode(), again.toString());
        assertTrue(again.err().startsWith("daxfs: EEXIST"), again.toString());
        ok(Cli.run("mkdir", img, "-p", "/a/b/c"));
    }

    @Test
    void putFromStdinAndGetToStdout() {
        mkfs();
        byte[] data = "from stdin\n".getBytes();
        ok(Cli.runWithStdin(data, "put", img, "-", "/in.txt"));
        assertArrayEquals(data, ok(Cli.run("get", img, "/in.txt", "-")).data());
    }

    @Test
    void infoAfterMkfs() {
        mkfs();
        Cli.Result info = ok(Cli.run("info", img));
        assertTrue(info.out().contains("size:           64 MiB (67108864 bytes), 16384 blocks"), info.out());
        assertTrue(info.out().contains("state:          clean"), info.out());
        assertTrue(info.out().matches("(?s).*used: +.*, \\d+\\.\\d%\n.*"), info.out());
    }

    @Test
    void mkfsForceReformatsAnImageAtItsOwnSize() throws IOException {
        mkfs();
        Path local = dir.resolve("f.txt");
        Files.writeString(local, "x");
        ok(Cli.run("put", img, local.toString(), "/f.txt"));
        ok(Cli.run("mkfs", img, "--force"));
        assertEquals(64L << 20, Files.size(Path.of(img)));
        assertEquals("", ok(Cli.run("ls", img)).out());
    }

    @Test
    void mkfsGivesTheRootDirectoryToRootOrToTheOwnerAsked() throws IOException {
        mkfs();
        assertTrue(ok(Cli.run("stat", img, "/")).out().lines().anyMatch(l -> l.matches("uid: +0")));
        ok(Cli.run("mkfs", img, "--force", "--root-owner", "1000:100"));
        String stat = ok(Cli.run("stat", img, "/")).out();
        assertTrue(stat.lines().anyMatch(l -> l.matches("uid: +1000")), stat);
        assertTrue(stat.lines().anyMatch(l -> l.matches("gid: +100")), stat);
        assertEquals(0, Cli.run("fsck", img).exitCode());
    }

    @Test
    void rmOfADirectoryNeedsDashR() throws IOException {
        mkfs();
        ok(Cli.run("mkdir", img, "/d"));
        Cli.Result r = Cli.run("rm", img, "/d");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("daxfs: EISDIR"), r.toString());
        ok(Cli.run("rm", img, "-r", "/d"));
        assertEquals("", ok(Cli.run("ls", img)).out());
    }

    @Test
    void demoRunsCleanly() {
        Cli.Result r = ok(Cli.run("demo", "--image", dir.resolve("demo.img").toString()));
        List<String> lines = r.out().lines().toList();
        assertEquals("demo OK", lines.getLast(), r.toString());
        // A second run reformats the demo's own image rather than refusing it.
        Cli.Result again = ok(Cli.run("demo", "--image", dir.resolve("demo.img").toString()));
        assertTrue(again.out().contains("reusing"), again.toString());
    }

    @Test
    void demoRefusesToReformatAFileThatIsNotAnImage() throws IOException {
        Path notAnImage = dir.resolve("notes.img");
        Files.write(notAnImage, new byte[1 << 20]);
        Cli.Result r = Cli.run("demo", "--image", notAnImage.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("is not a DaxFS image"), r.toString());
        assertArrayEquals(new byte[1 << 20], Files.readAllBytes(notAnImage));
    }

    @Test
    void fsckOfGarbageFailsWithOneLine() throws IOException {
        Path garbage = dir.resolve("garbage.img");
        byte[] bytes = new byte[4 << 20];
        new Random(7).nextBytes(bytes);
        Files.write(garbage, bytes);
        Cli.Result r = Cli.run("fsck", garbage.toString());
        assertTrue(r.exitCode() == 4 || r.exitCode() == 8, r.toString());
        UsageErrorsTest.assertNoStackTrace(r);
        // The engine must recognise garbage, not trip over it.
        assertFalse(r.err().contains("unexpected error"), r.toString());
        if (r.exitCode() == 8) {
            assertEquals(1, r.err().lines().count(), r.toString());
            assertTrue(r.err().startsWith("daxfs: fsck: "), r.toString());
        } else {
            assertTrue(r.out().endsWith("left uncorrected; run with --repair to correct them\n")
                    || r.out().contains("problems found"), r.toString());
        }
    }

    private static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.exitCode(), r.toString());
        UsageErrorsTest.assertNoStackTrace(r);
        return r;
    }
}
