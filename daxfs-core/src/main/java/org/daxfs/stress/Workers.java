package org.daxfs.stress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the checkers of a run, one platform thread each, and the flippers of flip mode beside them, and
 * waits for them. The wait doubles as a watchdog: if no operation finishes for the stall time, the run
 * fails with the stack of every thread still running (a deadlock in the engine shows up so).
 *
 * <p>The threads share only the file system and the {@link RunControl}; the caller's thread only waits.
 */
final class Workers {
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(500);
    private static final int STACK_FRAMES = 25;

    private Workers() {
    }

    /**
     * Runs {@code ops} operations spread over {@code checkers}, with {@code flippers} flipping until the
     * checkers are done.
     *
     * @return false if the run got stuck: its threads may still hold engine locks, so the file system must
     *     be left alone
     */
    static boolean run(List<FileChecker> checkers, List<Flipper> flippers, long ops, RunControl control, Duration stall) {
        List<Thread> all = new ArrayList<>();
        List<Thread> flipping = new ArrayList<>();
        for (Flipper f : flippers) {
            Thread t = start(f.thread, () -> {
                try {
                    f.run(control);
                } catch (StressFailure e) {
                    control.fail(e);
                }
            }, f.path, control);
            flipping.add(t);
            all.add(t);
        }
        List<Thread> checking = new ArrayList<>();
        int n = checkers.size();
        for (int i = 0; i < n; i++) {
            FileChecker c = checkers.get(i);
            // The same share for the same --ops and --threads: part of what the seed replays.
            long budget = ops / n + (i < ops % n ? 1 : 0);
            Thread t = start(c.thread, () -> {
                try {
                    c.run(budget, control);
                } catch (StressFailure f) {
                    control.fail(f);
                }
            }, c.model.path, control);
            checking.add(t);
            all.add(t);
        }
        Watch watch = new Watch(all, control, stall);
        try {
            for (Thread t : checking) {
                if (!watch.join(t)) {
                    return false;
                }
            }
            flippers.forEach(Flipper::stop);
            for (Thread t : flipping) {
                if (!watch.join(t)) {
                    return false;
                }
            }
            return true;
        } finally {
            flippers.forEach(Flipper::stop);
            if (watch.interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts thread {@code index} of the run; a failure it did not report itself is the checker's own. */
    private static Thread start(int index, Runnable body, String path, RunControl control) {
        // Daemons: a thread stuck in the engine must not keep the JVM alive after the report.
        return Thread.ofPlatform().name("daxfs-stress-" + index).daemon().start(() -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                control.fail(new StressFailure("CHECKER ERROR", index, path, 0, null,
                        Mismatch.of("the checker itself failed: " + e), List.of(), e));
            }
        });
    }

    /** Joins threads while watching that operations keep finishing. */
    private static final class Watch {
        private final List<Thread> threads;
        private final RunControl control;
        private final Duration stall;
        private long lastDone = -1;
        private long lastProgress = System.nanoTime();
        /** Set when the waiting thread was interrupted; its status is restored once the wait is over. */
        private boolean interrupted;

        Watch(List<Thread> threads, RunControl control, Duration stall) {
            this.threads = threads;
            this.control = control;
            this.stall = stall;
        }

        /**
         * Waits for {@code t} to end; false if the run got stuck meanwhile (then reported). Interrupts stop the
         * run but not the wait: the file system must not be unmounted under the threads.
         */
        boolean join(Thread t) {
            while (t.isAlive()) {
                try {
                    t.join(WATCH_INTERVAL);
                } catch (InterruptedException e) {
                    interrupted = true;
                    control.fail(new StressFailure("INTERRUPTED", -1, null, 0, null, Mismatch.of("interrupted"),
                            List.of(), e));
                }
                long done = control.done();
                if (done != lastDone) {
                    lastDone = done;
                    lastProgress = System.nanoTime();
                } else if (t.isAlive() && System.nanoTime() - lastProgress > stall.toNanos()) {
                    control.fail(stuck());
                    return false;
                }
            }
            return true;
        }

        private StressFailure stuck() {
            StringBuilder sb = new StringBuilder("no operation finished for " + stall.toSeconds() + " s; threads still running:");
            for (Thread t : threads) {
                if (!t.isAlive()) {
                    continue;
                }
                sb.append("\n             ").append(t.getName()).append(" (").append(t.getState()).append(')');
                StackTraceElement[] stack = t.getStackTrace();
                for (int i = 0; i < Math.min(stack.length, STACK_FRAMES); i++) {
                    sb.append("\n               at ").append(stack[i]);
                }
            }
            return new StressFailure("STUCK", -1, null, 0, null, Mismatch.of(sb.toString()), List.of(), null);
        }
    }
}
