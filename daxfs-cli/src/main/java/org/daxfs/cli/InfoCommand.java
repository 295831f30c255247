package org.daxfs.cli;

import java.util.Locale;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.ImageInfo;
import picocli.CommandLine.Command;

/** {@code daxfs info}: what the superblock of an unmounted image says. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the superblock of an image: identity, sizes, usage and state.")
final class InfoCommand extends ImageCommand {
    @Override
    public Integer call() throws FsException {
        try (Device device = Images.open(image, true, err())) {
            ImageInfo info = DaxFileSystem.info(device);
            long bs = info.blockSize();
            long used = info.totalBlocks() - info.freeBlocks();
            new Table()
                    .row("image", image)
                    .row("device", device.describe())
                    .row("uuid", info.uuid())
                    .row("format version", info.version())
                    .row("features", String.format("0x%x", info.features()))
                    .row("block size", bs + " bytes")
                    .row("size", Sizes.formatExact(info.totalBlocks() * bs) + ", " + info.totalBlocks() + " blocks")
                    .row("used", Sizes.formatExact(used * bs) + ", " + used + " blocks, "
                            + percent(used, info.totalBlocks()))
                    .row("free", Sizes.formatExact(info.freeBlocks() * bs) + ", " + info.freeBlocks() + " blocks")
                    .row("journal", Sizes.formatExact(info.journalBlocks() * bs) + ", " + info.journalBlocks() + " blocks")
                    .row("inodes", info.inodeTableInodes() + " in the table, " + info.freeInodes() + " free")
                    .row("state", info.clean() ? "clean"
                            : "not clean (mounted, or not unmounted cleanly: the next mount replays the journal)")
                    .row("formatted", Times.full(info.formattedAtNanos()))
                    .print(out());
        }
        return 0;
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%", part * 100.0 / whole);
    }
}
