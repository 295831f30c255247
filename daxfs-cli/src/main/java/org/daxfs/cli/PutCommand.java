package org.daxfs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code daxfs put}: copies a local file into an image, creating or truncating the target. */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {
            "Copy LOCAL (a file, or - for stdin) into the image as PATH, creating or truncating it.",
            "If PATH is a directory, the file goes inside it under its local name.",
        })
final class PutCommand extends ImageCommand {
    private static final int DEFAULT_MODE = 0644;

    @Parameters(index = "1", paramLabel = "LOCAL", description = "Local file, or - for stdin.")
    String local;

    @Parameters(index = "2", paramLabel = "PATH", description = "Target file or directory inside the image.")
    String path;

    @Override
    public Integer call() throws IOException, CommandFailure {
        boolean fromStdin = local.equals("-");
        Path source = fromStdin ? null : Path.of(local);
        if (source != null) {
            if (!Files.exists(source)) {
                throw new NoSuchFileException(local);
            }
            if (!Files.isRegularFile(source)) {
                throw new CommandFailure(local + ": not a regular file (put copies one file)");
            }
        }
        try (MountedImage mounted = Images.mount(image, false, err())) {
            DaxFileSystem fs = mounted.fs();
            String target = ImagePaths.normalize(path);
            if (isDirectory(fs, target)) {
                if (source == null) {
                    throw usageError("PATH " + target + " is a directory; stdin has no name to put there");
                }
                target = ImagePaths.join(target, source.getFileName().toString());
            }
            long size = source == null ? -1 : Files.size(source);
            int mode = source == null ? DEFAULT_MODE : mode(source);
            try (InputStream in = source == null ? main.stdin() : Files.newInputStream(source);
                 FileHandle file = fs.open(target, EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.TRUNCATE), mode);
                 ProgressBar bar = size >= Copy.LARGE ? ProgressBar.onTerminal(err(), "put " + target) : ProgressBar.none()) {
                Copy.fromStream(in, file, bar, size);
            }
        }
        return 0;
    }

    private static boolean isDirectory(DaxFileSystem fs, String p) throws FsException {
        try {
            return fs.stat(p).isDirectory();
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    // The local file's permission bits, as cp keeps them; where the file system has none, rw-r--r--.
    private static int mode(Path source) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(source);
            int mode = 0;
            for (PosixFilePermission p : perms) {
                mode |= 1 << (8 - p.ordinal());
            }
            return mode;
        } catch (UnsupportedOperationException | IOException e) {
            return DEFAULT_MODE;
        }
    }
}
