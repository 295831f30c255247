package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every wrong way to call a command is a usage error: picocli's message, the usage, exit 2, no stack trace. */
class UsageErrorsTest {
    @TempDir
    static Path dir;

    static List<String> commands() {
        return List.copyOf(new CommandLine(new Main()).getSubcommands().keySet());
    }

    /** Every command but demo and bench needs an argument; those two run without one, so they are not here. */
    static Stream<String> commandsWithRequiredArguments() {
        return commands().stream().filter(c -> !c.equals("demo") && !c.equals("bench"));
    }

    @Test
    void everyCommandOfTheBriefIsThere() {
        assertEquals(List.of("mkfs", "fsck", "info", "ls", "cat", "get", "put", "rm", "mkdir", "stat", "demo", "stress", "mount", "umount", "bench"), commands());
    }

    @ParameterizedTest
    @MethodSource("commandsWithRequiredArguments")
    void missingArguments(String command) {
        assertUsageError(Cli.run(command), command);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void unknownOption(String command) {
        Cli.Result r = Cli.run(command, "--no-such-option", "a.img", "b", "c");
        assertUsageError(r, command);
        assertTrue(r.err().contains("--no-such-option"), r.toString());
    }

    static Stream<List<String>> badCalls() {
        String img = dir.resolve("new.img").toString();
        return Stream.of(
                List.of(),
                List.of("mkfs", img, "--size", "12Q"),
                List.of("mkfs", img, "--size", "-1"),
                List.of("mkfs", img, "--size", "1.5"),
                List.of("mkfs", img, "--size"),
                List.of("mkfs", img, "--size", "100"),
                List.of("mkfs", img),
                List.of("mkfs", img, "--size", "16M", "--root-owner", "1000"),
                List.of("mkfs", img, "--size", "16M", "--root-owner", "me:1000"),
                List.of("mkfs", img, "--size", "16M", "--root-owner", "-1:0"),
                List.of("info", img, "extra"),
                List.of("fsck", img, "extra"),
                List.of("ls", img, "/", "extra"),
                List.of("cat", img),
                List.of("get", img, "/a"),
                List.of("put", img, "local"),
                List.of("rm", img),
                List.of("mkdir", img),
                List.of("stat", img),
                List.of("demo", "extra"),
                List.of("demo", "--image"),
                List.of("bench", "extra"),
                List.of("bench", "--out"),
                List.of("bench", "--only"));
    }

    @ParameterizedTest
    @MethodSource("badCalls")
    void badCall(List<String> args) {
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertUsageError(r, args.isEmpty() ? null : args.get(0));
        assertFalse(Files.exists(dir.resolve("new.img")), "a usage error must not create the image");
    }

    /** picocli names the argument and, where a command's name is close, suggests it instead of the usage. */
    @Test
    void anUnknownCommandIsAUsageError() {
        Cli.Result r = Cli.run("no-such-command");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("Unmatched argument at index 0: 'no-such-command'"), r.toString());
        assertNoStackTrace(r);
    }

    @Test
    void badSizeSaysWhatIsWrong() {
        Cli.Result r = Cli.run("mkfs", dir.resolve("x.img").toString(), "--size", "12Q");
        assertTrue(r.err().contains("Invalid value for option '--size': '12Q' is not a size"), r.toString());
    }

    @Test
    void mkfsOfANewFileNeedsASize() {
        Cli.Result r = Cli.run("mkfs", dir.resolve("x.img").toString());
        assertTrue(r.err().contains("Missing required option: '--size=SIZE'"), r.toString());
    }

    @Test
    void helpAndVersionExitZero() {
        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.exitCode(), help.toString());
        assertTrue(help.out().startsWith("Usage: daxfs"), help.toString());
        for (String command : commands()) {
            Cli.Result r = Cli.run(command, "--help");
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.out().startsWith("Usage: daxfs " + command), r.toString());
        }
        Cli.Result version = Cli.run("--version");
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().matches("(?s)daxfs \\d+\\.\\d+\\.\\d+.*"), version.toString());
    }

    private static void assertUsageError(Cli.Result r, String command) {
        assertEquals(2, r.exitCode(), r.toString());
        String usage = command == null ? "Usage: daxfs " : "Usage: daxfs " + command;
        assertTrue(r.err().contains(usage), r.toString());
        assertNoStackTrace(r);
    }

    static void assertNoStackTrace(Cli.Result r) {
        String all = r.out() + r.err();
        assertFalse(all.contains("Exception"), r.toString());
        assertFalse(all.contains("\tat "), r.toString());
    }
}
