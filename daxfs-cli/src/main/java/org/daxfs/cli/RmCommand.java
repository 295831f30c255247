package org.daxfs.cli;

import java.util.List;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.DirEntry;
import org.daxfs.fs.FileType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code daxfs rm}: removes files (and with -r, directories) from an image. */
@Command(name = "rm", mixinStandardHelpOptions = true,
        description = "Remove files from an image; with -r, directories and everything in them.")
final class RmCommand extends ImageCommand {
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "Files inside the image.")
    List<String> paths;

    @Option(names = {"-r", "--recursive"}, description = "Remove directories and their contents.")
    boolean recursive;

    @Override
    public Integer call() throws FsException {
        boolean failed = false;
        try (MountedImage mounted = Images.mount(image, false, err())) {
            // Like rm(1): a path that cannot be removed is reported, and the others are still removed.
            for (String path : paths) {
                try {
                    remove(mounted.fs(), ImagePaths.normalize(path));
                } catch (FsException e) {
                    err().println("daxfs: " + e.getMessage());
                    failed = true;
                }
            }
        }
        err().flush();
        return failed ? ErrorHandler.EXIT_FAILED : 0;
    }

    private void remove(DaxFileSystem fs, String p) throws FsException {
        if (p.equals("/")) {
            throw FsException.of(Errno.EBUSY, p, "the root directory cannot be removed");
        }
        if (!fs.lstat(p).isDirectory()) {
            fs.unlink(p);
            return;
        }
        if (!recursive) {
            throw FsException.of(Errno.EISDIR, p, "use -r to remove a directory");
        }
        for (DirEntry e : fs.readdir(p)) {
            if (e.name().equals(".") || e.name().equals("..")) {
                continue;
            }
            String child = ImagePaths.join(p, e.name());
            if (e.type() == FileType.DIRECTORY) {
                remove(fs, child);
            } else {
                fs.unlink(child);
            }
        }
        fs.rmdir(p);
    }
}
