package org.daxfs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.function.BooleanSupplier;
import org.daxfs.FsException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception out of a command into one line on stderr and an exit code. A person running
 * {@code daxfs} needs to know what failed, not where in the code; {@code --debug} adds the stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    /** Exit code of a command that failed for a reason it reports (an engine error, a local file missing). */
    static final int EXIT_FAILED = 1;
    /** Exit code of an error nobody foresaw: a bug, or an engine that is not there yet. */
    static final int EXIT_UNEXPECTED = 8;

    private final BooleanSupplier debug;

    ErrorHandler(BooleanSupplier debug) {
        this.debug = debug;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        String message = describe(ex);
        boolean expected = message != null;
        err.println("daxfs: " + (expected ? message : "unexpected error: " + ex
                + (debug.getAsBoolean() ? "" : " (run with --debug for details)")));
        if (debug.getAsBoolean()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return expected ? EXIT_FAILED : EXIT_UNEXPECTED;
    }

    /**
     * The one-line message for an error a command may meet in normal use: an engine error, or an I/O error
     * on a local file. Null for anything else, which is unexpected.
     */
    static String describe(Throwable ex) {
        if (ex instanceof CommandFailure) {
            return ex.getMessage();
        }
        // Engine errors may arrive wrapped (an UncheckedIOException out of a stream, say).
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof FsException fs) {
                return fs.getMessage();
            }
        }
        if (ex instanceof IOException io) {
            return describeLocal(io);
        }
        if (ex instanceof java.io.UncheckedIOException u) {
            return describeLocal(u.getCause());
        }
        return null;
    }

    // java.nio's exceptions carry only the file name as their message; say what happened to it.
    private static String describeLocal(IOException io) {
        if (io instanceof FileSystemException fse && fse.getReason() == null) {
            String file = fse.getFile();
            return switch (fse) {
                case NoSuchFileException e -> file + ": No such file or directory";
                case AccessDeniedException e -> file + ": Permission denied";
                case FileAlreadyExistsException e -> file + ": File exists";
                case NotDirectoryException e -> file + ": Not a directory";
                default -> file + ": " + fse.getClass().getSimpleName();
            };
        }
        return io.getMessage() != null ? io.getMessage() : io.toString();
    }
}
