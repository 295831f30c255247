package org.daxfs.stress;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the threads of one run share: the count of operations done (for the progress bar), the first
 * failure, and the signal to stop once there is one.
 *
 * <p>Thread safe. The listener is called under this object's monitor, so it needs no locking of its own
 * (a progress bar is not thread safe).
 */
final class RunControl {
    /** Progress is reported every this many operations. */
    private static final int PROGRESS_EVERY = 256;

    private final long total;
    private final StressListener listener;
    private final AtomicLong done = new AtomicLong();
    private final AtomicReference<StressFailure> failure = new AtomicReference<>();
    private volatile boolean stopped;

    RunControl(long total, StressListener listener) {
        this.total = total;
        this.listener = listener;
    }

    boolean stopped() {
        return stopped;
    }

    /** Records the first failure of the run and stops every thread; later ones are consequences, mostly. */
    void fail(StressFailure f) {
        failure.compareAndSet(null, f);
        stopped = true;
    }

    StressFailure failure() {
        return failure.get();
    }

    void operationDone() {
        long n = done.incrementAndGet();
        if (n % PROGRESS_EVERY == 0 || n == total) {
            synchronized (this) {
                listener.progress(n, total);
            }
        }
    }

    /** Whether the listener wants every operation's line. */
    boolean tracing() {
        return listener.traces();
    }

    /** Passes one operation's log line to the listener (only when it traces). */
    void trace(int thread, String line) {
        synchronized (this) {
            listener.operation(thread, line);
        }
    }

    long done() {
        return done.get();
    }
}
