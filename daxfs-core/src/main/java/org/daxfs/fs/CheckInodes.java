package org.daxfs.fs;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.daxfs.FsException;
import org.daxfs.format.Block;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.XattrBlock;

/**
 * Every record of the inode table, and the free-inode list.
 *
 * <p>Each record: its checksum; inodes 0 and 1 free (reserved); for an inode in use a known type and known
 * flags; its extent tree ({@link ExtentTree#check()}), extents inside the data area and claimed by no one
 * else, directory blocks written; a sane symlink length and target block; its xattr block in the data
 * area, valid ({@link XattrBlock#decode}) and holding only names the file system accepts, each once; a
 * regular file's size within the largest file size; and its block count equal to the sum of its extents
 * plus the xattr block (extent-tree nodes are not counted, as the engine does not count them).
 *
 * <p>Repairs planned: a record that fails its checksum or has an unknown type is cleared (rewritten free;
 * its blocks become free and names of it are removed, as e2fsck clears such inodes); unknown flags are
 * dropped; a bad xattr block is forgotten, one with bad or repeated names rewritten with the rest; a wrong
 * block count is set; a size beyond the largest file becomes the end of the last extent, as e2fsck sets
 * i_size. A damaged extent tree or symlink is reported and left alone, and then nothing is freed on the
 * strength of this pass, since the blocks that inode owns are unknown.
 *
 * <p>The free-inode list: no loop, every entry a free record, every free record on it, and its length
 * the superblock's count; otherwise it is rebuilt from the free records.
 *
 * <p>Locking: none; one fsck thread on an unmounted image.
 */
final class CheckInodes {
    static final byte FREE = 1;
    static final byte IN_USE = 2;
    /** Damaged record that repair clears. */
    static final byte DAMAGED = 3;
    /** Unknown: its table block could not be read, or it is a damaged root that cannot be cleared. */
    static final byte UNREADABLE = 4;

    private final CheckContext cx;
    private final CheckInodeTable table;
    private final byte[] state;
    private final long[] freeNext;
    private final Map<Long, FsckInode> inUse = new HashMap<>();
    private boolean anyUnreadable;

    CheckInodes(CheckContext cx, CheckInodeTable table) {
        this.cx = cx;
        this.table = table;
        this.state = new byte[(int) table.inodes()];
        this.freeNext = new long[(int) table.inodes()];
    }

    long count() {
        return state.length;
    }

    /** FREE, IN_USE, DAMAGED or UNREADABLE; IN_USE for {@code ino} out of range is never returned. */
    byte state(long ino) {
        return ino >= 0 && ino < state.length ? state[(int) ino] : 0;
    }

    /** The in-use inode {@code ino} (known type, readable record), or null. */
    FsckInode get(long ino) {
        return inUse.get(ino);
    }

    Map<Long, FsckInode> inUse() {
        return inUse;
    }

    /** True when some records could not be read at all, so the namespace cannot be judged. */
    boolean anyUnreadable() {
        return anyUnreadable;
    }

    /** Reads and checks every record. */
    void readAll(FsckProgress.Span progress) {
        long blocks = table.blocks();
        for (long lb = 0; lb < blocks; lb++) {
            long phys = table.deviceBlock(lb);
            Block b;
            try {
                b = cx.view.read(phys);
            } catch (FsException e) {
                cx.findings.problem("inode table block " + lb + " (block " + phys + "): " + Fsck.detail(e));
                for (int k = 0; k < InodeRecord.PER_BLOCK; k++) {
                    unreadable(lb * InodeRecord.PER_BLOCK + k);
                }
                continue;
            }
            for (int k = 0; k < InodeRecord.PER_BLOCK; k++) {
                long ino = lb * InodeRecord.PER_BLOCK + k;
                try {
                    checkRecord(ino, b, k * InodeRecord.SIZE);
                } catch (FsException | RuntimeException e) {
                    // The tree and xattr checks turn damage into problems; this is an I/O error or a bug.
                    cx.findings.inode(ino, "could not be checked: " + Fsck.describe(e));
                    FsckInode in = inUse.get(ino);
                    if (in != null) {
                        in.sound = false;
                    }
                    cx.ownershipUnknown = true;
                }
            }
            if ((lb & 15) == 0) {
                progress.at(lb, blocks);
            }
        }
        progress.done();
    }

    private void unreadable(long ino) {
        state[(int) ino] = UNREADABLE;
        anyUnreadable = true;
        cx.ownershipUnknown = true;
    }

    private void checkRecord(long ino, Block b, int off) throws FsException {
        InodeRecord r;
        try {
            r = InodeRecord.decode(b, off, ino);
        } catch (FsException e) {
            String why = Fsck.detail(e);
            cx.findings.inode(ino, "damaged record in block " + b.number() + ": " + why.substring(why.lastIndexOf(": ") + 2));
            damaged(ino);
            return;
        }
        if (ino < InodeTable.ROOT_INO) {
            state[(int) ino] = FREE;
            if (!r.isFree()) {
                cx.findings.inode(ino, "reserved inode is in use");
                cx.plan.record(ino).clear = true;
            }
            return;
        }
        if (r.isFree()) {
            state[(int) ino] = FREE;
            freeNext[(int) ino] = r.next;
            return;
        }
        FileType type = FileType.ofMode(r.mode);
        if (type == null) {
            cx.findings.inode(ino, "unknown file type (mode 0" + Integer.toOctalString(r.mode) + ")");
            damaged(ino);
            return;
        }
        state[(int) ino] = IN_USE;
        FsckInode in = new FsckInode(ino, r, type);
        inUse.put(ino, in);
        if (ino == InodeTable.ROOT_INO && type != FileType.DIRECTORY) {
            cx.findings.inode(ino, "the root is not a directory");
            in.sound = false;
        }
        int unknownFlags = r.flags & ~(InodeRecord.USER_FLAGS | InodeRecord.FLAG_INLINE);
        if (unknownFlags != 0) {
            cx.findings.inode(ino, "unknown flags 0x" + Integer.toHexString(unknownFlags));
            cx.plan.record(ino).dropFlags = unknownFlags;
        }
        long[] data = checkData(in, r);
        long dataBlocks = data == null ? -1 : data[0];
        if (type == FileType.REGULAR && data != null && (r.size > FileData.MAX_FILE_SIZE)) {
            long end = Math.min(data[1] * Block.SIZE, FileData.MAX_FILE_SIZE);
            cx.findings.inode(ino, "size " + r.size + " is beyond the largest file size, should be " + end);
            cx.plan.record(ino).size = end;
        }
        long xattrBlocks = checkXattr(in, r);
        if (dataBlocks >= 0) {
            long expected = dataBlocks + (r.xattrBlock != 0 ? 1 : 0);
            if (r.blocks != expected) {
                cx.findings.inode(ino, "block count " + r.blocks + ", should be " + expected);
            }
            if (r.blocks != dataBlocks + xattrBlocks) {
                cx.plan.record(ino).blocks = dataBlocks + xattrBlocks;
            }
        }
    }

    /** Damage that repair clears: the record becomes free and its names go. */
    private void damaged(long ino) {
        if (ino == InodeTable.ROOT_INO) {
            // The root cannot be cleared: the whole namespace hangs from it.
            unreadable(ino);
            return;
        }
        state[(int) ino] = DAMAGED;
        cx.plan.record(ino).clear = true;
    }

    /**
     * Checks and claims the data of {@code in}: its extent tree, extents and (for symlinks) target.
     *
     * @return the blocks its extents map and the end of the last one, or null if they cannot be known
     */
    private long[] checkData(FsckInode in, InodeRecord r) throws FsException {
        long ino = in.ino;
        if ((r.flags & InodeRecord.FLAG_INLINE) != 0) {
            if (in.type != FileType.SYMLINK) {
                unsound(in, "a " + typeName(in.type) + " marked as an inline symlink");
                return null;
            }
            if (r.size < 1 || r.size > DaxFileSystem.INLINE_SYMLINK_MAX) {
                flawed(in, "inline symlink target of bad length " + r.size);
            }
            return new long[] {0, 0};
        }
        ExtentTree tree = new ExtentTree(cx.view, r.root, ino);
        List<Extent> extents;
        try {
            tree.check();
            extents = tree.all();
        } catch (FsException e) {
            if (e.errno() != org.daxfs.Errno.EUCLEAN) {
                throw e;
            }
            unsound(in, Fsck.detail(e));
            return null;
        }
        boolean[] known = {true};
        tree.forEachNode(n -> {
            if (cx.inDataArea(n, 1)) {
                cx.usage.claim(n, 1, ino, CheckBlockUsage.Kind.NODE, cx.findings);
            } else {
                unsound(in, "extent node " + n + " lies outside the data area");
                known[0] = false;
            }
        });
        long mapped = 0;
        for (Extent e : extents) {
            if (!cx.inDataArea(e.physical(), e.length())) {
                unsound(in, "extent at file block " + e.logical() + " (blocks " + e.physical() + "+" + e.length()
                        + ") lies outside the data area");
                known[0] = false;
                continue;
            }
            if (in.isDirectory() && e.unwritten()) {
                flawed(in, "directory blocks " + e.logical() + "+" + e.length() + " are unwritten");
            }
            cx.usage.claim(e.physical(), e.length(), ino, CheckBlockUsage.Kind.DATA, cx.findings);
            mapped += e.length();
        }
        if (in.type == FileType.SYMLINK) {
            if (r.size < 1 || r.size >= PathWalker.PATH_MAX) {
                flawed(in, "symlink target of bad length " + r.size);
            } else if (extents.isEmpty() || extents.getFirst().logical() != 0 || extents.getFirst().unwritten()) {
                // Freeing a long symlink takes its block in one transaction and the inode in the next.
                in.unlessBeingFreed = "symlink has no target block";
            }
        }
        return known[0] ? new long[] {mapped, extents.isEmpty() ? 0 : extents.getLast().end()} : null;
    }

    /** Checks and claims the xattr block; returns the blocks it adds to the count once repaired (0 or 1). */
    private long checkXattr(FsckInode in, InodeRecord r) throws FsException {
        long x = r.xattrBlock;
        if (x == 0) {
            return 0;
        }
        if (!cx.inDataArea(x, 1)) {
            cx.findings.inode(in.ino, "xattr block " + x + " lies outside the data area");
            cx.plan.record(in.ino).dropXattr = true;
            return 0;
        }
        Block b = cx.view.read(x);
        Map<String, byte[]> attrs;
        try {
            attrs = XattrBlock.decode(b, in.ino);
        } catch (FsException e) {
            if (e.errno() != org.daxfs.Errno.EUCLEAN) {
                throw e;
            }
            cx.findings.inode(in.ino, "xattr " + Fsck.detail(e));
            cx.plan.record(in.ino).dropXattr = true;
            return 0;
        }
        // The block decodes, but the file system must also accept every name in it, or the attribute can
        // be listed and never read.
        Map<String, byte[]> valid = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> a : attrs.entrySet()) {
            if (acceptableXattrName(a.getKey())) {
                valid.put(a.getKey(), a.getValue());
            } else {
                cx.findings.inode(in.ino, "xattr block " + x + ": attribute name '"
                        + CheckNamespace.printable(a.getKey().getBytes(StandardCharsets.UTF_8)) + "' is not one the file system accepts");
            }
        }
        if (attrs.size() != b.getShort(XATTR_COUNT)) {
            cx.findings.inode(in.ino, "xattr block " + x + ": holds the same name twice");
        }
        if (valid.isEmpty()) {
            cx.plan.record(in.ino).dropXattr = true;
            return 0;
        }
        if (valid.size() != b.getShort(XATTR_COUNT)) {
            cx.plan.record(in.ino).xattrs = valid;
        }
        cx.usage.claim(x, 1, in.ino, CheckBlockUsage.Kind.XATTR, cx.findings);
        return 1;
    }

    /** Offset of the attribute count in an xattr block (see {@link XattrBlock}). */
    private static final int XATTR_COUNT = Block.HEADER_END;

    /** The rule DaxFileSystem applies to every name it is asked for: 1..255 bytes in a known namespace. */
    static boolean acceptableXattrName(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= 1 && bytes <= XattrBlock.MAX_NAME && (name.startsWith("user.") || name.startsWith("trusted.")
                || name.startsWith("security.") || name.startsWith("system."));
    }

    /** A problem repair leaves alone, and the inode's blocks are no longer fully known. */
    private void unsound(FsckInode in, String problem) {
        flawed(in, problem);
        cx.ownershipUnknown = true;
    }

    /** A problem repair leaves alone; the inode's blocks are still known. */
    private void flawed(FsckInode in, String problem) {
        cx.findings.inode(in.ino, problem);
        in.sound = false;
    }

    static String typeName(FileType t) {
        return switch (t) {
            case REGULAR -> "regular file";
            case DIRECTORY -> "directory";
            case SYMLINK -> "symlink";
        };
    }

    // ---- the free-inode list ---------------------------------------------------------------------

    /** Walks the free-inode list and plans its rebuild if it is wrong or records are being cleared. */
    void checkFreeList() {
        long head = cx.sb.freeInodeHead();
        BitSet listed = new BitSet(state.length);
        long listedCount = 0;
        boolean broken = false;
        long prev = 0;
        for (long cur = head; cur != 0; prev = cur, cur = freeNext[(int) cur]) {
            String from = prev == 0 ? "the superblock's head" : "inode " + prev;
            if (cur < InodeTable.FIRST_FREE_INO || cur >= state.length) {
                cx.findings.problem("free-inode list: " + from + " points to " + Long.toUnsignedString(cur)
                        + ", which is not a usable inode number");
                broken = true;
                break;
            }
            byte s = state[(int) cur];
            if (s == UNREADABLE) {
                break;
            }
            if (s != FREE) {
                cx.findings.problem("free-inode list: " + from + " points to inode " + cur + ", which is "
                        + (s == IN_USE ? "in use" : "damaged"));
                broken = true;
                break;
            }
            if (listed.get((int) cur)) {
                cx.findings.problem("free-inode list loops back to inode " + cur);
                broken = true;
                break;
            }
            listed.set((int) cur);
            listedCount++;
        }
        long free = 0;
        long missing = 0;
        long firstMissing = -1;
        boolean clearing = false;
        for (int ino = (int) InodeTable.FIRST_FREE_INO; ino < state.length; ino++) {
            if (state[ino] == FREE) {
                free++;
                if (!listed.get(ino)) {
                    missing++;
                    firstMissing = firstMissing < 0 ? ino : firstMissing;
                }
            } else if (state[ino] == DAMAGED) {
                clearing = true;
            }
        }
        boolean wrong = broken;
        if (!broken && missing > 0) {
            cx.findings.problem("free-inode list misses " + missing + " free inode" + (missing == 1 ? "" : "s")
                    + " (the first is inode " + firstMissing + ")");
            wrong = true;
        }
        if (!broken && listedCount != cx.sb.freeInodes()) {
            cx.findings.problem("superblock: free inode count " + cx.sb.freeInodes() + ", the free-inode list holds "
                    + listedCount);
            wrong = true;
        }
        if ((wrong || clearing) && !anyUnreadable) {
            long[] list = new long[(int) Math.min(Integer.MAX_VALUE - 8, free + clearingCount())];
            int n = 0;
            for (int ino = (int) InodeTable.FIRST_FREE_INO; ino < state.length; ino++) {
                if (state[ino] == FREE || state[ino] == DAMAGED) {
                    list[n++] = ino;
                }
            }
            cx.plan.freeInodes = list;
        }
    }

    private long clearingCount() {
        long n = 0;
        for (int ino = (int) InodeTable.FIRST_FREE_INO; ino < state.length; ino++) {
            if (state[ino] == DAMAGED) {
                n++;
            }
        }
        return n;
    }
}
