package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.daxfs.stress.FailureReport;
import org.daxfs.stress.Difference;
import org.daxfs.stress.Mismatch;
import org.daxfs.stress.StressOptions;
import org.daxfs.stress.StressResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code daxfs stress} end to end, on images in a temporary directory. */
class StressCommandTest {
    @TempDir
    Path dir;

    @Test
    void createsTheImageRunsAndSummarises() {
        Path img = dir.resolve("new.img");
        // Images in the temporary directory sit on a disk, where every commit's msync waits for it: few operations.
        Cli.Result r = Cli.run("stress", img.toString(), "--ops", "400", "--seed", "5");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(256L << 20, img.toFile().length());
        List<String> lines = r.out().lines().toList();
        assertEquals("creating " + img + ": 256 MiB, sparse", lines.getFirst());
        assertTrue(lines.get(1).matches("stress " + img + ": 400 operations in \\d+\\.\\d s \\(\\d+ ops/s\\), mode single, "
                + "1 thread, seed 5"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.matches("  read +\\d+")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.matches("  write +\\d+")), r.out());
        assertTrue(lines.contains("  ok: fsck after the run: clean"), r.out());
        assertTrue(lines.contains("  ok: fsck after removing the files: clean"), r.out());
        assertEquals("stress OK", lines.getLast());
        assertEquals("", r.err());

        Cli.Result again = Cli.run("stress", img.toString(), "--ops", "200", "--threads", "3", "--max-size", "1M");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().startsWith("stress " + img + ": 200 operations"), again.out());
        assertTrue(again.out().contains("mode multi, 3 threads"), again.out());
        assertEquals("clean", fsckSummary(img));
    }

    @Test
    void disruptModeWithAMix() {
        Path img = dir.resolve("d.img");
        Cli.Result r = Cli.run("stress", img.toString(), "--mode", "disrupt", "--ops", "600", "--seed", "9",
                "--ops-mix", "shared-read=600,append=0", "--max-size", "512K", "--verify-every", "50");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("mode disrupt, 3 threads, seed 9"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("  shared-read +\\d+")), r.out());
        assertFalse(r.out().lines().anyMatch(l -> l.startsWith("  append ")), r.out());
    }

    @Test
    void flipModeWithASmallCacheForTheCachedPhases() {
        Path img = dir.resolve("f.img");
        Cli.Result r = Cli.run("stress", img.toString(), "--mode", "flip", "--ops", "300", "--seed", "9", "--cache", "1M",
                "--max-size", "1M");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("mode flip, 4 threads, seed 9"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("  dax-flip +\\d+")), r.out());
        assertTrue(r.out().lines().noneMatch(l -> l.matches("  shared-read .*|  remount .*")), r.out());
        assertEquals("stress OK", r.out().lines().reduce((a, b) -> b).orElse(""));
    }

    @Test
    void everyFileThroughASmallCache() {
        Path img = dir.resolve("c.img");
        Cli.Result r = Cli.run("stress", img.toString(), "--dax", "never", "--cache", "1M", "--ops", "300", "--seed", "4",
                "--max-size", "4M", "--ops-mix", "read=2000");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("  page cache: \\d+ pages evicted")), r.out());
        assertEquals("stress OK", r.out().lines().reduce((a, b) -> b).orElse(""));
    }

    @Test
    void aBlankFileIsFormattedAndAnythingElseIsLeftAlone() throws IOException {
        Path blank = dir.resolve("blank.img");
        try (RandomAccessFile f = new RandomAccessFile(blank.toFile(), "rw")) {
            f.setLength(32L << 20);
        }
        Cli.Result r = Cli.run("stress", blank.toString(), "--ops", "300", "--max-size", "256K");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().startsWith("formatting " + blank + ": it holds no DaxFS\n"), r.out());

        Path text = dir.resolve("notes.txt");
        byte[] content = "precious notes\n".repeat(4096).getBytes();
        Files.write(text, content);
        Cli.Result refused = Cli.run("stress", text.toString(), "--ops", "10");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertEquals("daxfs: " + text + ": not a DaxFS image (bad superblock magic), and not blank; use 'daxfs mkfs "
                + text + " --force' to reformat it, destroying what it holds\n", refused.err());
        assertArrayEquals(content, Files.readAllBytes(text));
    }

    @Test
    void anImageTooSmallForTheRunIsOneLineOfError() {
        Path img = dir.resolve("small.img");
        assertEquals(0, Cli.run("mkfs", img.toString(), "--size", "16M").exitCode());
        Cli.Result r = Cli.run("stress", img.toString(), "--threads", "8", "--ops", "10");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().matches("daxfs: ENOSPC: No space left on device \\(the image has \\d+ MiB free; 8 file\\(s\\) "
                + "of --max-size 8192 KiB need about \\d+ MiB\\)\\n"), r.err());
    }

    @Test
    void usageErrorsLeaveNoImage() {
        Path img = dir.resolve("never.img");
        for (List<String> args : List.of(
                List.of("--ops-mix", "punch=3"),
                List.of("--ops-mix", "write"),
                List.of("--mode", "sideways"),
                List.of("--mode", "single", "--threads", "2"),
                List.of("--mode", "disrupt", "--threads", "1"),
                List.of("--mode", "multi", "--ops-mix", "remount=1"),
                List.of("--ops", "-1"),
                List.of("--max-size", "1K"),
                List.of("--verify-every", "0"),
                List.of("--dax", "sideways"),
                List.of("--cache", "64K"),
                List.of("--mode", "flip", "--threads", "1"),
                List.of("--mode", "flip", "--ops-mix", "dax-flip=5"))) {
            String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("stress", img.toString()), args.stream())
                    .toArray(String[]::new);
            Cli.Result r = Cli.run(all);
            assertEquals(2, r.exitCode(), args + ": " + r);
            assertTrue(r.err().contains("Usage: daxfs stress"), r.toString());
            UsageErrorsTest.assertNoStackTrace(r);
            assertFalse(Files.exists(img), args + " created the image");
        }
        Cli.Result r = Cli.run("stress", img.toString(), "--ops-mix", "punch=3");
        assertTrue(r.err().startsWith("unknown operation 'punch' (known: read, write, append,"), r.err());
        r = Cli.run("stress", img.toString(), "--dax", "sideways");
        assertTrue(r.err().startsWith("--dax must be always, never or inode, not 'sideways'"), r.err());
    }

    @Test
    void aFailurePrintsTheReportAndTheReplayCommandAndExitsOne() {
        StressOptions o = StressOptions.defaults().withImage("x.img").withSeed(3).withOps(100);
        Difference d = new Difference(4096, 2, new byte[] {1, 2}, new byte[] {0, 0}, "expected data op #7 wrote for this "
                + "offset of file 1; found zeros");
        FailureReport f = new FailureReport("MISCOMPARE at op #9 of thread 0 (/stress/file1), seed 3", 3, 0,
                "/stress/file1", 9, "#9 read 4096+2 [0x1000,0x1002) -> 2 bytes",
                new Mismatch("read returned other bytes than the model holds", List.of(d), 2),
                List.of("#8 fsync -> ok", "#9 read 4096+2 [0x1000,0x1002) -> 2 bytes"), o.replayCommand(), null);
        StressResult result = new StressResult(o, 9, 1_000_000_000L, Map.of("read", 5L, "fsync", 4L), List.of(), f);

        StressCommand command = new StressCommand();
        CommandLine cl = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        command.spec = cl.getCommandSpec();
        command.image = Path.of("x.img");

        assertEquals(1, command.report(result));
        String text = out.toString();
        assertTrue(text.startsWith("stress x.img: 9 operations in 1.0 s (9 ops/s), mode single, 1 thread, seed 3\n"), text);
        assertTrue(text.contains("MISCOMPARE at op #9 of thread 0 (/stress/file1), seed 3\n"), text);
        assertTrue(text.contains("    offset 4096 (0x1000), 2 bytes: expected 01 02 | actual 00 00 (expected data op #7"), text);
        assertTrue(text.contains("    #8 fsync -> ok\n"), text);
        assertTrue(text.contains("  replay:    ./daxfs stress x.img --seed 3 --ops 100\n"), text);
        assertFalse(text.contains("stress OK"), text);
        assertEquals("daxfs: stress failed: MISCOMPARE at op #9 of thread 0 (/stress/file1), seed 3; "
                + "replay: ./daxfs stress x.img --seed 3 --ops 100\n", err.toString());
    }

    private static String fsckSummary(Path img) {
        Cli.Result r = Cli.run("fsck", img.toString());
        String last = r.out().lines().reduce((a, b) -> b).orElse("");
        return last.substring(last.lastIndexOf(": ") + 2);
    }
}
