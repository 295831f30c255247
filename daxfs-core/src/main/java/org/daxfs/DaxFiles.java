package org.daxfs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import org.daxfs.format.Extent;
import org.daxfs.nio.DaxFileAttributeView;
import org.daxfs.nio.DaxFileAttributes;
import org.daxfs.nio.DaxFileChannel;
import org.daxfs.nio.DaxFileSystemProvider;

/**
 * What DaxFS files offer beyond {@code java.nio.file}: the range operations of Linux's fallocate(2), the
 * per-file DAX flag and the extents, for a {@link FileChannel} or a {@link Path} of the {@code daxfs}
 * provider ({@link org.daxfs.nio}).
 *
 * <pre>
 *   try (FileChannel ch = FileChannel.open(path, READ, WRITE)) {
 *       DaxFiles.punchHole(ch, 0, 1 &lt;&lt; 20);        // frees the blocks; the range reads zeros
 *       List&lt;Extent&gt; e = DaxFiles.extents(ch);
 *   }
 * </pre>
 *
 * <p>A channel must come from a DaxFS path ({@code FileChannel.open}, {@code Files.newByteChannel}); any
 * other throws {@link ProviderMismatchException} (an IllegalArgumentException), as does a path of another
 * provider. A path is opened for writing for the duration of a range operation. Errors are IOExceptions
 * whose message carries the errno and its text ({@code EINVAL: Invalid argument (...)}), with Linux's
 * rules: collapse and insert range need 4 KiB alignment, and so on.
 *
 * <p>Front-end layer; locks: none of its own.
 */
public final class DaxFiles {
    private DaxFiles() {
    }

    /**
     * Deallocates {@code [offset, offset+length)} (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE): the range
     * reads zeros after, its whole blocks are freed, the size never changes. Mappings of the range are
     * revoked first.
     */
    public static void punchHole(FileChannel channel, long offset, long length) throws IOException {
        dax(channel).punchHole(offset, length);
    }

    /** As {@link #punchHole(FileChannel, long, long)}, on the file at {@code path}. */
    public static void punchHole(Path path, long offset, long length) throws IOException {
        withChannel(path, ch -> ch.punchHole(offset, length));
    }

    /**
     * Zeroes {@code [offset, offset+length)} and allocates it (FALLOC_FL_ZERO_RANGE); without
     * {@code keepSize} the file grows to the range's end if it is shorter.
     */
    public static void zeroRange(FileChannel channel, long offset, long length, boolean keepSize) throws IOException {
        dax(channel).zeroRange(offset, length, keepSize);
    }

    public static void zeroRange(Path path, long offset, long length, boolean keepSize) throws IOException {
        withChannel(path, ch -> ch.zeroRange(offset, length, keepSize));
    }

    /**
     * Removes {@code [offset, offset+length)} and moves the rest of the file down (FALLOC_FL_COLLAPSE_RANGE):
     * both must be multiples of 4096 and the range must end before the end of file (else EINVAL).
     */
    public static void collapseRange(FileChannel channel, long offset, long length) throws IOException {
        dax(channel).collapseRange(offset, length);
    }

    public static void collapseRange(Path path, long offset, long length) throws IOException {
        withChannel(path, ch -> ch.collapseRange(offset, length));
    }

    /**
     * Inserts a hole of {@code length} bytes at {@code offset}, moving the rest of the file up
     * (FALLOC_FL_INSERT_RANGE): both must be multiples of 4096 and offset must lie before the end of file.
     */
    public static void insertRange(FileChannel channel, long offset, long length) throws IOException {
        dax(channel).insertRange(offset, length);
    }

    public static void insertRange(Path path, long offset, long length) throws IOException {
        withChannel(path, ch -> ch.insertRange(offset, length));
    }

    /**
     * Preallocates {@code [offset, offset+length)} (fallocate(2) mode 0, or FALLOC_FL_KEEP_SIZE): the
     * blocks are reserved and read as zeros; without {@code keepSize} the file grows to the range's end.
     */
    public static void allocate(FileChannel channel, long offset, long length, boolean keepSize) throws IOException {
        dax(channel).allocate(offset, length, keepSize);
    }

    public static void allocate(Path path, long offset, long length, boolean keepSize) throws IOException {
        withChannel(path, ch -> ch.allocate(offset, length, keepSize));
    }

    /** True if the file's DAX flag is set. */
    public static boolean isDax(FileChannel channel) throws IOException {
        return dax(channel).isDax();
    }

    public static boolean isDax(Path path) throws IOException {
        checkProvider(path);
        return (Boolean) Files.getAttribute(path, "daxfs:dax");
    }

    /** Sets or clears the file's DAX flag (see {@link DaxFileAttributeView#setDax}). */
    public static void setDax(FileChannel channel, boolean dax) throws IOException {
        dax(channel).setDax(dax);
    }

    public static void setDax(Path path, boolean dax) throws IOException {
        checkProvider(path);
        Files.getFileAttributeView(path, DaxFileAttributeView.class).setDax(dax);
    }

    /** The file's extents: runs of file blocks and the device blocks that hold them, like filefrag. */
    public static List<Extent> extents(FileChannel channel) throws IOException {
        return dax(channel).extents();
    }

    public static List<Extent> extents(Path path) throws IOException {
        checkProvider(path);
        return Files.readAttributes(path, DaxFileAttributes.class).extents();
    }

    private static DaxFileChannel dax(FileChannel channel) {
        Objects.requireNonNull(channel);
        if (channel instanceof DaxFileChannel d) {
            return d;
        }
        throw new ProviderMismatchException("not a channel of a DaxFS file: " + channel.getClass().getName());
    }

    private static void checkProvider(Path path) {
        Objects.requireNonNull(path);
        if (!(path.getFileSystem().provider() instanceof DaxFileSystemProvider)) {
            throw new ProviderMismatchException("not a DaxFS path: " + path + " (scheme "
                    + path.getFileSystem().provider().getScheme() + ")");
        }
    }

    private static DaxFileChannel openForWriting(Path path) throws IOException {
        checkProvider(path);
        return (DaxFileChannel) FileChannel.open(path, StandardOpenOption.WRITE);
    }

    /** Work on a channel of ours. */
    @FunctionalInterface
    private interface ChannelWork {
        void run(DaxFileChannel channel) throws IOException;
    }

    /** Opens the file at {@code path} for writing, runs {@code work} on it, closes it. */
    private static void withChannel(Path path, ChannelWork work) throws IOException {
        try (DaxFileChannel ch = openForWriting(path)) {
            work.run(ch);
        }
    }

}
