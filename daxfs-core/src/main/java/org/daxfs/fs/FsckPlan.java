package org.daxfs.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The repairs one check pass decided on, as data: {@link FsckRepair} carries them out. A pass fills the
 * plan even without repair (it costs nothing), so that deciding and doing stay apart.
 *
 * <p>Every value here is absolute ("link count 3"), computed from the whole image, so that applying a
 * repair twice or after a crash half-way does no harm; the next check finds whatever is left.
 *
 * <p>Locking: none; one fsck thread.
 */
final class FsckPlan {
    /** Changes to one inode record; unset fields stay as they are. */
    static final class RecordFix {
        final long ino;
        /** Rewrite the record as a free one (its blocks are not counted as used by this pass). */
        boolean clear;
        Integer nlink;
        Long blocks;
        Long parent;
        Long size;
        /** Flag bits to clear. */
        int dropFlags;
        /** Forget the xattr block (its block is not counted as used by this pass). */
        boolean dropXattr;

        RecordFix(long ino) {
            this.ino = ino;
        }
    }

    /**
     * A directory entry to remove ({@code type < 0}) or to give the type of the inode it names.
     *
     * @param dir the directory
     * @param name the entry's name
     * @param ino the inode it names now
     * @param type the new type code, or -1 to remove the entry
     */
    record EntryFix(long dir, byte[] name, long ino, int type) {
    }

    /**
     * An in-use inode with no name, to be linked into /lost+found.
     *
     * @param ino the inode
     * @param directory whether it is a directory (its parent becomes /lost+found)
     * @param nlink its link count once linked
     */
    record Lost(long ino, boolean directory, int nlink) {
    }

    final TreeMap<Long, RecordFix> records = new TreeMap<>();
    final List<EntryFix> entries = new ArrayList<>();
    final List<Lost> lost = new ArrayList<>();
    /** The bitmap to write (bits of every bitmap block), or null to leave it. */
    long[] bitmap;
    /** The free-block count to go with {@link #bitmap}, or with the current bitmap when that is null; -1 leaves it. */
    long freeBlocks = -1;
    /** The free-inode list to write, ascending, or null to leave it. */
    long[] freeInodes;
    /** The orphan list to write, head first, or null to leave it. */
    long[] orphans;
    /** The inode table's own block count and size, or -1 to leave them. */
    long tableBlocks = -1;
    long tableSize = -1;

    RecordFix record(long ino) {
        return records.computeIfAbsent(ino, RecordFix::new);
    }

    boolean isEmpty() {
        return records.isEmpty() && entries.isEmpty() && lost.isEmpty() && bitmap == null && freeBlocks < 0
                && freeInodes == null && orphans == null && tableBlocks < 0 && tableSize < 0;
    }
}
