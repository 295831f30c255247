package org.daxfs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code daxfs bench}: runs the benchmark suite (daxfs-bench's jar, in a JVM of its own, see
 * {@link BenchLauncher}) and leaves its report in a folder: report.md, charts, the raw repetitions and JMH's log.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Measure DaxFS against its peers and the machine's limits, all in one run: tmpfs through FileChannel "
                + "and mapped, Jimfs, the memory-copy limit, the device's own mapping, and through FUSE (fio) "
                + "bindfs over tmpfs. Writes report.md with medians, spreads, ratios and the targets met or not, "
                + "and SVG charts.",
            "Full: about 11 minutes on two cores; --quick: about 4. Skips what it cannot run here (no FUSE, fio or bindfs) "
                + "and says so in the report.",
        })
final class BenchCommand extends BaseCommand {
    static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm", Locale.ROOT);

    @Option(names = "--quick", description = "Fewer, shorter repetitions and a smaller directory: a few minutes.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The report folder (made if missing). Default: bench-report-YYYYMMDD-HHMM here.")
    Path out;

    @Option(names = "--only", paramLabel = "REGEX",
            description = "Run only the steps whose name matches: random-io, sequential-io, mapped-access, "
                    + "first-touch, fsync, small-files, large-directory, reader-writer, fuse.")
    String only;

    @Override
    public Integer call() throws IOException, CommandFailure, InterruptedException {
        if (only != null) {
            try {
                Pattern.compile(only);
            } catch (PatternSyntaxException e) {
                throw usageError("Invalid value for option '--only': " + e.getDescription());
            }
        }
        Path jar = BenchLauncher.jar();
        if (!Files.isRegularFile(jar)) {
            throw new CommandFailure("the benchmark suite is not built: " + jar + " is missing (build it with: "
                    + "mvn -pl daxfs-bench -am package -DskipTests)");
        }
        Path dir = out != null ? out : defaultFolder(Path.of(""), LocalDateTime.now());
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CommandFailure(dir + " is not a directory");
        }
        out().println("daxfs bench: writing the report to " + dir + (quick ? " (quick mode)" : " (full mode)"));
        out().flush();
        List<String> command = BenchLauncher.command(BenchLauncher.java(), jar, dir, quick, only);
        Process suite = new ProcessBuilder(command).inheritIO().start();
        // Stopped by a signal, this JVM stops the suite too, whose own hooks unmount what it mounted.
        Thread stopSuite = new Thread(() -> stop(suite), "daxfs-bench-stop");
        Runtime.getRuntime().addShutdownHook(stopSuite);
        int code = suite.waitFor();
        Runtime.getRuntime().removeShutdownHook(stopSuite);
        if (code != 0) {
            throw new CommandFailure("the benchmark suite failed (exit " + code + ")");
        }
        return 0;
    }

    /**
     * {@code bench-report-YYYYMMDD-HHMM} in {@code parent}; with {@code -2}, {@code -3}, ... added if a run
     * of the same minute is already there.
     */
    static Path defaultFolder(Path parent, LocalDateTime now) {
        String name = "bench-report-" + now.format(FOLDER_TIME);
        Path dir = parent.resolve(name);
        for (int n = 2; Files.exists(dir); n++) {
            dir = parent.resolve(name + "-" + n);
        }
        return dir;
    }

    private static void stop(Process suite) {
        suite.destroy();
        try {
            suite.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
