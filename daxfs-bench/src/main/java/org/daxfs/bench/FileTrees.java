package org.daxfs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing the directories the suite makes for its peers and mounts. */
public final class FileTrees {
    private FileTrees() {}

    /** Deletes {@code dir} and everything in it; nothing if it is null or gone. */
    public static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        // Files before their directory: the walk lists a directory first, so delete in reverse order.
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
