package org.daxfs.fs;

import java.util.List;
import org.daxfs.FsException;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.Superblock;

/**
 * The inode table itself (inode 1, its record in the superblock): the record's checksum and type, its
 * extent tree, that its extents are written, lie in the data area and are claimed by nobody else, that
 * they cover every record the superblock counts, and its block count and size.
 *
 * <p>A table that cannot be read whole stops the inode checks: nothing below it can be trusted. That is
 * reported and not repaired.
 *
 * <p>Locking: none; one fsck thread on an unmounted image.
 */
final class CheckInodeTable {
    private final List<Extent> extents;
    private final long inodes;

    private CheckInodeTable(List<Extent> extents, long inodes) {
        this.extents = extents;
        this.inodes = inodes;
    }

    /** Records the table holds (the superblock's count, checked against the table). */
    long inodes() {
        return inodes;
    }

    /** Table blocks: one per {@link InodeRecord#PER_BLOCK} records. */
    long blocks() {
        return inodes / InodeRecord.PER_BLOCK;
    }

    /** The device block holding table block {@code logical}; the check made sure it is mapped. */
    long deviceBlock(long logical) {
        int lo = 0;
        int hi = extents.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Extent e = extents.get(mid);
            if (e.end() <= logical) {
                lo = mid + 1;
            } else if (e.logical() > logical) {
                hi = mid - 1;
            } else {
                return e.physicalOf(logical);
            }
        }
        throw new IllegalStateException("inode table block " + logical + " is not mapped");
    }

    /** Checks the table; null if it cannot be used (the problems are reported). */
    static CheckInodeTable check(CheckContext cx) throws FsException {
        Superblock sb = cx.sb;
        FsckFindings f = cx.findings;
        long inodes = sb.tableInodes();
        // Records are read by the block, and the walk keeps a byte of state per inode.
        long maxInodes = Math.min(Integer.MAX_VALUE, (cx.total - cx.firstData) * InodeRecord.PER_BLOCK);
        if (inodes < InodeRecord.PER_BLOCK || inodes % InodeRecord.PER_BLOCK != 0 || inodes > maxInodes) {
            f.problem("superblock: inode table size of " + inodes + " inodes is impossible");
            cx.ownershipUnknown = true;
            return null;
        }
        InodeRecord rec;
        try {
            rec = InodeRecord.decode(cx.view.read(Superblock.BLOCK_NUMBER), Superblock.TABLE_INODE_OFFSET,
                    InodeTable.TABLE_INO);
        } catch (FsException e) {
            f.problem("inode table record (inode 1, in the superblock): " + Fsck.detail(e));
            cx.ownershipUnknown = true;
            return null;
        }
        if (FileType.ofMode(rec.mode) != FileType.REGULAR || (rec.flags & InodeRecord.FLAG_INLINE) != 0) {
            f.problem("inode table record (inode 1): not a regular file (mode 0" + Integer.toOctalString(rec.mode) + ")");
            cx.ownershipUnknown = true;
            return null;
        }
        ExtentTree tree = new ExtentTree(cx.view, rec.root, InodeTable.TABLE_INO);
        List<Extent> extents;
        try {
            tree.check();
            extents = tree.all();
        } catch (FsException e) {
            f.problem("inode table: " + Fsck.detail(e));
            cx.ownershipUnknown = true;
            return null;
        }
        boolean usable = claimNodes(cx, tree);
        long mapped = 0;
        long expect = 0;
        for (Extent e : extents) {
            if (e.unwritten()) {
                f.problem("inode table: extent at block " + e.logical() + " is unwritten");
                usable = false;
            }
            if (!cx.inDataArea(e.physical(), e.length())) {
                f.problem("inode table: extent at block " + e.logical() + " (blocks " + e.physical() + "+"
                        + e.length() + ") lies outside the data area");
                usable = false;
                continue;
            }
            cx.usage.claim(e.physical(), e.length(), InodeTable.TABLE_INO, CheckBlockUsage.Kind.TABLE, f);
            if (e.logical() > expect && expect < inodes / InodeRecord.PER_BLOCK) {
                f.problem("inode table has no block for inodes " + expect * InodeRecord.PER_BLOCK + "-"
                        + (Math.min(e.logical(), inodes / InodeRecord.PER_BLOCK) * InodeRecord.PER_BLOCK - 1));
                usable = false;
            }
            expect = Math.max(expect, e.end());
            mapped += e.length();
        }
        if (expect < inodes / InodeRecord.PER_BLOCK) {
            f.problem("inode table has no block for inodes " + expect * InodeRecord.PER_BLOCK + "-" + (inodes - 1));
            usable = false;
        }
        if (!usable) {
            cx.ownershipUnknown = true;
            return null;
        }
        if (rec.blocks != mapped) {
            f.problem("inode table: block count " + rec.blocks + ", should be " + mapped);
            cx.plan.tableBlocks = mapped;
        }
        if (rec.size != inodes * InodeRecord.SIZE) {
            f.problem("inode table: size " + rec.size + ", should be " + inodes * InodeRecord.SIZE
                    + " for the superblock's " + inodes + " inodes");
            cx.plan.tableSize = inodes * InodeRecord.SIZE;
        }
        return new CheckInodeTable(extents, inodes);
    }

    /** Claims the table's extent-tree nodes; false if one lies outside the data area. */
    private static boolean claimNodes(CheckContext cx, ExtentTree tree) throws FsException {
        boolean[] ok = {true};
        tree.forEachNode(n -> {
            if (!cx.inDataArea(n, 1)) {
                cx.findings.problem("inode table: extent node " + n + " lies outside the data area");
                ok[0] = false;
            } else {
                cx.usage.claim(n, 1, InodeTable.TABLE_INO, CheckBlockUsage.Kind.NODE, cx.findings);
            }
        });
        return ok[0];
    }
}
