package org.daxfs.cli;

import java.nio.file.Files;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.ImageInfo;
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
            ImageInfo info = DaxFileSystem.info(device);
            out().println("created DaxFS " + info.uuid() + ": " + info.totalBlocks() + " blocks of "
                    + info.blockSize() + " bytes, journal " + Sizes.format(info.journalBlocks() * info.blockSize())
                    + ", " + Sizes.format(info.freeBlocks() * info.blockSize()) + " free");
        }
        return 0;
    }
}
