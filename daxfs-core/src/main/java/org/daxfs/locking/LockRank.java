package org.daxfs.locking;

/**
 * The levels of DaxFS's lock order (DESIGN.md, "Lock order"), outermost first. A thread may take a lock
 * of a level at or below (inner to) every lock it holds, never one outer to a lock it holds. See
 * {@link LockOrder} for the order and what each level covers.
 */
public enum LockRank {
    /** The namespace lock of a mounted file system (directory contents, names). */
    NAMESPACE(0),
    /** An inode's lock. */
    INODE(1),
    /** A file's invalidate lock (fill paths shared, block-removing paths exclusive). */
    INVALIDATE(2),
    /** The journal lock, held by a transaction from begin to commit or abort. */
    JOURNAL(3),
    /** A mapping entry lock; same level as {@link #PAGE}. */
    MAPPING_ENTRY(4),
    /** A cached page lock; same level as {@link #MAPPING_ENTRY}. */
    PAGE(4),
    /** A device read-side section: innermost. */
    DEVICE_SECTION(5);

    private final int level;

    LockRank(int level) {
        this.level = level;
    }

    /**
     * Position in the order: 0 is outermost. Locks of one level may nest in any order (two inode locks in
     * rename, several mapping entries, an entry and a page); a higher level is never held while taking a
     * lower one.
     */
    public int level() {
        return level;
    }
}
