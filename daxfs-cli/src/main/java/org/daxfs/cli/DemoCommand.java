package org.daxfs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.DirEntry;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.Fsck;
import org.daxfs.fs.FsckReport;
import org.daxfs.fs.ImageInfo;
import org.daxfs.fs.Stat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code daxfs demo}: the whole life of an image in one command, each step printed. It exits 0 only if
 * every byte read back matched and fsck found the image clean, so it doubles as a smoke test.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Show DaxFS at work: create (or reformat) an image, write files of every kind, unmount, remount "
                + "read-only and verify every byte, list the tree, unmount, and check the image with fsck.",
            "Ends with 'demo OK' and exit code 0 only if everything verified.",
        })
final class DemoCommand extends BaseCommand {
    static final long IMAGE_SIZE = 256L << 20;
    private static final int STEPS = 7;

    @Option(names = "--image", paramLabel = "PATH", defaultValue = "daxfs.img",
            description = "Image file to use (default: ${DEFAULT-VALUE} in the current directory). "
                    + "Created if missing; an existing DaxFS image is reformatted.")
    Path image;

    private int step;

    @Override
    public Integer call() throws IOException, CommandFailure {
        prepareAndFormat();

        step("mounting " + image + " and writing files");
        try (MountedImage mounted = Images.mount(image, false, err())) {
            DemoFiles.write(mounted.fs(), this::detail);
        }
        detail("unmounted");

        step("mounting read-only and reading every file back, byte for byte");
        try (MountedImage mounted = Images.mount(image, true, err())) {
            DemoFiles.verify(mounted.fs(), this::detail);
            step("the tree:");
            detail("/");
            printTree(mounted.fs(), "/", "  ");
            step("unmounting");
        }

        step("checking " + image + " with fsck");
        FsckReport report;
        try (Device device = Images.open(image, true, err()); ProgressBar bar = ProgressBar.onTerminal(err(), "checking")) {
            report = Fsck.run(device, false, bar.thousandths());
        }
        if (!report.clean()) {
            report.problems().forEach(this::detail);
            throw new CommandFailure("demo failed: fsck exit code " + report.exitCode()
                    + (report.operationalError() != null ? ": " + report.operationalError()
                            : ", " + report.problems().size() + " problems"));
        }
        detail("clean");
        out().println("demo OK");
        out().flush();
        return 0;
    }

    private void prepareAndFormat() throws IOException, CommandFailure {
        long existing = Files.exists(image) ? Files.size(image) : 0;
        Device device;
        if (existing > 0) {
            step("reusing " + image + " (" + Sizes.format(existing) + ")");
            device = Images.open(image, false, err());
            requireDaxFs(device);
        } else {
            step("creating " + image + ": " + Sizes.format(IMAGE_SIZE) + ", sparse");
            device = Images.create(image, IMAGE_SIZE, false, err());
        }
        try (device) {
            step("formatting");
            try (ProgressBar bar = ProgressBar.onTerminal(err(), "formatting")) {
                DaxFileSystem.format(device, new FormatOptions(0, bar.thousandths()));
            }
            ImageInfo info = DaxFileSystem.info(device);
            detail(info.totalBlocks() + " blocks of " + info.blockSize() + " bytes, uuid " + info.uuid());
        }
    }

    // The demo reformats without asking; only an image it (or mkfs) made may be reformatted so.
    private void requireDaxFs(Device device) throws CommandFailure {
        try {
            DaxFileSystem.info(device);
        } catch (FsException e) {
            device.close();
            throw new CommandFailure(image + " exists and is not a DaxFS image (" + e.getMessage()
                    + "); remove it or choose another file with --image");
        }
    }

    private void printTree(DaxFileSystem fs, String dir, String indent) throws FsException {
        List<DirEntry> entries = fs.readdir(dir).stream()
                .filter(e -> !e.name().equals(".") && !e.name().equals(".."))
                .sorted(Comparator.comparing(DirEntry::name))
                .toList();
        for (DirEntry e : entries) {
            String path = ImagePaths.join(dir, e.name());
            Stat st = fs.lstat(path);
            switch (st.type()) {
                case DIRECTORY -> {
                    detail(indent + e.name() + "/");
                    printTree(fs, path, indent + "  ");
                }
                case SYMLINK -> detail(indent + e.name() + " -> " + fs.readlink(path));
                case REGULAR -> detail(indent + e.name() + "  " + Sizes.format(st.size())
                        + (st.nlink() > 1 ? ", " + st.nlink() + " links" : ""));
                case null -> detail(indent + e.name() + "  (" + Modes.typeName(st.mode()) + ")");
            }
        }
    }

    private void step(String what) {
        out().println("[" + ++step + "/" + STEPS + "] " + what);
        out().flush();
    }

    private void detail(String line) {
        out().println("      " + line);
        out().flush();
    }
}
