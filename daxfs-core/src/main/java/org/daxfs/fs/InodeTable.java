package org.daxfs.fs;

import java.util.concurrent.ConcurrentHashMap;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;
import org.daxfs.journal.Journal;
import org.daxfs.journal.Transaction;

/**
 * The inode table: a file (inode 1, its record in the superblock) of 256-byte records, grown 64 KiB at a
 * time, with free records chained from the superblock's free-inode list. Also the cache of {@link Inode}
 * objects, so that every user of an inode shares one object and one lock.
 *
 * <p>Context: {@link #allocate}, {@link #release} and {@link #write} run inside the caller's transaction
 * (journal lock held); {@link #get} takes no lock but the cache's own.
 */
final class InodeTable {
    static final long TABLE_INO = 1;
    static final long ROOT_INO = 2;
    static final long FIRST_FREE_INO = 3;
    static final int CHUNK_BLOCKS = 16;

    private final Journal journal;
    private final Allocator allocator;
    private final ConcurrentHashMap<Long, Inode> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Long> tableBlocks = new ConcurrentHashMap<>();

    InodeTable(Journal journal, Allocator allocator) {
        this.journal = journal;
        this.allocator = allocator;
    }

    /** The record of the inode table itself, from the superblock. */
    static InodeRecord tableRecord(MetadataBlocks mb) throws FsException {
        return InodeRecord.decode(mb.read(Superblock.BLOCK_NUMBER), Superblock.TABLE_INODE_OFFSET, TABLE_INO);
    }

    /** Writes the table's own record back into the superblock. */
    static void writeTableRecord(MetadataBlocks mb, InodeRecord rec) throws FsException {
        Block sb = mb.modify(Superblock.BLOCK_NUMBER);
        rec.encode(sb, Superblock.TABLE_INODE_OFFSET, TABLE_INO);
        sb.seal();
    }

    /** Number of inode slots the table holds now. */
    static long capacity(MetadataBlocks mb) throws FsException {
        return new Superblock(mb.read(Superblock.BLOCK_NUMBER)).tableInodes();
    }

    /** The device block holding inode {@code ino}'s record. */
    long blockOf(MetadataBlocks mb, long ino) throws FsException {
        Long cached = tableBlocks.get(ino / InodeRecord.PER_BLOCK);
        if (cached != null) {
            return cached;
        }
        if (ino < 0 || ino >= capacity(mb)) {
            throw FsException.atOffset(Errno.EUCLEAN, -1, "inode number " + ino + " is beyond the inode table");
        }
        Extent e = new ExtentTree(mb, tableRecord(mb).root, TABLE_INO).find(ino / InodeRecord.PER_BLOCK);
        if (e == null || e.unwritten()) {
            throw FsException.atOffset(Errno.EUCLEAN, -1, "inode table has no block for inode " + ino);
        }
        long blk = e.physicalOf(ino / InodeRecord.PER_BLOCK);
        if (!(mb instanceof Transaction)) {
            // Only committed table blocks are remembered: a transaction that grew the table may abort.
            tableBlocks.put(ino / InodeRecord.PER_BLOCK, blk);
        }
        return blk;
    }

    InodeRecord read(MetadataBlocks mb, long ino) throws FsException {
        return InodeRecord.decode(mb.read(blockOf(mb, ino)), offsetOf(ino), ino);
    }

    /** Writes {@code inode}'s record in {@code txn}; its dirty flag clears when the transaction commits. */
    void write(Transaction txn, Inode inode) throws FsException {
        Block b = txn.modify(blockOf(txn, inode.ino));
        inode.record.encode(b, offsetOf(inode.ino), inode.ino);
        txn.onCommit(() -> inode.dirty = false);
    }

    private static int offsetOf(long ino) {
        return (int) (ino % InodeRecord.PER_BLOCK) * InodeRecord.SIZE;
    }

    /**
     * The shared in-memory inode for {@code ino}, loaded from committed metadata on first use.
     *
     * @throws FsException EUCLEAN if the record is damaged or free (a name pointing at a free inode)
     */
    Inode get(long ino) throws FsException {
        Inode in = cache.get(ino);
        if (in != null) {
            return in;
        }
        if (ino < ROOT_INO) {
            throw FsException.atOffset(Errno.EUCLEAN, -1, "reference to reserved inode " + ino);
        }
        InodeRecord rec = read(journal.committed(), ino);
        if (rec.isFree()) {
            throw FsException.atOffset(Errno.EUCLEAN, -1, "reference to free inode " + ino);
        }
        if (FileType.ofMode(rec.mode) == null) {
            throw FsException.atOffset(Errno.EUCLEAN, -1, "inode " + ino + " has unknown type 0" + Integer.toOctalString(rec.mode));
        }
        Inode fresh = new Inode(ino, rec);
        Inode raced = cache.putIfAbsent(ino, fresh);
        return raced != null ? raced : fresh;
    }

    /**
     * The in-memory inode for {@code ino} as {@link #get} gives it, or null if no inode of that number is in
     * use: a reserved or out-of-range number, a free record, or an inode already given back. For callers that
     * hold numbers from outside (a FUSE kernel's node ids), where a stale number is no sign of damage.
     */
    Inode find(long ino) throws FsException {
        Inode in = cache.get(ino);
        if (in != null) {
            return in.freed ? null : in;
        }
        MetadataBlocks committed = journal.committed();
        if (ino < ROOT_INO || ino >= capacity(committed)) {
            return null;
        }
        if (read(committed, ino).isFree()) {
            return null;
        }
        in = get(ino);
        return in.freed ? null : in;
    }

    /** Inodes currently in memory (for sync and unmount). */
    Iterable<Inode> cached() {
        return cache.values();
    }

    /**
     * Takes a free inode, growing the table when none is left, and puts {@code record} in it.
     *
     * @return the new in-memory inode (already in the cache; the cache entry is dropped if txn aborts)
     */
    Inode allocate(Transaction txn, InodeRecord record) throws FsException {
        Superblock sb = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
        if (sb.freeInodeHead() == 0) {
            grow(txn);
            sb = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
        }
        long ino = sb.freeInodeHead();
        InodeRecord old = read(txn, ino);
        if (!old.isFree()) {
            throw FsException.atOffset(Errno.EUCLEAN, -1, "free-inode list names inode " + ino + " which is in use");
        }
        sb.setFreeInodeHead(old.next);
        sb.setFreeInodes(sb.freeInodes() - 1);
        record.generation = old.generation + 1;
        record.next = 0;
        Inode inode = new Inode(ino, record);
        write(txn, inode);
        cache.put(ino, inode);
        txn.onAbort(() -> cache.remove(ino, inode));
        return inode;
    }

    /** Returns {@code inode}'s record to the free list; the cache forgets it when txn commits. */
    void release(Transaction txn, Inode inode) throws FsException {
        Superblock sb = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
        InodeRecord free = InodeRecord.free(sb.freeInodeHead());
        free.generation = inode.record.generation;
        Block b = txn.modify(blockOf(txn, inode.ino));
        free.encode(b, offsetOf(inode.ino), inode.ino);
        sb.setFreeInodeHead(inode.ino);
        sb.setFreeInodes(sb.freeInodes() + 1);
        txn.onCommit(() -> cache.remove(inode.ino, inode));
    }

    /** Adds a chunk of free inodes to the table. Context: in txn. */
    private void grow(Transaction txn) throws FsException {
        InodeRecord table = tableRecord(txn);
        Superblock sb = new Superblock(txn.read(Superblock.BLOCK_NUMBER));
        long first = sb.tableInodes();
        long logical = first / InodeRecord.PER_BLOCK;
        if (logical + CHUNK_BLOCKS > ExtentTree.MAX_LOGICAL) {
            throw FsException.of(Errno.ENOSPC, null, "inode table is full");
        }
        ExtentTree tree = new ExtentTree(txn, table.root, TABLE_INO);
        Extent last = logical > 0 ? tree.find(logical - 1) : null;
        long[] run = allocator.reserve(last == null ? 0 : last.physicalOf(logical - 1) + 1, CHUNK_BLOCKS, false, false);
        txn.claim(run[0], run[1]);
        tree.insert(new Extent(logical, run[0], run[1], false));
        long added = run[1] * InodeRecord.PER_BLOCK;
        for (long i = 0; i < run[1]; i++) {
            Block b = txn.fresh(run[0] + i);
            for (int k = 0; k < InodeRecord.PER_BLOCK; k++) {
                long ino = (logical + i) * InodeRecord.PER_BLOCK + k;
                long next = ino + 1 < first + added ? ino + 1 : 0;
                InodeRecord.free(next).encode(b, k * InodeRecord.SIZE, ino);
            }
        }
        table.size += added * InodeRecord.SIZE;
        table.blocks += run[1];
        writeTableRecord(txn, table);
        Superblock w = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
        w.setFreeInodeHead(first);
        w.setFreeInodes(w.freeInodes() + added);
        w.setTableInodes(first + added);
    }
}
