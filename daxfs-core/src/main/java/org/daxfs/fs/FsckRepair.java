package org.daxfs.fs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.DirectoryIndex;
import org.daxfs.format.ExtentTree;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;
import org.daxfs.journal.Journal;
import org.daxfs.journal.Transaction;

/**
 * Carries out a {@link FsckPlan} through journal transactions, so every step is atomic and a crash
 * half-way leaves an image the next fsck can finish. No transaction takes more than half the journal's
 * budget of blocks (the superblock and bitmap blocks a transaction adds come on top).
 *
 * <p>Order matters: the bitmap first, from the computed usage, so that the allocator loaded after it is
 * sound for the steps that free or allocate blocks; the table's own record; inode records (counts,
 * parents, clearing damaged ones); directory entries; the free-inode list (which takes in the cleared
 * records) before anything allocates an inode; the orphan list; last /lost+found, which may allocate.
 * Lists are written from their tail, so that after each transaction the list on the device is a sound
 * (if shorter) list.
 *
 * <p>A step that fails is reported and the others still run; the check that follows tells what is left.
 *
 * <p>Locking: the journal lock, through each transaction; nothing else (the image is not mounted).
 */
final class FsckRepair {
    private static final byte[] LOST_FOUND = "lost+found".getBytes(StandardCharsets.UTF_8);

    private final Journal journal;
    private final FsckPlan plan;
    private final long total;
    private final long bitmapStart;
    private final long bitmapBlocks;
    private final long firstData;
    private final long hashSeed;
    private final int limit;
    private final List<String> failures = new ArrayList<>();
    private InodeTable table;

    private FsckRepair(Journal journal, Superblock sb, FsckPlan plan) {
        this.journal = journal;
        this.plan = plan;
        this.total = sb.totalBlocks();
        this.bitmapStart = sb.bitmapStart();
        this.bitmapBlocks = sb.bitmapBlocks();
        this.firstData = sb.firstDataBlock();
        this.hashSeed = sb.hashSeed();
        this.limit = Math.max(1, journal.budget() / 2);
    }

    /**
     * Applies {@code plan} to the image behind {@code journal} (recovered for writing).
     *
     * @return one line per step that could not be carried out
     */
    static List<String> apply(Journal journal, FsckPlan plan) {
        try {
            Superblock sb = Superblock.verify(journal.committed().read(Superblock.BLOCK_NUMBER), Long.MAX_VALUE);
            FsckRepair r = new FsckRepair(journal, sb, plan);
            r.run();
            return r.failures;
        } catch (FsException | RuntimeException e) {
            return List.of("could not repair: " + Fsck.describe(e));
        }
    }

    private interface Step {
        void run() throws FsException;
    }

    private void run() {
        // Transactions need an allocator; the bitmap step frees and takes nothing, so a fresh one will do.
        journal.attach(Allocator.fresh(total, bitmapStart, firstData));
        step("the bitmap", this::bitmap);
        Allocator allocator;
        try {
            allocator = Allocator.load(journal.committed(),
                    new Superblock(journal.committed().read(Superblock.BLOCK_NUMBER)));
        } catch (FsException | RuntimeException e) {
            failures.add("could not repair more: the bitmap cannot be loaded: " + Fsck.describe(e));
            return;
        }
        journal.attach(allocator);
        table = new InodeTable(journal, allocator);
        step("the inode table's record", this::tableRecord);
        step("inode records", this::records);
        for (FsckPlan.EntryFix fix : plan.entries) {
            step("entry '" + CheckNamespace.printable(fix.name()) + "' of directory " + fix.dir(), () -> entry(fix));
        }
        step("the free-inode list", () -> writeList(plan.freeInodes, true));
        step("the orphan list", () -> writeList(plan.orphans, false));
        if (!plan.lost.isEmpty()) {
            step("/lost+found", this::lostAndFound);
        }
    }

    private void step(String what, Step step) {
        try {
            step.run();
        } catch (FsException | RuntimeException e) {
            failures.add("could not repair " + what + ": " + Fsck.describe(e));
        }
    }

    // ---- bitmap ----------------------------------------------------------------------------------

    private void bitmap() throws FsException {
        if (plan.bitmap == null && plan.freeBlocks < 0) {
            return;
        }
        Transaction txn = null;
        try {
            if (plan.bitmap != null) {
                for (int i = 0; i < bitmapBlocks; i++) {
                    Block want = CheckBitmap.encode(bitmapStart, total, i, plan.bitmap);
                    if (Arrays.equals(want.data(), journal.committed().read(bitmapStart + i).data())) {
                        continue;
                    }
                    if (txn == null) {
                        txn = journal.begin();
                    }
                    txn.modify(bitmapStart + i).putBytes(0, want.data(), 0, Block.SIZE);
                    if (txn.size() >= limit) {
                        txn.commit();
                        txn = null;
                    }
                }
            }
            if (plan.freeBlocks >= 0) {
                if (txn == null) {
                    txn = journal.begin();
                }
                new Superblock(txn.modify(Superblock.BLOCK_NUMBER)).setFreeBlocks(plan.freeBlocks);
            }
            if (txn != null) {
                txn.commit();
                txn = null;
            }
        } finally {
            if (txn != null) {
                txn.close();
            }
        }
    }

    // ---- inode records ---------------------------------------------------------------------------

    private void tableRecord() throws FsException {
        if (plan.tableBlocks < 0 && plan.tableSize < 0) {
            return;
        }
        try (Transaction txn = journal.begin()) {
            InodeRecord r = InodeTable.tableRecord(txn);
            if (plan.tableBlocks >= 0) {
                r.blocks = plan.tableBlocks;
            }
            if (plan.tableSize >= 0) {
                r.size = plan.tableSize;
            }
            InodeTable.writeTableRecord(txn, r);
            txn.commit();
        }
    }

    private void records() throws FsException {
        Transaction txn = null;
        try {
            for (FsckPlan.RecordFix fix : plan.records.values()) {
                if (txn == null) {
                    txn = journal.begin();
                }
                Block b = txn.modify(table.blockOf(txn, fix.ino));
                int off = offsetOf(fix.ino);
                if (fix.clear) {
                    InodeRecord.free(0).encode(b, off, fix.ino);
                } else {
                    InodeRecord r = InodeRecord.decode(b, off, fix.ino);
                    if (fix.nlink != null) {
                        r.nlink = fix.nlink;
                    }
                    if (fix.blocks != null) {
                        r.blocks = fix.blocks;
                    }
                    if (fix.parent != null) {
                        r.parent = fix.parent;
                    }
                    if (fix.size != null) {
                        r.size = fix.size;
                    }
                    r.flags &= ~fix.dropFlags;
                    if (fix.dropXattr) {
                        r.xattrBlock = 0;
                    }
                    r.encode(b, off, fix.ino);
                }
                if (txn.size() >= limit) {
                    txn.commit();
                    txn = null;
                }
            }
            if (txn != null) {
                txn.commit();
                txn = null;
            }
        } finally {
            if (txn != null) {
                txn.close();
            }
        }
    }

    private static int offsetOf(long ino) {
        return (int) (ino % InodeRecord.PER_BLOCK) * InodeRecord.SIZE;
    }

    private void write(Transaction txn, long ino, InodeRecord r) throws FsException {
        table.write(txn, new Inode(ino, r));
    }

    // ---- directory entries -----------------------------------------------------------------------

    private DirectoryIndex index(MetadataBlocks mb, long dir, InodeRecord r) {
        return new DirectoryIndex(new DirectoryBlocks(mb, dir, r), hashSeed);
    }

    /** Removes or retypes one entry, if it still names the inode the check saw. */
    private void entry(FsckPlan.EntryFix fix) throws FsException {
        try (Transaction txn = journal.begin()) {
            InodeRecord dir = table.read(txn, fix.dir());
            DirectoryIndex index = index(txn, fix.dir(), dir);
            DirectoryIndex.Entry now = index.lookup(fix.name());
            if (now == null || now.ino() != fix.ino()) {
                return;
            }
            if (fix.type() < 0) {
                index.remove(fix.name());
            } else {
                index.replace(fix.name(), fix.ino(), fix.type());
            }
            write(txn, fix.dir(), dir);
            txn.commit();
        }
    }

    // ---- lists -----------------------------------------------------------------------------------

    /**
     * Writes a list chained through the records' {@code next} fields, from its tail: each transaction
     * links a batch in front of what is already written and points the superblock's head at it.
     */
    private void writeList(long[] list, boolean freeList) throws FsException {
        if (list == null) {
            return;
        }
        int end = list.length;
        do {
            try (Transaction txn = journal.begin()) {
                int start = end;
                while (start > 0 && txn.size() < limit) {
                    long ino = list[start - 1];
                    long next = start < list.length ? list[start] : 0;
                    long blk = table.blockOf(txn, ino);
                    InodeRecord r = InodeRecord.decode(txn.read(blk), offsetOf(ino), ino);
                    if (r.isFree() != freeList) {
                        throw FsException.atOffset(Errno.EUCLEAN, -1, "inode " + ino + " is "
                                + (r.isFree() ? "free" : "in use") + " now");
                    }
                    if (r.next != next) {
                        r.next = next;
                        r.encode(txn.modify(blk), offsetOf(ino), ino);
                    }
                    start--;
                }
                Superblock sb = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
                long head = start < list.length ? list[start] : 0;
                if (freeList) {
                    sb.setFreeInodeHead(head);
                    sb.setFreeInodes(list.length - start);
                } else {
                    sb.setOrphanHead(head);
                }
                txn.commit();
                end = start;
            }
        } while (end > 0);
    }

    // ---- lost+found ------------------------------------------------------------------------------

    private void lostAndFound() throws FsException {
        long lf = lostFoundDirectory();
        for (FsckPlan.Lost lost : plan.lost) {
            step("inode " + lost.ino() + " into /lost+found", () -> link(lf, lost));
        }
    }

    /** Links one nameless inode into /lost+found as {@code #ino} with its link count and parent. */
    private void link(long lf, FsckPlan.Lost lost) throws FsException {
        try (Transaction txn = journal.begin()) {
            InodeRecord dir = table.read(txn, lf);
            DirectoryIndex index = index(txn, lf, dir);
            byte[] name = freeName(index, "#" + lost.ino());
            InodeRecord r = table.read(txn, lost.ino());
            index.add(name, lost.ino(), (r.mode & FileType.S_IFMT) >>> 12);
            r.nlink = lost.nlink();
            if (lost.directory()) {
                r.parent = lf;
                dir.nlink++;
            }
            long now = now();
            dir.mtime = now;
            dir.ctime = now;
            r.ctime = now;
            write(txn, lost.ino(), r);
            write(txn, lf, dir);
            txn.commit();
        }
    }

    private static byte[] freeName(DirectoryIndex index, String base) throws FsException {
        for (int i = 0; i < 100; i++) {
            byte[] name = (i == 0 ? base : base + "." + i).getBytes(StandardCharsets.UTF_8);
            if (index.lookup(name) == null) {
                return name;
            }
        }
        throw FsException.of(Errno.EEXIST, "/lost+found/" + base, "no free name");
    }

    /** The inode of /lost+found, made if the root has no entry of that name. */
    private long lostFoundDirectory() throws FsException {
        MetadataBlocks committed = journal.committed();
        InodeRecord root = table.read(committed, InodeTable.ROOT_INO);
        DirectoryIndex.Entry e = index(committed, InodeTable.ROOT_INO, root).lookup(LOST_FOUND);
        if (e != null) {
            if (FileType.ofMode(table.read(committed, e.ino()).mode) != FileType.DIRECTORY) {
                throw FsException.of(Errno.ENOTDIR, "/lost+found", "exists and is not a directory");
            }
            return e.ino();
        }
        try (Transaction txn = journal.begin()) {
            long now = now();
            InodeRecord r = new InodeRecord();
            r.mode = FileType.DIRECTORY.modeBits() | 0700;
            r.nlink = 2;
            r.atime = r.mtime = r.ctime = r.btime = now;
            r.parent = InodeTable.ROOT_INO;
            ExtentTree.initRoot(r.root);
            Inode in = table.allocate(txn, r);
            DirectoryIndex.format(new DirectoryBlocks(txn, in.ino, in.record));
            table.write(txn, in);
            InodeRecord rootNow = table.read(txn, InodeTable.ROOT_INO);
            index(txn, InodeTable.ROOT_INO, rootNow).add(LOST_FOUND, in.ino, FileType.DIRECTORY.modeBits() >>> 12);
            rootNow.nlink++;
            rootNow.mtime = now;
            rootNow.ctime = now;
            write(txn, InodeTable.ROOT_INO, rootNow);
            txn.commit();
            return in.ino;
        }
    }

    private static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
