package org.daxfs.crash;

import java.util.Random;

/**
 * Crashes a {@link Workload}'s device before every persist and checks each crash image with
 * {@link RecoveryChecker}.
 *
 * <p>At every persist point it checks the image that keeps no unpersisted store (the durable image: the
 * state right after the previous persist). At a sample of points it also keeps a random subset of the
 * unpersisted 64-byte lines (probabilities 0.1, 0.5, 0.9 in turn), which tears journal records, home
 * blocks and ordered data; and at a sparser sample it crashes the recovery of that image at each of its own
 * persist points, and at another sample it mounts the image read-only first (the view the command-line
 * tools get) and compares it with the read-write recovery. How dense the samples are is the size knob: at scale 1 every third point gets a random
 * subset; at scale N >= 2 every point gets all three.
 *
 * <p>The first problem stops further checking (the workload call in progress finishes, then
 * {@link #throwIfFailed()} reports); the message names seed, persist point and keep probability, and
 * {@code -Ddaxfs.test.seed=S -Ddaxfs.crash.point=P} replays just that point.
 */
final class CrashPoints implements PersistPointDevice.Hook {
    private static final double[] SUBSET_KEEPS = {0.1, 0.5, 0.9};

    private final Workload w;
    private final long seed;
    final RecoveryChecker.Stats stats = new RecoveryChecker.Stats();
    private final int scale = CrashTesting.scale();
    private final int only = CrashTesting.pointOverride();
    /** Check a random subset at points divisible by this; 0 never. */
    int subsetEvery = scale >= 2 ? 1 : 3;
    /** Crash recovery too at points divisible by this; 0 never. */
    int recoveryEvery = scale >= 2 ? 11 : 23;
    /** Also mount read-only (and compare) at points divisible by this; 0 never. */
    int readOnlyEvery = scale >= 2 ? 2 : 4;
    private String failure;
    private int checkedPoints;

    CrashPoints(Workload w, long seed) {
        this.w = w;
        this.seed = seed;
    }

    /** From now on, crash before every persist. */
    CrashPoints arm() {
        w.device.setHook(this);
        return this;
    }

    void disarm() {
        w.device.setHook(null);
    }

    @Override
    public void beforePersist(int point, long offset, long length) {
        if (failure != null || (only >= 0 && point != only)) {
            return;
        }
        checkedPoints++;
        if (!checkAt(point, 0.0, 0)) {
            return;
        }
        if (subsetEvery > 0 && point % subsetEvery == 0) {
            if (scale >= 2) {
                for (double keep : SUBSET_KEEPS) {
                    // Recovery itself is crashed for one of the images only: it has many persist points.
                    if (!checkAt(point, keep, keep == 0.5 && recoveryEvery > 0 && point % recoveryEvery == 0 ? 0.5 : 0)) {
                        return;
                    }
                }
            } else {
                double keep = SUBSET_KEEPS[(point / subsetEvery) % SUBSET_KEEPS.length];
                checkAt(point, keep, recoveryEvery > 0 && point % recoveryEvery == 0 ? 0.5 : 0);
            }
        }
    }

    /** Crashes after the last persist: what a power cut at the end of the run leaves. */
    void crashAtEnd() {
        if (failure != null || only >= 0) {
            return;
        }
        int point = w.device.points() + 1;
        if (checkAt(point, 0.0, 0.5)) {
            checkAt(point, 0.5, 0);
        }
    }

    private boolean checkAt(int point, double keep, double recoveryKeep) {
        Random rnd = new Random(seed * 1_000_003L + point * 31L + (long) (keep * 1000));
        RecoveryChecker checker = new RecoveryChecker(w.model, stats);
        checker.readOnlyToo = readOnlyEvery > 0 && point % readOnlyEvery == 0;
        String p = checker.check(w.simulator().crash(rnd, keep), recoveryKeep, rnd);
        if (p != null) {
            failure = "seed " + seed + ", crash before persist point " + point + " (keep " + keep + " of the unpersisted lines"
                    + (recoveryKeep > 0 ? ", recovery crashed too" : "") + "), " + w.model.where() + ":\n" + p
                    + "\nreplay: -Ddaxfs.test.seed=" + seed + " -Ddaxfs.crash.point=" + point;
            return false;
        }
        return true;
    }

    /**
     * Runs {@code ops} random operations of the workload with crash points armed, compares the live file
     * system with the model, then crashes once more after the last operation; throws on the first failure.
     */
    void runRandomOps(int ops) throws Exception {
        arm();
        for (int i = 0; i < ops && !failed(); i++) {
            w.randomOp();
        }
        throwIfFailed();
        disarm();
        w.checkLiveAgainstModel();
        arm().crashAtEnd();
        throwIfFailed();
    }

    boolean failed() {
        return failure != null;
    }

    void throwIfFailed() {
        if (failure != null) {
            throw new AssertionError(failure);
        }
    }

    int checkedPoints() {
        return checkedPoints;
    }
}
