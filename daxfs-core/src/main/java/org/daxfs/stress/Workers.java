package org.daxfs.stress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the checkers of a run, one platform thread each, and waits for them. The wait doubles as a
 * watchdog: if no operation finishes for the stall time, the run fails with the stack of every thread
 * still running (a deadlock in the engine shows up so).
 *
 * <p>The threads share only the file system and the {@link RunControl}; the caller's thread only waits.
 */
final class Workers {
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(500);
    private static final int STACK_FRAMES = 25;

    private Workers() {
    }

    /**
     * Runs {@code ops} operations spread over {@code checkers}.
     *
     * @return false if the run got stuck: its threads may still hold engine locks, so the file system must
     *     be left alone
     */
    static boolean run(List<FileChecker> checkers, long ops, RunControl control, Duration stall) {
        int n = checkers.size();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FileChecker c = checkers.get(i);
            // The same share for the same --ops and --threads: part of what the seed replays.
            long budget = ops / n + (i < ops % n ? 1 : 0);
            // Daemons: a thread stuck in the engine must not keep the JVM alive after the report.
            threads.add(Thread.ofPlatform().name("daxfs-stress-" + i).daemon().start(() -> {
                try {
                    c.run(budget, control);
                } catch (StressFailure f) {
                    control.fail(f);
                } catch (RuntimeException | Error e) {
                    control.fail(new StressFailure("CHECKER ERROR", c.thread, c.model.path, 0, null,
                            Mismatch.of("the checker itself failed: " + e), List.of(), e));
                }
            }));
        }
        boolean interrupted = false;
        long lastDone = -1;
        long lastProgress = System.nanoTime();
        try {
            for (Thread t : threads) {
                while (t.isAlive()) {
                    try {
                        t.join(WATCH_INTERVAL);
                    } catch (InterruptedException e) {
                        // Stop the run, but wait for the threads: the file system must not be unmounted under them.
                        interrupted = true;
                        control.fail(new StressFailure("INTERRUPTED", -1, null, 0, null, Mismatch.of("interrupted"),
                                List.of(), e));
                    }
                    long done = control.done();
                    if (done != lastDone) {
                        lastDone = done;
                        lastProgress = System.nanoTime();
                    } else if (t.isAlive() && System.nanoTime() - lastProgress > stall.toNanos()) {
                        control.fail(stuck(threads, stall));
                        return false;
                    }
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static StressFailure stuck(List<Thread> threads, Duration stall) {
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
