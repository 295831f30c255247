package org.daxfs.stress;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The file of disrupt mode that one thread (the disruptor) changes while the others read it. The
 * disruptor publishes the number of each operation before performing it; since that number is also the
 * generation its writes carry ({@link Pattern}), a reader knows that no word it reads may come from a
 * later generation than the one published after its read.
 *
 * <p>Thread safe: one writer of {@link #started}, any number of readers.
 */
final class SharedFile {
    /**
     * WORKAROUND for two known engine races, reproduced by org.daxfs.fs.MappingRacesTest: a mapping that a
     * truncate, punch or zero range revokes between its faults and its publication (inside FileHandle.map)
     * is handed out alive over an unmapped window, so that the first access through it kills the JVM with
     * a SIGSEGV instead of throwing IllegalStateException; and a write into a hole fails with EIO ("window
     * closed") while a mapping showing the hole is being unmapped. While this is true, readers map and unmap
     * the shared file only between the disruptor's operations (they still read through their mappings while
     * the disruptor truncates, punches and writes, so revocation and holes filled under a reader are still
     * exercised). Set it to false once the engine is fixed.
     */
    static final boolean MAPS_WAIT_FOR_DISRUPTOR = true;

    final int fileId;
    final String path;
    private final AtomicLong started = new AtomicLong();
    private final ReadWriteLock changing = new ReentrantReadWriteLock();

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

    /** The disruptor, around each of its operations (see {@link #MAPS_WAIT_FOR_DISRUPTOR}). */
    void beginChange() {
        if (MAPS_WAIT_FOR_DISRUPTOR) {
            changing.writeLock().lock();
        }
    }

    void endChange() {
        if (MAPS_WAIT_FOR_DISRUPTOR) {
            changing.writeLock().unlock();
        }
    }

    /** A reader, around mapping or unmapping a range of the file (see {@link #MAPS_WAIT_FOR_DISRUPTOR}). */
    void beginMapping() {
        if (MAPS_WAIT_FOR_DISRUPTOR) {
            changing.readLock().lock();
        }
    }

    void endMapping() {
        if (MAPS_WAIT_FOR_DISRUPTOR) {
            changing.readLock().unlock();
        }
    }
}
