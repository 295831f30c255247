package org.daxfs.stress;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.Fsck;
import org.daxfs.fs.FsckReport;

/**
 * The checks after a run that passed: every file whole against its model; unmount and fsck; mount again
 * and every file whole again (nothing may be lost by unmounting); remove the files and check that every
 * block came back (free blocks as before the run); unmount and fsck once more.
 *
 * <p>Runs on the caller's thread once the checkers' threads are done.
 */
final class AfterRun {
    private final Device device;
    private final Mount mount;
    private final RunFiles files;
    private final StressOptions options;
    private final UnaryOperator<TestedFile> wrap;

    AfterRun(Device device, Mount mount, RunFiles files, StressOptions options, UnaryOperator<TestedFile> wrap) {
        this.device = device;
        this.mount = mount;
        this.files = files;
        this.options = options;
        this.wrap = wrap;
    }

    /**
     * Runs the checks, adding a line to {@code passed} for each that passes; leaves the image unmounted.
     *
     * @param baseline free blocks before the run created anything
     * @return the first failure, or null
     */
    FailureReport check(long baseline, List<String> passed) {
        try {
            for (FileChecker c : oneForEachFile()) {
                c.verifyWhole("after the last operation");
            }
            passed.add("every file matches its model");
            files.close();
            mount.close();
            FailureReport f = fsck("after the run");
            if (f != null) {
                return f;
            }
            passed.add("fsck after the run: clean");

            mount.remount();
            for (FileChecker c : files.checkers) {
                c.attach(wrap.apply(DaxFile.open(mount, c.model.path)));
                c.model.reopen(false, false);
            }
            for (FileChecker c : oneForEachFile()) {
                c.verifyWhole("after unmounting and mounting again");
            }
            passed.add("every file matches its model after unmounting and mounting again");
            files.close();

            DaxFileSystem fs = mount.fs();
            for (FileChecker c : oneForEachFile()) {
                fs.unlink(c.model.path);
            }
            fs.rmdir(StressRun.DIR);
            long free = fs.statfs().freeBlocks();
            mount.close();
            if (free != baseline) {
                return FailureReport.afterRun("SPACE LEAK", Mismatch.of("after removing the files " + free
                        + " blocks are free; before the run " + baseline + " were (" + (baseline - free)
                        + " not given back)"), null, options);
            }
            passed.add("space: all blocks given back after removing the files (" + free + " free)");
            f = fsck("after removing the files");
            if (f != null) {
                return f;
            }
            passed.add("fsck after removing the files: clean");
            return null;
        } catch (StressFailure e) {
            closeQuietly();
            return FailureReport.of(e, options);
        } catch (FsException | RuntimeException e) {
            closeQuietly();
            return FailureReport.afterRun("ERROR", Mismatch.of("checking the image after the run: " + e.getMessage()), e,
                    options);
        }
    }

    /** A checker of each file: the workers of flip mode share one. */
    private List<FileChecker> oneForEachFile() {
        Set<String> seen = new HashSet<>();
        List<FileChecker> out = new ArrayList<>();
        for (FileChecker c : files.checkers) {
            if (seen.add(c.model.path)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Runs fsck on the unmounted device; null if it is clean. */
    private FailureReport fsck(String when) {
        FsckReport report;
        try {
            report = Fsck.run(device, false, null);
        } catch (RuntimeException e) {
            return FailureReport.afterRun("FSCK FAILED", Mismatch.of("fsck " + when + " could not run: " + e), e, options);
        }
        if (report.exitCode() == FsckReport.EXIT_CLEAN) {
            return null;
        }
        StringBuilder sb = new StringBuilder("fsck " + when + " exits with " + report.exitCode());
        if (report.operationalError() != null) {
            sb.append(": ").append(report.operationalError());
        }
        for (String p : report.problems()) {
            sb.append("\n             ").append(p);
        }
        return FailureReport.afterRun("FSCK FAILED", Mismatch.of(sb.toString()), null, options);
    }

    private void closeQuietly() {
        files.closeQuietly();
        try {
            mount.close();
        } catch (FsException | RuntimeException ignored) {
            // Already unmounted, or failing for the reason being reported.
        }
    }
}
