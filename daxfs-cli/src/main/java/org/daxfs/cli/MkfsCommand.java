package org.daxfs.cli;

import java.nio.file.Files;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.ImageInfo;
import org.daxfs.fs.MountOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code daxfs mkfs}: creates a sparse image file and formats it. */
@Command(name = "mkfs", mixinStandardHelpOptions = true,
        description = {
            "Create a sparse image file of SIZE and format it with an empty DaxFS.",
            "An existing non-empty file is only overwritten with --force; without --size it is then "
                + "reformatted at its own size.",
        })
final class MkfsCommand extends ImageCommand {
    @Option(names = "--size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Image size: 4096, 16M, 1.5G, 1T (K, M, G, T are powers of 1024). "
                    + "Rounded down to whole 4 KiB blocks.")
    Long size;

    @Option(names = "--force", description = "Reformat an existing file, destroying what it holds.")
    boolean force;

    @Option(names = "--root-owner", paramLabel = "UID:GID",
            description = "Owner and group of the root directory (default 0:0), as mke2fs -E root_owner: an "
                    + "ordinary user who mounts the image (through fusermount3) can write to it only if it is theirs.")
    String rootOwner;

    @Override
    public Integer call() throws FsException, CommandFailure, java.io.IOException {
        if (Files.isDirectory(image)) {
            throw FsException.of(Errno.EISDIR, image.toString());
        }
        long existing = Files.exists(image) ? Files.size(image) : 0;
        if (existing > 0 && !force) {
            throw new CommandFailure(image + " already exists (" + Sizes.format(existing)
                    + "); use --force to reformat it, destroying what it holds");
        }
        if (size == null && existing == 0) {
            throw usageError("Missing required option: '--size=SIZE' (" + image + " does not exist yet)");
        }
        int[] owner = rootOwner == null ? null : parseOwner(rootOwner);
        long bytes = size == null ? 0 : size - size % Device.BLOCK_SIZE;
        if (size != null && bytes == 0) {
            throw usageError("Invalid value for option '--size': " + size + " is less than one "
                    + Device.BLOCK_SIZE + "-byte block");
        }
        try (Device device = size == null ? Images.open(image, false, err()) : Images.create(image, bytes, existing > 0, err())) {
            out().println("formatting " + image + ": " + Sizes.formatExact(device.size()));
            out().flush();
            try (ProgressBar bar = ProgressBar.onTerminal(err(), "formatting")) {
                DaxFileSystem.format(device, new FormatOptions(0, bar.thousandths()));
            }
            if (owner != null) {
                try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
                    fs.chown("/", owner[0], owner[1]);
                }
            }
            ImageInfo info = DaxFileSystem.info(device);
            out().println("created DaxFS " + info.uuid() + ": " + info.totalBlocks() + " blocks of "
                    + info.blockSize() + " bytes, journal " + Sizes.format(info.journalBlocks() * info.blockSize())
                    + ", " + Sizes.format(info.freeBlocks() * info.blockSize()) + " free");
        }
        return 0;
    }

    /** "UID:GID", two numbers, as {uid, gid}. */
    private int[] parseOwner(String value) {
        String[] f = value.split(":", -1);
        try {
            if (f.length == 2) {
                int uid = Integer.parseInt(f[0]);
                int gid = Integer.parseInt(f[1]);
                if (uid >= 0 && gid >= 0) {
                    return new int[] {uid, gid};
                }
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw usageError("Invalid value for option '--root-owner': '" + value + "' is not UID:GID (two numbers, as 1000:1000)");
    }
}
