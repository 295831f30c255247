package org.daxfs.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.daxfs.fuse.FuseMount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code daxfs umount}: unmounts a DaxFS FUSE mount; the {@code daxfs mount} serving it then closes the image. */
@Command(name = "umount", mixinStandardHelpOptions = true,
        description = {"Unmount a DaxFS FUSE mount.",
            "The daxfs mount serving it then leaves the image clean and exits. Fails while the mount is in use."})
final class UmountCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "MOUNTPOINT", description = "Where the image is mounted.")
    Path mountPoint;

    @Override
    public Integer call() throws IOException, CommandFailure {
        if (!FuseMount.isMounted(mountPoint)) {
            throw new CommandFailure(mountPoint + ": not a DaxFS mount");
        }
        FuseMount.unmount(mountPoint);
        return 0;
    }
}
