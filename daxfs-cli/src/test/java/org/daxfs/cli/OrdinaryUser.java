package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code daxfs} as an ordinary user (uid and gid 65534, through setpriv) from a root test, the way such a
 * user mounts: through fusermount3. The user gets a home directory of its own and a copy of the class path it can
 * read. fusermount3 opens {@code /dev/fuse} with the user's rights; where the device is root's only (as in
 * containers), the user's programs run in a private mount namespace (unshare) in which a device node usable by
 * everyone is bound over {@code /dev/fuse}. Nothing outside the namespace changes, and its mounts are its own:
 * programs reach them through {@link #runIn}.
 */
final class OrdinaryUser implements AutoCloseable {
    static final int UID = 65534;

    /** A directory of the user's own. */
    final Path home;
    private final Path base;
    private final String classPath;
    private final String fuseDevice;

    private OrdinaryUser(Path base, Path home, String classPath, String fuseDevice) {
        this.base = base;
        this.home = home;
        this.classPath = classPath;
        this.fuseDevice = fuseDevice;
    }

    /** Skips the test unless it runs as root with setpriv, unshare and nsenter at hand. */
    static OrdinaryUser create() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as another user");
        for (String tool : List.of("setpriv", "unshare", "nsenter", "mknod")) {
            Assumptions.assumeTrue(onPath(tool), tool + " is not installed");
        }
        long rdev = (long) Files.getAttribute(Path.of("/dev/fuse"), "unix:rdev");
        String device = ((rdev >> 8) & 0xfff) + " " + ((rdev & 0xff) | ((rdev >> 12) & 0xfff00));
        // Under /tmp, not a JUnit temporary directory: those are root's only, and the user must reach its home.
        Path base = Files.createTempDirectory(Path.of("/tmp"), "daxfs-user");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectory(base.resolve("home"));
        chown(home);
        Path cp = Files.createDirectory(base.resolve("classpath"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(":")) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = cp.resolve(i++ + "-" + from.getFileName());
            copy(from, to);
            entries.add(to.toString());
        }
        Files.createDirectory(base.resolve("dev"));
        return new OrdinaryUser(base, home, String.join(":", entries), device);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static void copy(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** Gives {@code path} to the user. */
    static void chown(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", UID);
        Files.setAttribute(path, "unix:gid", UID);
    }

    /**
     * Starts {@code java ... org.daxfs.cli.Main args} as the user, in a new private mount namespace with a
     * {@code /dev/fuse} it may open; its output and errors together.
     */
    Process daxfs(String... args) throws IOException {
        String script = "set -e; mount -t tmpfs -o mode=755 daxfs-dev \"$1\"; mknod -m 666 \"$1/fuse\" c " + fuseDevice
                + "; mount --bind \"$1/fuse\" /dev/fuse; shift; exec \"$@\"";
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                script, "sh", base.resolve("dev").toString()));
        command.addAll(asUser(java(args)));
        return new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
    }

    /** As {@link #daxfs}, in the mount namespace of process {@code pid} (a {@code daxfs mount} started so). */
    Process daxfsIn(long pid, String... args) throws IOException {
        return new ProcessBuilder(inNamespace(pid, asUser(java(args)))).directory(home.toFile())
                .redirectErrorStream(true).start();
    }

    private List<String> java(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED", "-cp", classPath, "org.daxfs.cli.Main"));
        c.addAll(List.of(args));
        return c;
    }

    private static List<String> asUser(List<String> command) {
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups"));
        c.addAll(command);
        return c;
    }

    private static List<String> inNamespace(long pid, List<String> command) {
        List<String> c = new ArrayList<>(List.of("nsenter", "--target", Long.toString(pid), "--mount"));
        c.addAll(command);
        return c;
    }

    /** What a program printed (output and errors) and its exit status. */
    record Result(int exit, String output) {
    }

    /** Runs {@code command} in the mount namespace of process {@code pid}, as the user if {@code asUser}. */
    static Result runIn(long pid, boolean asUser, String... command) throws Exception {
        List<String> c = inNamespace(pid, asUser ? asUser(List.of(command)) : List.of(command));
        return finish(new ProcessBuilder(c).redirectErrorStream(true).start(), String.join(" ", c));
    }

    /** Waits for {@code p} to end and returns what it printed. */
    static Result finish(Process p, String what) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), what + " did not end");
        return new Result(p.exitValue(), out);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
