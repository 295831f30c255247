package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/** Errors while a command runs: one line on stderr and the right exit code, a stack trace only with --debug. */
class ErrorReportingTest {
    @TempDir
    Path dir;

    @Test
    void aMissingImageIsOneLineAndExitOne() {
        for (String command : new String[] {"info", "ls", "stat", "cat", "rm", "mkdir"}) {
            String img = dir.resolve("missing.img").toString();
            Cli.Result r = command.equals("info") || command.equals("ls")
                    ? Cli.run(command, img) : Cli.run(command, img, "/a");
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals("daxfs: ENOENT: No such file or directory: " + img + "\n", unix(r.err()), r.toString());
        }
    }

    @Test
    void fsckOfAMissingImageIsAnOperationalError() {
        String img = dir.resolve("missing.img").toString();
        Cli.Result r = Cli.run("fsck", img);
        assertEquals(8, r.exitCode(), r.toString());
        assertEquals("daxfs: fsck: ENOENT: No such file or directory: " + img + "\n", unix(r.err()), r.toString());
    }

    @Test
    void mkfsRefusesAnExistingFileWithoutForce() throws IOException {
        Path img = dir.resolve("precious.img");
        byte[] content = "not to be lost".getBytes();
        Files.write(img, content);
        Cli.Result r = Cli.run("mkfs", img.toString(), "--size", "16M");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("daxfs: " + img + " already exists"), r.toString());
        assertTrue(r.err().contains("--force"), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertArrayEquals(content, Files.readAllBytes(img));
    }

    @Test
    void mkfsOfADirectoryFails() {
        Cli.Result r = Cli.run("mkfs", dir.toString(), "--size", "16M");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("daxfs: EISDIR: Is a directory: " + dir + "\n", unix(r.err()));
    }

    @Test
    void putOfAMissingLocalFileNamesIt() {
        Path local = dir.resolve("nothing-here.txt");
        Cli.Result r = Cli.run("put", dir.resolve("x.img").toString(), local.toString(), "/a");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("daxfs: " + local + ": No such file or directory\n", unix(r.err()));
    }

    @Test
    void putOfADirectoryIsRefused() {
        Cli.Result r = Cli.run("put", dir.resolve("x.img").toString(), dir.toString(), "/a");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("daxfs: " + dir + ": not a regular file (put copies one file)\n", unix(r.err()));
    }

    @Test
    void anUnexpectedErrorIsOneLineAndExitEight() {
        Cli.Result r = Cli.run(new byte[0], cl -> cl.addSubcommand("boom", new Boom()), "boom");
        assertEquals(8, r.exitCode(), r.toString());
        assertEquals("daxfs: unexpected error: java.lang.IllegalStateException: boom (run with --debug for details)\n",
                unix(r.err()));
    }

    @Test
    void debugShowsTheStackTrace() {
        Cli.Result r = Cli.run(new byte[0], cl -> cl.addSubcommand("boom", new Boom()), "--debug", "boom");
        assertEquals(8, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("daxfs: unexpected error: java.lang.IllegalStateException: boom\n"), r.toString());
        assertTrue(r.err().contains("\tat org.daxfs.cli.ErrorReportingTest$Boom.call"), r.toString());
    }

    @Test
    void engineErrorsAreFoundInsideWrappers() {
        FsException e = FsException.of(Errno.ENOSPC, "/big");
        assertEquals("ENOSPC: No space left on device: /big", ErrorHandler.describe(e));
        assertEquals(e.getMessage(), ErrorHandler.describe(new UncheckedIOException(e)));
        assertEquals(e.getMessage(), ErrorHandler.describe(new RuntimeException(new IOException(e))));
        assertEquals("f: No such file or directory", ErrorHandler.describe(new NoSuchFileException("f")));
        assertNull(ErrorHandler.describe(new IllegalStateException("bug")));
    }

    private static String unix(String s) {
        return s.replace(System.lineSeparator(), "\n");
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("boom");
        }
    }
}
