package org.daxfs.cli;

import java.io.InputStream;
import java.io.OutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code daxfs} command: make, check, inspect and copy files in and out of DaxFS images, mount them,
 * and measure DaxFS against its peers.
 *
 * <p>Exit codes: 0 success, 1 a command failed (an engine error, a refused operation), 2 a usage error,
 * 8 an unexpected error. fsck uses e2fsck's codes instead (0, 1, 4, 8).
 */
@Command(name = "daxfs",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "DaxFS: a file system for the JVM that lives in one image file.",
        subcommands = {
            MkfsCommand.class,
            FsckCommand.class,
            InfoCommand.class,
            LsCommand.class,
            CatCommand.class,
            GetCommand.class,
            PutCommand.class,
            RmCommand.class,
            MkdirCommand.class,
            StatCommand.class,
            DemoCommand.class,
            StressCommand.class,
            MountCommand.class,
            UmountCommand.class,
            BenchCommand.class,
        })
public final class Main {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show the stack trace of an unexpected error.")
    boolean debug;

    // Raw byte streams for file data (cat, get -, put -); picocli's writers are for text only.
    private final InputStream stdin;
    private final OutputStream stdout;

    public Main() {
        this(System.in, System.out);
    }

    /** With the streams that file data is read from and written to; tests pass their own. */
    public Main(InputStream stdin, OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    InputStream stdin() {
        return stdin;
    }

    OutputStream stdout() {
        return stdout;
    }

    /** The command line as {@code daxfs} runs it: a usage error exits 2, an error prints one line. */
    public static CommandLine newCommandLine(Main main) {
        return configure(new CommandLine(main));
    }

    /** Installs the error handling on {@code commandLine}, whose command must be a {@link Main}. */
    public static CommandLine configure(CommandLine commandLine) {
        Main main = commandLine.getCommand();
        return commandLine.setExecutionExceptionHandler(new ErrorHandler(() -> main.debug));
    }

    public static void main(String[] args) {
        System.exit(newCommandLine(new Main()).execute(args));
    }
}
