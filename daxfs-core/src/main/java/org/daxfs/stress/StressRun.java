package org.daxfs.stress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.DirEntry;
import org.daxfs.fs.Stat;

/**
 * One stress run on a device that holds a DaxFS: mounts it, creates the files of the mode in
 * {@value #DIR}, runs a {@link FileChecker} per thread ({@link Workers}), and if they all agreed with their
 * models, checks what is left ({@link AfterRun}).
 *
 * <h2>Threads</h2>
 * The caller's thread sets up, waits for the checkers' threads (watching that operations keep finishing:
 * a run without progress for {@link #STALL} is reported stuck, with the threads' stacks), then checks alone.
 * Remounts during the run happen only in single mode, where there is no other thread.
 */
public final class StressRun {
    /** The directory a run works in; left-overs of an interrupted run there are removed first. */
    public static final String DIR = "/stress";
    /** A run in which no operation finishes for this long is stuck (a deadlock, most likely). */
    public static final Duration STALL = Duration.ofSeconds(60);
    private static final String SHARED = DIR + "/shared";

    private final Device device;
    private final StressOptions options;
    private final StressListener listener;
    private final UnaryOperator<TestedFile> wrap;
    private final Duration stall;

    private StressRun(Device device, StressOptions options, StressListener listener, UnaryOperator<TestedFile> wrap,
            Duration stall) {
        this.device = device;
        this.options = options.validate();
        this.listener = listener;
        this.wrap = wrap;
        this.stall = stall;
    }

    /**
     * Runs the checker on {@code device}, which must hold a DaxFS and not be mounted; leaves it unmounted.
     *
     * @return the result, passed or with the first failure
     * @throws FsException if the image cannot be mounted or prepared, or is too small for the run
     * @throws IllegalArgumentException if the options are invalid
     */
    public static StressResult run(Device device, StressOptions options, StressListener listener) throws FsException {
        return run(device, options, listener, UnaryOperator.identity(), STALL);
    }

    /** As {@link #run}, with every file under test passed through {@code wrap}: tests break them on purpose. */
    static StressResult run(Device device, StressOptions options, StressListener listener, UnaryOperator<TestedFile> wrap)
            throws FsException {
        return run(device, options, listener, wrap, STALL);
    }

    /** As {@link #run}, with a watchdog that calls the run stuck after {@code stall} without progress. */
    static StressResult run(Device device, StressOptions options, StressListener listener, UnaryOperator<TestedFile> wrap,
            Duration stall) throws FsException {
        return new StressRun(device, options, listener, wrap, stall).execute();
    }

    private StressResult execute() throws FsException {
        Mount mount = Mount.mount(device, options.mountOptions());
        RunFiles files = new RunFiles();
        long baseline;
        try {
            removeLeftovers(mount.fs());
            baseline = mount.fs().statfs().freeBlocks();
            requireSpace(mount.fs());
            mount.fs().mkdir(DIR, 0755);
            createFiles(mount, files);
        } catch (FsException | RuntimeException e) {
            files.closeQuietly();
            mount.close();
            throw e;
        }
        RunControl control = new RunControl(options.ops(), listener);
        long start = System.nanoTime();
        boolean finished = Workers.run(files.checkers, options.ops(), control, stall);
        long elapsed = System.nanoTime() - start;
        List<String> passed = new ArrayList<>();
        FailureReport failure;
        if (!finished) {
            // Stuck threads may hold engine locks: leave the file system alone.
            failure = FailureReport.of(control.failure(), options);
        } else if (control.failure() != null) {
            failure = FailureReport.of(control.failure(), options);
            files.closeQuietly();
            unmountQuietly(mount);
        } else {
            failure = new AfterRun(device, mount, files, options, wrap).check(baseline, passed);
        }
        return new StressResult(options, control.done(), elapsed, counts(files.checkers), passed, failure,
                mount.evictions());
    }

    // ---- setup --------------------------------------------------------------------------------------

    private static void removeLeftovers(DaxFileSystem fs) throws FsException {
        Stat st;
        try {
            st = fs.lstat(DIR);
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return;
            }
            throw e;
        }
        if (!st.isDirectory()) {
            throw FsException.of(Errno.EEXIST, DIR, "the stress test needs this name for its directory");
        }
        for (DirEntry e : fs.readdir(DIR)) {
            fs.unlink(DIR + "/" + e.name());
        }
        fs.rmdir(DIR);
    }

    private void requireSpace(DaxFileSystem fs) throws FsException {
        long perFile = ownChoices().budgetBlocks() + Choices.MAX_ALLOCATE / Choices.BLOCK;
        long needed = options.threads() * perFile + 1024;
        long available = fs.statfs().availableBlocks();
        if (available < needed) {
            throw FsException.of(Errno.ENOSPC, null, "the image has " + (available * Choices.BLOCK >> 20)
                    + " MiB free; " + options.threads() + " file(s) of --max-size " + (options.maxFileSize() >> 10)
                    + " KiB need about " + (needed * Choices.BLOCK >> 20) + " MiB");
        }
    }

    private Choices ownChoices() {
        return new Choices(options.maxFileSize(), options.maxIo(), 1, true);
    }

    // Whole 8-byte words and no edge cases, so readers of the shared file can recognise every word.
    private Choices sharedChoices() {
        return new Choices(options.maxFileSize(), options.maxIo(), 8, false);
    }

    /** Thread i works on file i+1; in disrupt mode thread 0 is the disruptor and its file the shared one. */
    private void createFiles(Mount mount, RunFiles files) throws FsException {
        // New files take their directory's DAX flag; the mount's dax= option decides what the flag means.
        boolean dirDax = mount.fs().stat(DIR).isDax();
        DaxPolicy policy = DaxPolicy.of(options.dax(), device.isDirectAccess());
        SharedFile shared = null;
        for (int i = 0; i < options.threads(); i++) {
            int fileId = i + 1;
            long seed = Rng.derive(options.seed(), i);
            boolean disruptor = options.mode() == Mode.DISRUPT && i == 0;
            String path = disruptor ? SHARED : DIR + "/file" + fileId;
            FileModel model = new FileModel(fileId, path, dirDax, policy);
            TestedFile file = wrap.apply(DaxFile.open(mount, path));
            if (disruptor) {
                shared = new SharedFile(fileId, path);
                files.checkers.add(new FileChecker(i, model, file, seed, Mix.disruptor(options.mix()), sharedChoices(),
                        null, shared, options.verifyEvery(), options.logLength()));
            } else {
                SharedReader reader = null;
                if (shared != null) {
                    TestedFile handle = wrap.apply(DaxFile.openReadOnly(mount, SHARED));
                    files.addSharedHandle(handle);
                    reader = new SharedReader(shared, handle, sharedChoices());
                }
                files.checkers.add(new FileChecker(i, model, file, seed, Mix.ownFile(options.mix(), options.mode()),
                        ownChoices(), reader, null, options.verifyEvery(), options.logLength()));
            }
        }
    }

    private static void unmountQuietly(Mount mount) {
        try {
            mount.close();
        } catch (FsException | RuntimeException ignored) {
            // Unmounting after a failure may fail for the same reason; the failure is what gets reported.
        }
    }

    private static Map<String, Long> counts(List<FileChecker> checkers) {
        long[] sum = new long[Operations.TABLE.size()];
        for (FileChecker c : checkers) {
            long[] counts = c.counts();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += counts[i];
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < sum.length; i++) {
            if (sum[i] > 0) {
                out.put(Operations.TABLE.get(i).name(), sum[i]);
            }
        }
        return out;
    }
}
