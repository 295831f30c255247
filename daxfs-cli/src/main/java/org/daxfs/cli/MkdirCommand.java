package org.daxfs.cli;

import java.util.List;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.fs.DaxFileSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code daxfs mkdir}: creates directories in an image. */
@Command(name = "mkdir", mixinStandardHelpOptions = true, description = "Create directories in an image.")
final class MkdirCommand extends ImageCommand {
    private static final int MODE = 0755;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "Directories to create.")
    List<String> paths;

    @Option(names = {"-p", "--parents"}, description = "Create missing parents; an existing directory is no error.")
    boolean parents;

    @Override
    public Integer call() throws FsException {
        try (MountedImage mounted = Images.mount(image, false, err())) {
            for (String path : paths) {
                String p = ImagePaths.normalize(path);
                if (parents) {
                    mkdirs(mounted.fs(), p);
                } else {
                    mounted.fs().mkdir(p, MODE);
                }
            }
        }
        return 0;
    }

    static void mkdirs(DaxFileSystem fs, String p) throws FsException {
        if (p.equals("/")) {
            return;
        }
        mkdirs(fs, ImagePaths.parent(p));
        try {
            fs.mkdir(p, MODE);
        } catch (FsException e) {
            // Only an existing directory satisfies -p; an existing file in the way is still an error.
            if (e.errno() != Errno.EEXIST || !fs.stat(p).isDirectory()) {
                throw e;
            }
        }
    }
}
