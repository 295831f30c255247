package org.daxfs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.DaxMode;
import org.daxfs.fs.FormatOptions;
import org.daxfs.stress.FailureReport;
import org.daxfs.stress.Mode;
import org.daxfs.stress.Operations;
import org.daxfs.stress.StressOptions;
import org.daxfs.stress.StressResult;
import org.daxfs.stress.StressRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code daxfs stress}: the fsx-style model checker on an image. Everything it does is decided by the seed,
 * so a failure prints the command line that replays it.
 */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = {
            "Run random operations on files in IMAGE (in /stress) and check every answer, byte for byte, against "
                + "an in-memory model; then check that the files survive unmounting, that fsck finds the image "
                + "clean and that removing the files gives every block back.",
            "IMAGE is created (256 MiB, sparse) if it does not exist and formatted if it is blank.",
            "Exit codes: 0 everything agreed, 1 a miscompare or failed check (the report says how to replay it), "
                + "2 a usage error.",
        })
final class StressCommand extends ImageCommand {
    static final long IMAGE_SIZE = 256L << 20;

    @Option(names = "--ops", paramLabel = "N", defaultValue = "100000",
            description = "Operations in all, spread over the threads (default: ${DEFAULT-VALUE}).")
    long ops;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the random operations (default: a new one, printed so the run can be replayed).")
    Long seed;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads: one file each in multi mode (default 4); a disruptor and readers in disrupt mode "
                    + "(default 3); a flipper and workers in flip mode (default 4). More than 1 without --mode means multi.")
    Integer threads;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "single (one file, remounts included), multi (a file per thread), disrupt (one thread "
                    + "truncates, preallocates and flips DAX on a file the others read), or flip (one thread flips the "
                    + "DAX flag of a file as fast as it can while the others run every operation on it). Default: single.")
    String mode;

    @Option(names = "--dax", paramLabel = "MODE",
            description = "Mount with dax=MODE: always, never (every file through the page cache) or inode (files with "
                    + "the DAX flag, which new files inherit). Default: inode, never on a block-only device.")
    String dax;

    @Option(names = "--cache", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Page cache size for files that are not DAX (default 256M; at least 1M). A small one makes "
                    + "pages be evicted and written back all the time.")
    Long cache;

    @Option(names = "--ops-mix", paramLabel = "NAME=WEIGHT,...",
            description = "Operation weights that differ from the defaults; 0 turns one off. The operations and their "
                    + "default weights: ${COMPLETION-CANDIDATES}.",
            completionCandidates = DefaultWeights.class)
    String mix;

    @Option(names = "--max-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Most offsets stay below this; files that outgrow it are cut back (default 8M; 64K to 1G).")
    Long maxSize;

    @Option(names = "--max-io", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Longest read or write (default 128K).")
    Long maxIo;

    @Option(names = "--verify-every", paramLabel = "K",
            description = "Compare each whole file with its model every K of its operations (default 500).")
    Integer verifyEvery;

    @Option(names = "--last-ops", paramLabel = "N",
            description = "Operations a failure report lists before the failing one (default 20).")
    Integer lastOps;

    /** What the help of --ops-mix lists: {@code read=200}, ... */
    static final class DefaultWeights implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Operations.defaultWeights().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).iterator();
        }
    }

    @Override
    public Integer call() throws IOException, CommandFailure {
        StressOptions options = options();
        try (Device device = prepareImage()) {
            StressResult result;
            try (ProgressBar bar = ProgressBar.onTerminal(err(), "stress")) {
                result = StressRun.run(device, options, (done, total) -> bar.update(done, total));
            }
            return report(result);
        }
    }

    /** The options, checked before the image is touched: a usage error must leave no image behind. */
    private StressOptions options() {
        try {
            Mode m = mode != null ? Mode.parse(mode) : threads != null && threads > 1 ? Mode.MULTI : Mode.SINGLE;
            int t = threads != null ? threads : switch (m) {
                case SINGLE -> 1;
                case MULTI -> 4;
                case DISRUPT -> 3;
                case FLIP -> 4;
            };
            StressOptions o = StressOptions.defaults()
                    .withImage(image.toString())
                    .withOps(ops)
                    .withSeed(seed != null ? seed : ThreadLocalRandom.current().nextLong())
                    .withMode(m, t)
                    .withMix(mix != null ? StressOptions.parseMix(mix) : Map.of());
            if (maxSize != null) {
                o = o.withMaxFileSize(maxSize);
            }
            if (maxIo != null) {
                o = o.withMaxIo((int) Math.min(Integer.MAX_VALUE, maxIo));
            }
            if (verifyEvery != null) {
                o = o.withVerifyEvery(verifyEvery);
            }
            if (lastOps != null) {
                o = o.withLogLength(lastOps);
            }
            if (dax != null) {
                o = o.withDax(DaxMode.parse(dax));
            }
            if (cache != null) {
                o = o.withCacheBytes(cache);
            }
            return o.validate();
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        } catch (FsException e) {
            throw usageError("--dax must be always, never or inode, not '" + dax + "'");
        }
    }

    /** Opens IMAGE, creating a sparse one if it is missing and formatting it if it is blank. */
    private Device prepareImage() throws IOException, CommandFailure {
        if (Files.isDirectory(image)) {
            throw new CommandFailure(image + " is a directory");
        }
        if (!Files.exists(image)) {
            out().println("creating " + image + ": " + Sizes.format(IMAGE_SIZE) + ", sparse");
            out().flush();
            Device device = Images.create(image, IMAGE_SIZE, false, err());
            return formatted(device);
        }
        Device device = Images.open(image, false, err());
        try {
            DaxFileSystem.info(device);
            return device;
        } catch (FsException notDaxFs) {
            if (!blank(device)) {
                device.close();
                String why = notDaxFs.detail() != null ? notDaxFs.detail() : notDaxFs.getMessage();
                throw new CommandFailure(image + ": " + why + ", and not blank; use 'daxfs mkfs " + image
                        + " --force' to reformat it, destroying what it holds");
            }
            out().println("formatting " + image + ": it holds no DaxFS");
            out().flush();
            return formatted(device);
        }
    }

    // Only a blank file is formatted unasked: a typo must not destroy somebody's data.
    private static boolean blank(Device device) throws FsException {
        byte[] first = new byte[(int) Math.min(device.size(), Device.BLOCK_SIZE)];
        device.read(0, first, 0, first.length);
        for (byte b : first) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private Device formatted(Device device) throws FsException {
        try (ProgressBar bar = ProgressBar.onTerminal(err(), "formatting")) {
            DaxFileSystem.format(device, new FormatOptions(0, bar.thousandths()));
            return device;
        } catch (FsException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** Prints the summary (and the failure report, if any); the exit code. */
    int report(StressResult r) {
        PrintWriter out = out();
        StressOptions o = r.options();
        out.println("stress " + image + ": " + r.opsDone() + " operations in "
                + String.format(Locale.ROOT, "%.1f s (%.0f ops/s)", r.elapsedNanos() / 1e9, r.opsPerSecond())
                + ", mode " + o.mode().cliName() + ", " + o.threads() + (o.threads() == 1 ? " thread" : " threads")
                + ", seed " + o.seed());
        int width = r.counts().keySet().stream().mapToInt(String::length).max().orElse(0);
        r.counts().forEach((name, count) -> out.println(String.format(Locale.ROOT, "  %-" + width + "s %10d", name, count)));
        if (r.cacheEvictions() > 0) {
            out.println("  page cache: " + r.cacheEvictions() + " pages evicted");
        }
        for (String check : r.checks()) {
            out.println("  ok: " + check);
        }
        FailureReport f = r.failure();
        if (f == null) {
            out.println("stress OK");
            out.flush();
            return 0;
        }
        out.print(f.format());
        out.flush();
        err().println("daxfs: stress failed: " + f.headline() + "; replay: " + f.replay());
        err().flush();
        return ErrorHandler.EXIT_FAILED;
    }
}
