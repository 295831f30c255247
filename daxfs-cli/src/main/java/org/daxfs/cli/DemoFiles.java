package org.daxfs.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.function.Consumer;
import org.daxfs.FsException;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.Stat;

/** What the demo writes into the image, and how it checks every byte of it afterwards. */
final class DemoFiles {
    static final String TEXT = "/hello.txt";
    static final String BINARY = "/data/pattern.bin";
    static final String NESTED = "/docs/nested/deep/readme.txt";
    static final String SYMLINK = "/latest";
    static final String SYMLINK_TARGET = "data/pattern.bin";
    static final String HARDLINK = "/data/pattern-hardlink.bin";
    static final long BINARY_SIZE = 10L << 20;

    private static final byte[] TEXT_BYTES = """
            Hello from DaxFS!
            This file lives in one image file, mapped into memory, read and written without a page cache.
            """.getBytes(StandardCharsets.UTF_8);
    private static final byte[] NESTED_BYTES = "Directories nest as deep as you like.\n".getBytes(StandardCharsets.UTF_8);

    private DemoFiles() {
    }

    /** Writes every demo file; {@code log} gets one line per file. */
    static void write(DaxFileSystem fs, Consumer<String> log) throws FsException, CommandFailure {
        writeBytes(fs, TEXT, TEXT_BYTES);
        log.accept(TEXT + ": " + TEXT_BYTES.length + " bytes of text");

        fs.mkdir("/data", 0755);
        long start = System.nanoTime();
        try (FileHandle file = create(fs, BINARY)) {
            byte[] chunk = new byte[Copy.CHUNK];
            for (long offset = 0; offset < BINARY_SIZE; offset += Copy.CHUNK) {
                int n = (int) Math.min(Copy.CHUNK, BINARY_SIZE - offset);
                DemoPattern.fill(offset, chunk, n);
                Copy.writeFully(file, ByteBuffer.wrap(chunk, 0, n), offset);
            }
        }
        log.accept(BINARY + ": " + Sizes.format(BINARY_SIZE) + " of a position-dependent pattern" + took(start));

        MkdirCommand.mkdirs(fs, ImagePaths.parent(NESTED));
        writeBytes(fs, NESTED, NESTED_BYTES);
        log.accept(NESTED + ": a file three directories deep");

        fs.symlink(SYMLINK_TARGET, SYMLINK);
        log.accept(SYMLINK + " -> " + SYMLINK_TARGET + ": a symbolic link");

        fs.link(BINARY, HARDLINK);
        log.accept(HARDLINK + ": a hard link to " + BINARY);
    }

    /**
     * Reads every demo file back and compares it byte for byte with what {@link #write} wrote.
     *
     * @throws CommandFailure naming the first file and offset that differ
     */
    static void verify(DaxFileSystem fs, Consumer<String> log) throws FsException, CommandFailure {
        expectBytes(fs, TEXT, TEXT_BYTES);
        log.accept(TEXT + ": ok");

        long start = System.nanoTime();
        expectPattern(fs, BINARY);
        log.accept(BINARY + ": ok, " + Sizes.format(BINARY_SIZE) + " compared" + took(start));

        expectBytes(fs, NESTED, NESTED_BYTES);
        log.accept(NESTED + ": ok");

        String target = fs.readlink(SYMLINK);
        check(target.equals(SYMLINK_TARGET), SYMLINK + " points to '" + target + "', not '" + SYMLINK_TARGET + "'");
        expectPattern(fs, SYMLINK);
        log.accept(SYMLINK + ": ok, points to " + target + " and reads the same data");

        Stat original = fs.lstat(BINARY);
        Stat link = fs.lstat(HARDLINK);
        check(original.ino() == link.ino(), HARDLINK + " is inode " + link.ino() + ", not " + original.ino());
        check(link.nlink() == 2, HARDLINK + " has " + link.nlink() + " links, not 2");
        expectPattern(fs, HARDLINK);
        log.accept(HARDLINK + ": ok, same inode " + link.ino() + ", 2 links");
    }

    private static void expectBytes(DaxFileSystem fs, String path, byte[] expected) throws FsException, CommandFailure {
        try (FileHandle file = fs.open(path, OpenFlag.READ)) {
            check(file.size() == expected.length, path + " is " + file.size() + " bytes, not " + expected.length);
            byte[] actual = new byte[expected.length];
            Copy.readFully(file, ByteBuffer.wrap(actual), 0);
            int at = Arrays.mismatch(expected, actual);
            check(at < 0, path + " differs from what was written at byte " + at);
        }
    }

    private static void expectPattern(DaxFileSystem fs, String path) throws FsException, CommandFailure {
        try (FileHandle file = fs.open(path, OpenFlag.READ)) {
            check(file.size() == BINARY_SIZE, path + " is " + file.size() + " bytes, not " + BINARY_SIZE);
            byte[] expected = new byte[Copy.CHUNK];
            byte[] actual = new byte[Copy.CHUNK];
            for (long offset = 0; offset < BINARY_SIZE; offset += Copy.CHUNK) {
                int n = (int) Math.min(Copy.CHUNK, BINARY_SIZE - offset);
                DemoPattern.fill(offset, expected, n);
                Copy.readFully(file, ByteBuffer.wrap(actual, 0, n), offset);
                int at = Arrays.mismatch(expected, 0, n, actual, 0, n);
                check(at < 0, path + " differs from what was written at byte " + (offset + at));
            }
        }
    }

    private static FileHandle create(DaxFileSystem fs, String path) throws FsException {
        return fs.open(path, EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE), 0644);
    }

    private static void writeBytes(DaxFileSystem fs, String path, byte[] bytes) throws FsException, CommandFailure {
        try (FileHandle file = create(fs, path)) {
            Copy.writeFully(file, ByteBuffer.wrap(bytes), 0);
        }
    }

    private static void check(boolean ok, String failure) throws CommandFailure {
        if (!ok) {
            throw new CommandFailure("demo failed: " + failure);
        }
    }

    private static String took(long startNanos) {
        return String.format(" (%.1f ms)", (System.nanoTime() - startNanos) / 1e6);
    }
}
