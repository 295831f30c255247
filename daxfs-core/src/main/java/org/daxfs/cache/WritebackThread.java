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
    private boolean kicked; // guarded by lock
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
                    return;
                }
                if (f.dirtyCount() > 0) {
                    try {
                        f.file().tryWriteBackInBackground();
                    } catch (FsException | RuntimeException e) {
                        f.recordWritebackError(e);
                    }
                }
            }
        }
    }
}
