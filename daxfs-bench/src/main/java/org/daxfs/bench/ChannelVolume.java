package org.daxfs.bench;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory of a {@code java.nio.file} provider, used through {@link FileChannel} and {@link Files}:
 * a fresh directory under /dev/shm for the kernel's tmpfs, or the root of a new Jimfs.
 */
final class ChannelVolume implements Volume {
    /** Where Linux mounts tmpfs on every distribution; the kernel's in-memory file system is the peer. */
    static final Path TMPFS = Path.of("/dev/shm");

    private final Path root;
    private final Cleanup cleanup;

    private interface Cleanup {
        void run() throws IOException;
    }

    private ChannelVolume(Path root, Cleanup cleanup) {
        this.root = root;
        this.cleanup = cleanup;
    }

    /** A new, empty directory on tmpfs, removed with everything in it on {@link #close}. */
    static ChannelVolume tmpfs() throws IOException {
        if (!Files.isDirectory(TMPFS)) {
            throw new IOException(TMPFS + " is missing: the tmpfs peer needs Linux's shared-memory mount");
        }
        Path dir = Files.createTempDirectory(TMPFS, "daxfs-bench-");
        return new ChannelVolume(dir, () -> deleteTree(dir));
    }

    /** The root of a new in-heap Jimfs with Unix semantics, discarded on {@link #close}. */
    static ChannelVolume jimfs() {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        return new ChannelVolume(fs.getPath("/"), fs::close);
    }

    /** The directory files are made in (for checks that the volume cleans up after itself). */
    Path root() {
        return root;
    }

    @Override
    public PositionalFile create(String name) throws IOException {
        return new ChannelFile(FileChannel.open(root.resolve(name),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    @Override
    public void delete(String name) throws IOException {
        Files.delete(root.resolve(name));
    }

    @Override
    public void close() throws IOException {
        cleanup.run();
    }

    private static void deleteTree(Path dir) throws IOException {
        // Files before their directory: the walk lists a directory first, so delete in reverse order.
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
