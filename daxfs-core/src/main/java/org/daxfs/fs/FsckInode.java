package org.daxfs.fs;

import org.daxfs.format.InodeRecord;

/**
 * What fsck keeps of one in-use inode between its passes: the fields the namespace checks need, not the
 * whole record, so a large table fits in memory. A directory also keeps its extent-tree root, to read its
 * entries later.
 *
 * <p>Locking: none; one fsck thread.
 */
final class FsckInode {
    final long ino;
    final FileType type;
    final int mode;
    final int nlink;
    final long parent;
    /** The orphan-list link (meaningful only on that list). */
    final long next;
    /** Extent-tree root of a directory, else null. */
    final byte[] root;
    /** False once a problem that fsck cannot repair was found in it (damaged tree, bad symlink). */
    boolean sound = true;
    /**
     * A problem with its content that is no problem if the inode is being freed (on the orphan list with
     * no links: mount finishes the job, and the blocks may already be gone), so the namespace pass, which
     * knows the orphan list, decides; or null.
     */
    String unlessBeingFreed;

    FsckInode(long ino, InodeRecord r, FileType type) {
        this.ino = ino;
        this.type = type;
        this.mode = r.mode;
        this.nlink = r.nlink;
        this.parent = r.parent;
        this.next = r.next;
        this.root = type == FileType.DIRECTORY ? r.root.clone() : null;
    }

    boolean isDirectory() {
        return type == FileType.DIRECTORY;
    }

    /** The directory-entry type code of this inode. */
    int direntType() {
        return (mode & FileType.S_IFMT) >>> 12;
    }

    /** A record holding just the fields directory reads need (its tree root). */
    InodeRecord dirRecord() {
        InodeRecord r = new InodeRecord();
        r.mode = mode;
        System.arraycopy(root, 0, r.root, 0, root.length);
        return r;
    }
}
