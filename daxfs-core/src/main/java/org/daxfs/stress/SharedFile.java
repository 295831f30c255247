package org.daxfs.stress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The file of disrupt mode that one thread (the disruptor) changes while the others read it. The
 * disruptor publishes the number of each operation before performing it; since that number is also the
 * generation its writes carry ({@link Pattern}), a reader knows that no word it reads may come from a
 * later generation than the one published after its read.
 *
 * <p>Thread safe: one writer of {@link #started}, any number of readers.
 */
final class SharedFile {
    final int fileId;
    final String path;
    private final AtomicLong started = new AtomicLong();

    SharedFile(int fileId, String path) {
        this.fileId = fileId;
        this.path = path;
    }

    /** The disruptor, before it performs operation {@code opNumber}. */
    void starting(long opNumber) {
        started.set(opNumber);
    }

    /** The number of the newest operation the disruptor has begun. */
    long started() {
        return started.get();
    }
}
