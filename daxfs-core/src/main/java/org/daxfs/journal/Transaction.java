package org.daxfs.journal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.daxfs.FsException;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.MetadataBlocks;

/**
 * One atomic change of metadata: the blocks it modified, the blocks it took and the blocks it freed.
 * Nothing reaches the device until {@link #commit()}; {@link #close()} without a commit aborts, and an
 * aborted transaction leaves no trace (its reservations go back to the allocator, its copies are dropped,
 * its abort hooks run so in-memory objects can reload).
 *
 * <p>Context: created by {@link Journal#begin()}, which takes the journal lock; the lock is held until
 * close. Per the lock order, the caller may hold inode locks and the invalidate lock, but no mapping
 * entry or page lock: never begin a transaction while holding one. Not thread safe: one thread uses it.
 */
public final class Transaction implements MetadataBlocks, AutoCloseable {
    private final Journal journal;
    private final Map<Long, Block> dirty = new LinkedHashMap<>();
    private final List<long[]> claimed = new ArrayList<>();
    private final List<long[]> freed = new ArrayList<>();
    private final List<Runnable> onCommit = new ArrayList<>();
    private final List<Runnable> onAbort = new ArrayList<>();
    private boolean done;

    Transaction(Journal journal) {
        this.journal = journal;
    }

    @Override
    public Block read(long blockNo) throws FsException {
        Block b = dirty.get(blockNo);
        return b != null ? b : journal.cache().get(blockNo);
    }

    @Override
    public Block modify(long blockNo) throws FsException {
        checkOpen();
        Block b = dirty.get(blockNo);
        if (b == null) {
            b = journal.cache().get(blockNo).copy();
            dirty.put(blockNo, b);
        }
        return b;
    }

    @Override
    public Block allocate(long owner, long goal) throws FsException {
        checkOpen();
        long[] run = journal.allocator().reserve(goal, 1, false, false);
        claim(run[0], 1);
        Block b = Block.zeroed(run[0]);
        dirty.put(run[0], b);
        return b;
    }

    @Override
    public void free(long blockNo) throws FsException {
        freeRange(blockNo, 1);
    }

    /**
     * A zero-filled writable image of block {@code blockNo}, which the caller has just claimed (it is not
     * read: its old contents do not matter).
     */
    public Block fresh(long blockNo) {
        checkOpen();
        Block b = Block.zeroed(blockNo);
        dirty.put(blockNo, b);
        return b;
    }

    /**
     * Records on the device that {@code [start, start+length)}, reserved from the allocator by the caller,
     * is now in use. From here on the transaction owns the reservation: an abort gives it back.
     */
    public void claim(long start, long length) throws FsException {
        checkOpen();
        claimed.add(new long[] {start, length});
        journal.allocator().markUsed(this, start, length);
    }

    /** Frees {@code [start, start+length)}: cleared on the device now, reusable after commit. */
    public void freeRange(long start, long length) throws FsException {
        checkOpen();
        journal.allocator().markFree(this, start, length);
        freed.add(new long[] {start, length});
        for (long b = start; b < start + length; b++) {
            dirty.remove(b);
        }
    }

    /** Runs {@code action} after a successful commit (still under the journal lock). */
    public void onCommit(Runnable action) {
        onCommit.add(action);
    }

    /** Runs {@code action} if this transaction aborts. */
    public void onAbort(Runnable action) {
        onAbort.add(action);
    }

    /** Blocks modified so far: callers that loop over large work stop at {@link Journal#budget()}. */
    public int size() {
        return dirty.size();
    }

    /** The committed metadata (what this transaction's changes become visible in once it commits). */
    public MetadataBlocks committed() {
        return journal.committed();
    }

    /** True when this transaction should not take more work. */
    public boolean full() {
        return dirty.size() >= journal.budget();
    }

    /** Makes every change durable and visible, atomically. */
    public void commit() throws FsException {
        checkOpen();
        try {
            journal.commit(new ArrayList<>(dirty.values()));
        } catch (FsException | RuntimeException e) {
            close();
            throw e;
        }
        done = true;
        Allocator allocator = journal.allocator();
        for (long[] r : freed) {
            allocator.release(r[0], r[1]);
            for (long b = r[0]; b < r[0] + r[1]; b++) {
                journal.cache().drop(b);
            }
        }
        for (Runnable r : onCommit) {
            r.run();
        }
        journal.end(this);
    }

    /** Aborts unless committed, and releases the journal lock. */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            for (long[] r : claimed) {
                journal.allocator().unreserve(r[0], r[1]);
            }
            // Last change first, so that each inode ends at the state it had before the transaction.
            for (int i = onAbort.size() - 1; i >= 0; i--) {
                onAbort.get(i).run();
            }
        } finally {
            journal.end(this);
        }
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("transaction already ended");
        }
    }
}
