package org.daxfs.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the benchmark suite is and how to start it: the shaded jar of daxfs-bench, run by the JDK running
 * this command, in a JVM of its own. The suite forks JVMs for JMH anyway and brings JMH, Jimfs and fio
 * handling with it; keeping all that out of this command's class path keeps every other command's start
 * light.
 */
final class BenchLauncher {
    /** Overrides where the suite's jar is (for a packaged layout, and for tests). */
    static final String JAR_PROPERTY = "daxfs.bench.jar";
    /** The jar's place in the source tree, from the tree's root. */
    static final Path JAR_IN_TREE = Path.of("daxfs-bench", "target", "daxfs-bench.jar");

    private BenchLauncher() {}

    /**
     * The suite's jar: {@value #JAR_PROPERTY} if set, otherwise beside this module in the source tree (this
     * class runs from {@code daxfs-cli/target/classes} or {@code daxfs-cli/target/daxfs-cli-*.jar}, two
     * levels below the tree's root either way).
     */
    static Path jar() {
        String property = System.getProperty(JAR_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        try {
            Path here = Path.of(BenchLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return here.toAbsolutePath().getParent().getParent().getParent().resolve(JAR_IN_TREE);
        } catch (URISyntaxException | NullPointerException e) {
            return JAR_IN_TREE.toAbsolutePath();
        }
    }

    /** The JDK running this command, to run the suite with. */
    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The command line that runs the suite from {@code jar} with {@code java}, writing the report into {@code out}. */
    static List<String> command(Path java, Path jar, Path out, boolean quick, String only) {
        List<String> c = new ArrayList<>(List.of(java.toString(),
                // FFM for the memory device and the FUSE mount; JMH still calls sun.misc.Unsafe.
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-jar", jar.toString(), "--out", out.toString()));
        if (quick) {
            c.add("--quick");
        }
        if (only != null) {
            c.add("--only");
            c.add(only);
        }
        return c;
    }
}
