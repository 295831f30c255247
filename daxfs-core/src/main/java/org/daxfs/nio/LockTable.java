package org.daxfs.nio;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The file locks of one file system, by inode. An image is open in one process at a time (the device
 * holds the image file's lock), so every lock on its files is in this table, and a lock is granted at
 * once or not at all: a request overlapping a lock held through any channel of this JVM throws
 * {@link OverlappingFileLockException}, as the JDK's file channels do.
 *
 * <p>Locks: the table's monitor, a leaf (nothing is called under it).
 */
final class LockTable {
    private final Map<Long, List<Lock>> byInode = new HashMap<>();

    /** A granted lock; released explicitly, or when its channel closes. */
    final class Lock extends FileLock {
        private final long ino;
        private boolean released;

        Lock(FileChannel channel, long ino, long position, long size, boolean shared) {
            super(channel, position, size, shared);
            this.ino = ino;
        }

        @Override
        public boolean isValid() {
            synchronized (LockTable.this) {
                return !released && channel().isOpen();
            }
        }

        @Override
        public void release() throws IOException {
            if (!channel().isOpen()) {
                throw new ClosedChannelException(); // as the JDK's locks, released or not
            }
            remove(this);
        }
    }

    synchronized Lock acquire(FileChannel channel, long ino, long position, long size, boolean shared) {
        List<Lock> held = byInode.computeIfAbsent(ino, k -> new ArrayList<>());
        for (Lock l : held) {
            if (l.overlaps(position, size)) {
                throw new OverlappingFileLockException();
            }
        }
        Lock lock = new Lock(channel, ino, position, size, shared);
        held.add(lock);
        return lock;
    }

    private synchronized void remove(Lock lock) {
        if (lock.released) {
            return;
        }
        lock.released = true;
        List<Lock> held = byInode.get(lock.ino);
        if (held != null) {
            held.remove(lock);
            if (held.isEmpty()) {
                byInode.remove(lock.ino);
            }
        }
    }

    /** Releases every lock held through {@code channel} (it is closing). */
    synchronized void releaseAll(FileChannel channel, long ino) {
        List<Lock> held = byInode.get(ino);
        if (held == null) {
            return;
        }
        for (Lock l : List.copyOf(held)) {
            if (l.channel() == channel) {
                remove(l);
            }
        }
    }
}
