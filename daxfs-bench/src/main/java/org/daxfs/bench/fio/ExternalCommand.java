package org.daxfs.bench.fio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a program to its end and keeps what it printed; finds programs on the PATH. */
final class ExternalCommand {
    /** What a finished program printed, and its exit code. */
    record Outcome(int exitCode, String out, String err) {
        /** The output, or an exception saying what failed and what the program said. */
        String outOrThrow(String what) throws IOException {
            if (exitCode != 0) {
                String said = err.isBlank() ? out.strip() : err.strip();
                throw new IOException(what + " failed (exit " + exitCode + ")" + (said.isEmpty() ? "" : ": " + said));
            }
            return out;
        }
    }

    private ExternalCommand() {}

    /** The executable {@code name} in a directory of the PATH, if there is one. */
    static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code command} with no input and waits for it, at most {@code timeout}: a program that takes
     * longer is killed and reported.
     */
    static Outcome run(List<String> command, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        // Both streams read at once, so a program that fills one pipe cannot block on it.
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Outcome(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + command.getFirst() + " ran", e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
