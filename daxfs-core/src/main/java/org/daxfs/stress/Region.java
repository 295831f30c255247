package org.daxfs.stress;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A worker's part of the one file all workers of flip mode share, and the lock they take turns by. An
 * operation that stays inside its worker's region and leaves the size alone runs with the lock shared,
 * beside the other workers' (a worker's region changes only through its own operations, so the model of
 * it stays exact); any other (truncate, collapse and insert range, appends, writes past EOF or into
 * another region) and every whole-file check runs with it exclusive, alone. The flipper takes no part: its
 * flips change no byte of the file.
 *
 * <p>Regions are whole blocks (and so whole pages), so that no block, cached page or mapping entry is
 * shared by two regions: a punch or zero range in one revokes no mapping in another.
 *
 * <p>The checker's lock is outside every lock of DaxFS: a worker takes it before calling DaxFS and holds
 * it across the call, and takes the model's monitor only between calls.
 *
 * @param from first byte of the region
 * @param to one past its last byte
 * @param turns the lock all workers share
 */
record Region(long from, long to, ReentrantReadWriteLock turns) {
    Region {
        if (from % FileModel.BLOCK != 0 || to % FileModel.BLOCK != 0 || from >= to) {
            throw new IllegalArgumentException("region [" + from + ", " + to + ")");
        }
    }

    /** The lock for an operation inside the region. */
    Lock beside() {
        return turns.readLock();
    }

    /** The lock for anything else: no other worker runs meanwhile. */
    Lock alone() {
        return turns.writeLock();
    }

    long firstBlock() {
        return from / FileModel.BLOCK;
    }

    long endBlock() {
        return to / FileModel.BLOCK;
    }

    @Override
    public String toString() {
        return Ranges.of(from, to - from);
    }
}
