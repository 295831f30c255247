package org.daxfs.crash;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.daxfs.device.CrashSimulatorDevice;

/**
 * For the focused tests: runs one call of a {@link Workload}, crashes before each of its persists and once
 * after it, and checks every crash image twice — with the generic {@link RecoveryChecker} against the
 * workload's model, and with the test's own check, which states the one guarantee the test is about in
 * plain terms and names the outcome it saw ("old name", "new name", ...). The outcomes are counted so the
 * test can assert that the crash points reached each side of the change (a test that only ever saw the old
 * state would prove nothing).
 *
 * <p>Keep probabilities: 0 (only what was persisted) and 0.5 at scale 1; more, each with several random
 * subsets, at larger scales.
 */
final class EveryPersistPoint {
    /** Checks one crash image (and closes it); returns the outcome seen. Throws AssertionError on a violation. */
    interface ImageCheck {
        String check(CrashSimulatorDevice image) throws Exception;
    }

    interface Call {
        void run() throws Exception;
    }

    private EveryPersistPoint() {
    }

    static double[] keeps() {
        return CrashTesting.scale() >= 2 ? new double[] {0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0} : new double[] {0.0, 0.5};
    }

    /** Runs {@code call} on {@code w}, crashing at each of its persist points; returns outcome -> count. */
    static Map<String, Integer> run(Workload w, long seed, Call call, ImageCheck check) throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        RecoveryChecker.Stats stats = new RecoveryChecker.Stats();
        String[] failure = new String[1];
        int repeats = Math.max(1, CrashTesting.scale() / 2);
        PersistPointDevice.Hook hook = (point, off, len) -> {
            for (double keep : keeps()) {
                for (int r = 0; r < (keep == 0.0 || keep == 1.0 ? 1 : repeats) && failure[0] == null; r++) {
                    failure[0] = checkOne(w, seed, point, keep, r, stats, check, outcomes);
                }
            }
        };
        w.device.setHook(hook);
        try {
            call.run();
        } finally {
            w.device.setHook(null);
        }
        if (failure[0] == null) {
            hook.beforePersist(w.device.points() + 1, 0, 0); // a crash after the call returned
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        return outcomes;
    }

    private static String checkOne(Workload w, long seed, int point, double keep, int repeat, RecoveryChecker.Stats stats,
                                   ImageCheck check, Map<String, Integer> outcomes) {
        long s = seed * 1_000_003L + point * 31L + (long) (keep * 1000) + repeat * 7919L;
        String where = "seed " + seed + ", crash before persist point " + point + " (keep " + keep + ", subset " + repeat
                + "), " + w.model.where() + ": ";
        String p = new RecoveryChecker(w.model, stats).check(w.simulator().crash(new Random(s), keep), 0, new Random(s));
        if (p != null) {
            return where + p;
        }
        try (CrashSimulatorDevice image = w.simulator().crash(new Random(s), keep)) {
            outcomes.merge(check.check(image), 1, Integer::sum);
        } catch (Throwable t) {
            return where + RecoveryChecker.stackOf(t);
        }
        return null;
    }
}
