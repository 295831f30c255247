package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code daxfs bench}: its arguments, where it finds the suite and what it starts. Running the suite itself
 * takes minutes; daxfs-bench's tests check the suite and its report.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    @AfterEach
    void forgetJar() {
        System.clearProperty(BenchLauncher.JAR_PROPERTY);
    }

    @Test
    void findsTheSuiteBesideThisModuleInTheSourceTree() {
        // Tests run in daxfs-cli; the tree's root is one directory up.
        Path root = Path.of("").toAbsolutePath().getParent();
        assertEquals(root.resolve("daxfs-bench/target/daxfs-bench.jar"), BenchLauncher.jar());
    }

    @Test
    void startsTheSuiteWithThisJdkAndPassesTheOptionsOn() {
        Path java = Path.of("/jdk/bin/java");
        Path jar = Path.of("/tree/daxfs-bench/target/daxfs-bench.jar");
        Path out = Path.of("reports/r1");
        List<String> start = List.of("/jdk/bin/java", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-jar", "/tree/daxfs-bench/target/daxfs-bench.jar",
                "--out", "reports/r1");
        assertEquals(start, BenchLauncher.command(java, jar, out, false, null));
        List<String> quickFuse = new java.util.ArrayList<>(start);
        quickFuse.addAll(List.of("--quick", "--only", "fuse"));
        assertEquals(quickFuse, BenchLauncher.command(java, jar, out, true, "fuse"));
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java"), BenchLauncher.java());
    }

    @Test
    void theDefaultFolderIsDatedAndNeverAnOldOne() throws Exception {
        LocalDateTime when = LocalDateTime.of(2026, 3, 7, 9, 5);
        Path first = BenchCommand.defaultFolder(dir, when);
        assertEquals(dir.resolve("bench-report-20260307-0905"), first);
        Files.createDirectory(first);
        assertEquals(dir.resolve("bench-report-20260307-0905-2"), BenchCommand.defaultFolder(dir, when));
        Files.createDirectory(dir.resolve("bench-report-20260307-0905-2"));
        assertEquals(dir.resolve("bench-report-20260307-0905-3"), BenchCommand.defaultFolder(dir, when));
    }

    @Test
    void aMissingSuiteSaysHowToBuildIt() {
        Path missing = dir.resolve("no-such.jar");
        System.setProperty(BenchLauncher.JAR_PROPERTY, missing.toString());
        Cli.Result r = Cli.run("bench", "--quick", "--out", dir.resolve("report").toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(List.of("daxfs: the benchmark suite is not built: " + missing
                + " is missing (build it with: mvn -pl daxfs-bench -am package -DskipTests)"), r.err().lines().toList());
        assertFalse(Files.exists(dir.resolve("report")), "nothing started, nothing written");
    }

    @Test
    void aReportFolderThatIsAFileIsRefused() throws Exception {
        Path jar = Files.createFile(dir.resolve("daxfs-bench.jar"));
        System.setProperty(BenchLauncher.JAR_PROPERTY, jar.toString());
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Cli.Result r = Cli.run("bench", "--out", file.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(List.of("daxfs: " + file + " is not a directory"), r.err().lines().toList());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aBadStepPatternIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--only", "(");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Invalid value for option '--only'"), r.toString());
        assertTrue(r.err().contains("Usage: daxfs bench"), r.toString());
    }

    @Test
    void helpNamesTheOptions() {
        Cli.Result r = Cli.run("bench", "--help");
        assertEquals(0, r.exitCode(), r.toString());
        for (String option : List.of("--quick", "--out", "--only")) {
            assertTrue(r.out().contains(option), option + " in\n" + r.out());
        }
    }
}
