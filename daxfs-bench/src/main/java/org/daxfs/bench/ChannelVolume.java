package org.daxfs.bench;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * A directory of a {@code java.nio.file} provider, used through {@link FileChannel} and {@link Files}:
 * a fresh directory under /dev/shm for the kernel's tmpfs, the root of a new Jimfs, or the root of a new
 * DaxFS image opened through DaxFS's own provider.
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
        Path dir = Files.createTempDirectory(tmpfsRoot(), "daxfs-bench-");
        return new ChannelVolume(dir, () -> FileTrees.delete(dir));
    }

    private static Path tmpfsRoot() throws IOException {
        if (!Files.isDirectory(TMPFS)) {
            throw new IOException(TMPFS + " is missing: the benchmarks need Linux's shared-memory mount");
        }
        return TMPFS;
    }

    /** The root of a new in-heap Jimfs with Unix semantics, discarded on {@link #close}. */
    static ChannelVolume jimfs() {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        return new ChannelVolume(fs.getPath("/"), fs::close);
    }

    /**
     * The root of a new DaxFS image of {@code size} bytes in a fresh directory under /dev/shm (shared memory,
     * as tmpfs and DaxFS's memory device use), opened with {@code FileSystems.newFileSystem} through the
     * provider of scheme {@code daxfs}; closed and removed on {@link #close}.
     */
    static ChannelVolume daxfs(long size) throws IOException {
        Path dir = Files.createTempDirectory(tmpfsRoot(), "daxfs-bench-nio-");
        try {
            URI uri = URI.create("daxfs:" + dir.resolve("volume.img").toUri());
            FileSystem fs = FileSystems.newFileSystem(uri, Map.of("create", true, "size", size));
            return new ChannelVolume(fs.getPath("/"), () -> {
                try {
                    fs.close();
                } finally {
                    FileTrees.delete(dir);
                }
            });
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(dir);
            throw e;
        }
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
    public Object lookup(String name) throws IOException {
        return Files.readAttributes(root.resolve(name), BasicFileAttributes.class);
    }

    @Override
    public void delete(String name) throws IOException {
        Files.delete(root.resolve(name));
    }

    @Override
    public void close() throws IOException {
        cleanup.run();
    }
}
