package org.daxfs.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.Stat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code daxfs get}: copies a file out of an image. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Copy a file out of an image to LOCAL (a file, a directory to copy into, or - for stdout).")
final class GetCommand extends ImageCommand {
    @Parameters(index = "1", paramLabel = "PATH", description = "File inside the image.")
    String path;

    @Parameters(index = "2", paramLabel = "LOCAL", description = "Local file or directory, or - for stdout.")
    String local;

    @Override
    public Integer call() throws IOException, CommandFailure {
        String p = ImagePaths.normalize(path);
        try (MountedImage mounted = Images.mount(image, true, err())) {
            Stat st = mounted.fs().stat(p);
            if (st.isDirectory()) {
                throw FsException.of(Errno.EISDIR, p);
            }
            try (FileHandle file = mounted.fs().open(p, OpenFlag.READ)) {
                if (local.equals("-")) {
                    Copy.toStream(file, main.stdout(), ProgressBar.none());
                    return 0;
                }
                Path target = Path.of(local);
                if (Files.isDirectory(target)) {
                    target = target.resolve(ImagePaths.name(p));
                }
                try (OutputStream out = Files.newOutputStream(target);
                     ProgressBar bar = st.size() >= Copy.LARGE
                             ? ProgressBar.onTerminal(err(), "get " + p) : ProgressBar.none()) {
                    Copy.toStream(file, out, bar);
                }
            }
        }
        return 0;
    }
}
