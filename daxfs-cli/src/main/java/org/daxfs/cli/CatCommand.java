package org.daxfs.cli;

import java.io.IOException;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code daxfs cat}: writes a file of an image to stdout. */
@Command(name = "cat", mixinStandardHelpOptions = true, description = "Write a file of an image to stdout.")
final class CatCommand extends ImageCommand {
    @Parameters(index = "1", paramLabel = "PATH", description = "File inside the image.")
    String path;

    @Override
    public Integer call() throws IOException, CommandFailure {
        try (MountedImage mounted = Images.mount(image, true, err());
             FileHandle file = mounted.fs().open(ImagePaths.normalize(path), OpenFlag.READ)) {
            Copy.toStream(file, main.stdout(), ProgressBar.none());
        }
        return 0;
    }
}
