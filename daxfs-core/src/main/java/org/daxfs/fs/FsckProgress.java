package org.daxfs.fs;

import java.util.function.LongConsumer;

/**
 * Progress of one fsck run in thousandths, handed to the caller's listener. Values never go backwards
 * (several passes share the scale), and a listener that throws cannot stop the check.
 *
 * <p>Locking: none; one fsck runs on one thread.
 */
final class FsckProgress {
    private final LongConsumer listener;
    private long last = -1;

    FsckProgress(LongConsumer listener) {
        this.listener = listener;
    }

    /** Reports {@code thousandths} done (clamped to 0..1000) if it is ahead of what was reported. */
    void at(long thousandths) {
        long v = Math.max(0, Math.min(1000, thousandths));
        if (v <= last || listener == null) {
            return;
        }
        last = v;
        try {
            listener.accept(v);
        } catch (RuntimeException ignored) {
            // A broken progress bar must not turn a check into a failure.
        }
    }

    /** A part of the scale, {@code [from, to)}, for one pass or phase. */
    Span span(long from, long to) {
        return new Span(from, to);
    }

    /** A stretch of the scale that reports {@code done / total} of itself. */
    final class Span {
        private final long from;
        private final long to;

        private Span(long from, long to) {
            this.from = from;
            this.to = to;
        }

        void at(long done, long total) {
            if (total > 0) {
                FsckProgress.this.at(from + (to - from) * Math.min(done, total) / total);
            }
        }

        /** The sub-span {@code [a, b)} thousandths of this one. */
        Span part(long a, long b) {
            long width = to - from;
            return new Span(from + width * a / 1000, from + width * b / 1000);
        }

        void done() {
            FsckProgress.this.at(to);
        }
    }
}
