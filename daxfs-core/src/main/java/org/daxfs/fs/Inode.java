package org.daxfs.fs;

import org.daxfs.format.ExtentTree;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.journal.Transaction;
import org.daxfs.locking.LockRank;
import org.daxfs.locking.RankedReadWriteLock;

/**
 * An inode in memory: its persistent record plus what only a running file system knows (open count,
 * unsaved attribute changes, data written since the last fsync).
 *
 * <h2>Locking</h2>
 * {@link #lock} is the inode lock of DESIGN.md's lock order ({@link LockRank#INODE}; see
 * {@link org.daxfs.locking.LockOrder}). Readers of file data hold it shared; writers, truncate, fallocate
 * and attribute changes hold it exclusive. {@link #record} of a directory is changed
 * only under the namespace lock held exclusive (plus this lock); of a file, only under this lock
 * exclusive. Reading any field needs one of those locks at least shared.
 */
final class Inode {
    final long ino;
    final RankedReadWriteLock lock = new RankedReadWriteLock(LockRank.INODE, this::toString);
    /** Device ranges written since the last fsync, by overwrites that needed no transaction. */
    final DirtyRanges dirtyData = new DirtyRanges();

    /** The persistent fields. Replaced wholesale when a transaction aborts. */
    InodeRecord record;
    /** Attributes changed in memory and not yet written by a transaction (size, times). */
    boolean dirty;
    /** Open file handles. */
    int opens;
    /** Set once the inode and its blocks have been given back (unlinked and closed). */
    boolean freed;
    /** On the orphan list (changed under the journal lock). */
    boolean onOrphanList;
    /** The extents in memory for data lookups, or null until the next read builds it. */
    volatile ExtentCache extentCache;

    Inode(long ino, InodeRecord record) {
        this.ino = ino;
        this.record = record;
    }

    FileType type() {
        return FileType.ofMode(record.mode);
    }

    boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    /** The extent tree of this inode, reached through {@code blocks}. */
    ExtentTree tree(MetadataBlocks blocks) {
        return new ExtentTree(blocks, record.root, ino);
    }

    /**
     * Prepares this inode to be changed by {@code txn}: if the transaction aborts, the record goes back to
     * what it is now. Call before the first change in each transaction.
     */
    void joinTransaction(Transaction txn) {
        InodeRecord saved = record.copy();
        boolean savedDirty = dirty;
        // The transaction may change the extent tree: the cached copy goes now and once more at the end.
        extentCache = null;
        txn.onCommit(() -> extentCache = null);
        txn.onAbort(() -> {
            record = saved;
            dirty = savedDirty;
            extentCache = null;
        });
    }

    Stat stat() {
        InodeRecord r = record;
        return new Stat(ino, r.mode, r.nlink, r.uid, r.gid, r.size, r.blocks * (long) org.daxfs.format.Block.SIZE,
                r.atime, r.mtime, r.ctime, r.btime, r.flags & InodeRecord.USER_FLAGS);
    }

    @Override
    public String toString() {
        return "inode " + ino;
    }
}
