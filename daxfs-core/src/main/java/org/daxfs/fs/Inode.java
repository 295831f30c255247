package org.daxfs.fs;

import org.daxfs.FsException;
import org.daxfs.cache.FilePages;
import org.daxfs.dax.AddressSpace;
import org.daxfs.dax.InvalidateLock;
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
 *
 * <p>{@link #invalidateLock} is the file's invalidate lock (inside the inode lock): data reads hold it
 * shared <em>instead of</em> the inode lock, so readers are not serialised behind writers; writes,
 * preallocation, faults and mappings hold it shared; paths that take blocks away hold it exclusive. Such
 * readers see the file's blocks only through {@link #extentCache} and its size through {@code record.size}.
 *
 * <h2>The extent cache</h2>
 * Once built (under the inode lock), {@link #extentCache} always describes the committed extent tree: a
 * transaction that changes the tree leaves the old snapshot in place until it commits, then publishes a
 * new one, so a reader holding only the invalidate lock sees the old or the new extents, never a torn
 * tree. Paths that take blocks away (invalidate lock exclusive, no readers) drop it first and rebuild it
 * at the end, so a long truncate does not rebuild it once per transaction.
 */
final class Inode {
    final long ino;
    final RankedReadWriteLock lock = new RankedReadWriteLock(LockRank.INODE, this::toString);
    final InvalidateLock invalidateLock;
    /**
     * The mappings of this file, created on first map or pin, for the file's current mode (DAX: device
     * blocks; cached: cache pages). A mode switch retires it and sets it back to null.
     */
    volatile AddressSpace space;
    /** The cached pages of this file, created the first time it is used while not DAX. */
    volatile FilePages pages;
    /** Device ranges written since the last fsync, by overwrites that needed no transaction. */
    final DirtyRanges dirtyData = new DirtyRanges();

    /** The persistent fields. Replaced wholesale when a transaction aborts. */
    InodeRecord record;
    /** Attributes changed in memory and not yet written by a transaction (size, times). */
    boolean dirty;
    /** Open file handles, and the holds of front ends that name inodes by number ({@link ByInode}). */
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
        this.invalidateLock = new InvalidateLock("inode " + ino);
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
        // Readers keep the snapshot of the committed tree until this transaction commits; then a new one.
        txn.onCommit(() -> {
            if (extentCache != null) {
                try {
                    extentCache = ExtentCache.of(tree(txn.committed()).all());
                } catch (FsException | RuntimeException e) {
                    // A tree that cannot be read now: the next reader rebuilds it (and reports the damage).
                    extentCache = null;
                }
            }
        });
        txn.onAbort(() -> {
            record = saved;
            dirty = savedDirty;
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
