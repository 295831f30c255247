package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/find-jdk.sh, which ./daxfs and ./run-tests source, run with fake JDKs whose java prints a chosen
 * version. The tests run in daxfs-cli, so the script is one directory up.
 */
class FindJdkScriptTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "find-jdk.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void keepsAJavaHomeOfVersion25() throws Exception {
        Path jdk = fakeJdk("jdk25", "openjdk version \"25.0.1\" 2025-10-21", true);
        Run r = source(jdk, 25);
        assertEquals(0, r.exit(), r.output());
        assertEquals("JAVA_HOME=" + jdk, r.output().strip());
    }

    @Test
    void namesEveryCandidateWhenNoneIsNewEnough() throws Exception {
        Path old = fakeJdk("jdk8", "java version \"1.8.0_402\"", true);
        // A minimum no real JDK on the machine meets, so /usr/lib/jvm and PATH are refused as well.
        Run r = source(old, 999);
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains("no JDK 999 or newer found"), r.output());
        assertTrue(r.output().contains(old + ": Java 8"), r.output());
    }

    @Test
    void refusesARuntimeWithoutACompiler() throws Exception {
        Path jre = fakeJdk("jre26", "openjdk version \"26-ea\" 2026-03-17", false);
        Run r = source(jre, 26);
        assertTrue(r.output().contains(jre + ": Java 26, but a runtime only (no bin/javac)"), r.output());
    }

    @Test
    void reportsAJavaHomeWithoutJava() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Run r = source(empty, 999);
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.output().contains(empty + ": no bin/java"), r.output());
    }

    private Path fakeJdk(String name, String versionLine, boolean withJavac) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
        executable(bin.resolve("java"), "#!/bin/sh\necho '" + versionLine + "' >&2\n");
        if (withJavac) {
            executable(bin.resolve("javac"), "#!/bin/sh\nexit 0\n");
        }
        return dir.resolve(name);
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Run source(Path javaHome, int minimum) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                "source \"$0\" && echo \"JAVA_HOME=$JAVA_HOME\"", SCRIPT.toString());
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("DAXFS_MIN_JAVA", Integer.toString(minimum));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output);
    }

    private record Run(int exit, String output) {
    }
}
