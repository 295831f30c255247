package org.daxfs.fs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;
import org.daxfs.journal.Transaction;

/**
 * The orphan list: inodes whose blocks are being given back over several transactions (unlinked files,
 * truncates of many extents). Chained through the records' {@code next} field from the superblock, so
 * that mount can finish what a crash interrupted.
 *
 * <p>Context: every method runs inside the caller's transaction (journal lock held). A list entry's
 * {@code next} field is only ever changed under the journal lock.
 */
final class Orphans {
    private final InodeTable table;

    Orphans(InodeTable table) {
        this.table = table;
    }

    void add(Transaction txn, Inode in) throws FsException {
        if (in.onOrphanList) {
            return;
        }
        Superblock sb = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
        in.joinTransaction(txn);
        in.record.next = sb.orphanHead();
        sb.setOrphanHead(in.ino);
        table.write(txn, in);
        in.onOrphanList = true;
        txn.onAbort(() -> in.onOrphanList = false);
    }

    void remove(Transaction txn, Inode in) throws FsException {
        if (!in.onOrphanList) {
            return;
        }
        Superblock sb = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
        if (sb.orphanHead() == in.ino) {
            sb.setOrphanHead(in.record.next);
        } else {
            Set<Long> seen = new HashSet<>();
            long cur = sb.orphanHead();
            while (true) {
                if (cur == 0 || !seen.add(cur)) {
                    throw FsException.atOffset(Errno.EUCLEAN, -1, "inode " + in.ino + " missing from the orphan list");
                }
                Inode prev = table.get(cur);
                if (prev.record.next == in.ino) {
                    prev.joinTransaction(txn);
                    prev.record.next = in.record.next;
                    table.write(txn, prev);
                    break;
                }
                cur = prev.record.next;
            }
        }
        in.joinTransaction(txn);
        in.record.next = 0;
        table.write(txn, in);
        in.onOrphanList = false;
        txn.onAbort(() -> in.onOrphanList = true);
    }

    /** The inodes on the list, head first (at mount). */
    static List<Long> list(MetadataBlocks mb, InodeTable table) throws FsException {
        List<Long> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long cur = new Superblock(mb.read(Superblock.BLOCK_NUMBER)).orphanHead();
        while (cur != 0) {
            if (!seen.add(cur)) {
                throw FsException.atOffset(Errno.EUCLEAN, -1, "orphan list loops at inode " + cur);
            }
            out.add(cur);
            cur = table.read(mb, cur).next;
        }
        return out;
    }
}
