package org.daxfs.cache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.daxfs.FsException;

/**
 * Writes dirty pages back in the background: every second (Linux's dirty_writeback_centisecs is 5 s; a
 * cache of fixed size wants it sooner), and at once when a new page is wanted and none can be evicted.
 * It takes each file's locks without waiting ({@link CachedFile#tryWriteBackInBackground}) and skips busy
 * files, so it never takes part in a deadlock; a failure is kept on the file and reported by its next
 * fsync.
 */
final class WritebackThread extends Thread {
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final PageCache cache;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition roundDone = lock.newCondition();
    private boolean kicked; // guarded by lock
    /** Rounds finished. Guarded by lock. */
    private long rounds;
    private volatile boolean stopping;

    WritebackThread(PageCache cache, String name) {
        super("daxfs-writeback " + name);
        this.cache = cache;
        setDaemon(true);
    }

    void kick() {
        lock.lock();
        try {
            kicked = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Kicks a round and waits until a round that began after this call has finished (for tests and
     * {@code sync}-like callers that want the background thread's work done).
     *
     * @return false if the thread stopped or the wait was interrupted first
     */
    boolean kickAndAwaitRound() {
        lock.lock();
        try {
            long target = rounds + 2; // the round in progress may have passed this file already
            kicked = true;
            wake.signal();
            while (rounds < target && !stopping && isAlive()) {
                roundDone.await();
            }
            return rounds >= target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    void shutdown() {
        stopping = true;
        interrupt();
        boolean interrupted = false;
        while (isAlive()) {
            try {
                join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            serve();
        } finally {
            lock.lock();
            try {
                roundDone.signalAll(); // waiters see the thread gone
            } finally {
                lock.unlock();
            }
        }
    }

    private void serve() {
        while (!stopping) {
            lock.lock();
            try {
                if (!kicked) {
                    wake.awaitNanos(PERIOD_NANOS);
                }
                kicked = false;
            } catch (InterruptedException e) {
                if (stopping) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            for (FilePages f : cache.files()) {
                if (stopping) {
                    break;
                }
                if (f.dirtyCount() > 0) {
                    try {
                        f.file().tryWriteBackInBackground();
                    } catch (FsException | RuntimeException e) {
                        f.recordWritebackError(e);
                    }
                }
            }
            lock.lock();
            try {
                rounds++;
                roundDone.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
