package org.daxfs.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;

/** Runs {@code daxfs} in-process, as {@link Main#main} would, and captures everything it prints. */
final class Cli {
    private Cli() {
    }

    /** What one run printed: text on stdout and stderr, file data on stdout, and the exit code. */
    record Result(int exitCode, String out, String err, byte[] data) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    static Result run(String... args) {
        return run(new byte[0], cl -> { }, args);
    }

    static Result runWithStdin(byte[] stdin, String... args) {
        return run(stdin, cl -> { }, args);
    }

    /** With {@code setup} applied to the command line before the error handling is installed. */
    static Result run(byte[] stdin, Consumer<CommandLine> setup, String... args) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(new Main(new ByteArrayInputStream(stdin), data));
        setup.accept(cl);
        Main.configure(cl);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString(), data.toByteArray());
    }
}
