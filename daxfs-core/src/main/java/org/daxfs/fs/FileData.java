package org.daxfs.fs;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.journal.Journal;
import org.daxfs.journal.Transaction;

/**
 * The data path of regular files and long symlinks: read, write, truncate, preallocate, fsync, and giving
 * all of a file's blocks back. Data moves straight between the caller's memory and the device; there is no
 * page cache in between.
 *
 * <h2>Ordered data</h2>
 * A block newly allocated to a file is written (data, and zeros around it) and flushed before the
 * transaction that maps it commits; so neither a crash nor a concurrent reader ever sees it with stale
 * contents. Writes into unwritten (preallocated) extents land first and are converted to written after,
 * in a transaction begun with no mapping or page lock held. Overwrites of written blocks need no
 * transaction: fsync flushes them.
 *
 * <h2>Invariants kept for truncate</h2>
 * Outside a truncate in progress (recorded on the orphan list) no written block lies wholly past EOF, and
 * the bytes past EOF in the last block are zero; so extending a file never exposes old data.
 *
 * <h2>Locking</h2>
 * {@link #read} needs the inode lock shared; every other method needs it exclusive. Transactions are
 * begun inside (journal lock after inode lock, as the lock order says).
 */
final class FileData {
    /** Largest file size: the extent tree addresses 2^32-1 blocks. */
    static final long MAX_FILE_SIZE = ExtentTree.MAX_LOGICAL * Block.SIZE;
    /** Blocks allocated by one transaction of a write or preallocation. */
    private static final long MAX_RUN = 65536;
    /** Extents removed by one transaction of a truncate. */
    private static final int REMOVE_BATCH = 64;

    private final Device device;
    private final Journal journal;
    private final Allocator allocator;
    private final InodeTable table;
    private final Orphans orphans;

    FileData(Device device, Journal journal, Allocator allocator, InodeTable table, Orphans orphans) {
        this.device = device;
        this.journal = journal;
        this.allocator = allocator;
        this.table = table;
        this.orphans = orphans;
    }

    // ---- read ------------------------------------------------------------------------------------

    /**
     * Reads into all of {@code dst} from {@code pos}, stopping at EOF. Holes and unwritten extents read as
     * zeros. Context: inode lock held shared.
     *
     * @return bytes read, or -1 if {@code pos} is at or past EOF and dst is not empty
     */
    long read(Inode in, long pos, MemorySegment dst) throws FsException {
        long size = in.record.size;
        if (dst.byteSize() == 0) {
            return 0;
        }
        if (pos >= size) {
            return -1;
        }
        long n = Math.min(dst.byteSize(), size - pos);
        ExtentCache extents = cachedExtents(in);
        long done = 0;
        while (done < n) {
            long off = pos + done;
            long lblk = off / Block.SIZE;
            Extent e = extents.next(lblk);
            long len;
            if (e == null || e.logical() > lblk) {
                long holeEnd = e == null ? Long.MAX_VALUE : e.logical() * Block.SIZE;
                len = Math.min(n - done, holeEnd - off);
                dst.asSlice(done, len).fill((byte) 0);
            } else {
                len = Math.min(n - done, e.end() * Block.SIZE - off);
                if (e.unwritten()) {
                    dst.asSlice(done, len).fill((byte) 0);
                } else {
                    device.read(deviceOffset(e, off), dst.asSlice(done, len));
                }
            }
            done += len;
        }
        return n;
    }

    /** The inode's extents in memory, built from the committed tree if need be. Context: inode lock held. */
    private ExtentCache cachedExtents(Inode in) throws FsException {
        ExtentCache c = in.extentCache;
        if (c == null) {
            c = ExtentCache.of(in.tree(journal.committed()).all());
            in.extentCache = c;
        }
        return c;
    }

    /**
     * The extent containing {@code lblk} or the next one, for writers: from the cache while it is valid,
     * else from the tree (a writer that just changed the tree should not pay to rebuild the cache).
     */
    private Extent nextExtent(Inode in, long lblk) throws FsException {
        ExtentCache c = in.extentCache;
        return c != null ? c.next(lblk) : in.tree(journal.committed()).next(lblk);
    }

    private static long deviceOffset(Extent e, long fileOffset) {
        return e.physicalOf(fileOffset / Block.SIZE) * Block.SIZE + fileOffset % Block.SIZE;
    }

    // ---- write -----------------------------------------------------------------------------------

    /**
     * Writes all of {@code src} at {@code pos}, extending the file as needed. A full device gives a short
     * write if anything was written, else ENOSPC; nothing already in the file is lost either way.
     * Context: inode lock held exclusive.
     *
     * @return bytes written
     */
    long write(Inode in, long pos, MemorySegment src, long now) throws FsException {
        long len = src.byteSize();
        if (pos < 0) {
            throw FsException.atOffset(Errno.EINVAL, pos, "negative file offset");
        }
        if (len == 0) {
            return 0;
        }
        if (pos >= MAX_FILE_SIZE) {
            throw FsException.atOffset(Errno.EFBIG, pos, "beyond the largest file size");
        }
        len = Math.min(len, MAX_FILE_SIZE - pos);
        long done = 0;
        try {
            while (done < len) {
                long off = pos + done;
                long lblk = off / Block.SIZE;
                Extent e = nextExtent(in, lblk);
                long n;
                if (e != null && e.contains(lblk)) {
                    n = Math.min(len - done, e.end() * Block.SIZE - off);
                    MemorySegment part = src.asSlice(done, n);
                    if (e.unwritten()) {
                        writeUnwritten(in, e, off, part, now);
                    } else {
                        device.write(deviceOffset(e, off), part);
                        in.dirtyData.add(deviceOffset(e, off), n);
                    }
                } else {
                    long holeBlocks = (e == null ? ExtentTree.MAX_LOGICAL : e.logical()) - lblk;
                    long lastBlock = (pos + len - 1) / Block.SIZE;
                    long want = Math.min(Math.min(holeBlocks, lastBlock - lblk + 1), MAX_RUN);
                    n = writeHole(in, lblk, want, off, src.asSlice(done, Math.min(len - done, want * Block.SIZE - off % Block.SIZE)), now);
                }
                done += n;
                extendTo(in, off + n, now);
            }
        } catch (FsException ex) {
            if (ex.errno() == Errno.ENOSPC && done > 0) {
                return done;
            }
            throw ex;
        }
        return done;
    }

    /** Records a size or time change in memory (written by the next transaction, fsync or close). */
    private static void extendTo(Inode in, long end, long now) {
        if (end > in.record.size) {
            in.record.size = end;
        }
        in.record.mtime = now;
        in.record.ctime = now;
        in.dirty = true;
    }

    /**
     * Allocates up to {@code blocks} blocks for the hole at {@code lblk}, writes {@code src} into them at
     * {@code off} with zeros around it, flushes, then maps them in one transaction.
     */
    private long writeHole(Inode in, long lblk, long blocks, long off, MemorySegment src, long now) throws FsException {
        boolean huge = lblk % Allocator.GROUP == 0 && (blocks >= Allocator.GROUP || in.record.size >= 2L << 20);
        long[] run = allocator.reserve(goalFor(in, lblk), blocks, true, huge);
        boolean claimed = false;
        try {
            long head = off - lblk * Block.SIZE;
            long bytes = Math.min(src.byteSize(), run[1] * Block.SIZE - head);
            long base = run[0] * Block.SIZE;
            long used = (head + bytes + Block.SIZE - 1) / Block.SIZE;
            if (head > 0) {
                device.zero(base, head);
            }
            device.write(base + head, src.asSlice(0, bytes));
            long tail = used * Block.SIZE - head - bytes;
            if (tail > 0) {
                device.zero(base + head + bytes, tail);
            }
            device.persist(base, used * Block.SIZE);
            if (used < run[1]) {
                allocator.unreserve(run[0] + used, run[1] - used);
                run[1] = used;
            }
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                txn.claim(run[0], run[1]);
                claimed = true;
                in.tree(txn).insert(new Extent(lblk, run[0], run[1], false));
                in.record.blocks += run[1];
                extendTo(in, off + bytes, now);
                table.write(txn, in);
                txn.commit();
            }
            return bytes;
        } catch (FsException | RuntimeException e) {
            if (!claimed) {
                allocator.unreserve(run[0], run[1]);
            }
            throw e;
        }
    }

    /** Writes into an unwritten extent: data and zeros around it land and are flushed, then it is converted. */
    private void writeUnwritten(Inode in, Extent e, long off, MemorySegment src, long now) throws FsException {
        long first = off / Block.SIZE;
        long last = (off + src.byteSize() - 1) / Block.SIZE;
        long base = e.physicalOf(first) * Block.SIZE;
        long head = off - first * Block.SIZE;
        long span = (last - first + 1) * Block.SIZE;
        if (head > 0) {
            device.zero(base, head);
        }
        device.write(base + head, src);
        long tail = span - head - src.byteSize();
        if (tail > 0) {
            device.zero(base + head + src.byteSize(), tail);
        }
        device.persist(base, span);
        try (Transaction txn = journal.begin()) {
            in.joinTransaction(txn);
            in.tree(txn).setUnwritten(first, last + 1, false);
            extendTo(in, off + src.byteSize(), now);
            table.write(txn, in);
            txn.commit();
        }
    }

    /** Where to look for free blocks: right after the block mapped before {@code lblk}. */
    private long goalFor(Inode in, long lblk) throws FsException {
        if (lblk == 0) {
            return 0;
        }
        Extent prev = in.tree(journal.committed()).find(lblk - 1);
        return prev == null ? 0 : prev.physicalOf(lblk - 1) + 1;
    }

    // ---- preallocate -------------------------------------------------------------------------------

    /**
     * fallocate modes 0 and KEEP_SIZE: maps every hole in the range with unwritten extents (they read as
     * zeros); without keepSize extends the size. ENOSPC leaves what was allocated, size unchanged.
     * Context: inode lock held exclusive.
     */
    void allocate(Inode in, long offset, long length, boolean keepSize, long now) throws FsException {
        if (offset < 0 || length <= 0) {
            throw FsException.atOffset(Errno.EINVAL, offset, "bad preallocation range (length " + length + ")");
        }
        if (offset + length > MAX_FILE_SIZE || offset + length < 0) {
            throw FsException.atOffset(Errno.EFBIG, offset + length, "beyond the largest file size");
        }
        long lblk = offset / Block.SIZE;
        long end = (offset + length + Block.SIZE - 1) / Block.SIZE;
        while (lblk < end) {
            Extent e = in.tree(journal.committed()).next(lblk);
            if (e != null && e.logical() <= lblk) {
                lblk = e.end();
                continue;
            }
            long holeEnd = e == null ? end : Math.min(end, e.logical());
            long want = Math.min(holeEnd - lblk, MAX_RUN);
            long[] run = allocator.reserve(goalFor(in, lblk), want, true,
                    lblk % Allocator.GROUP == 0 && want >= Allocator.GROUP);
            boolean claimed = false;
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                txn.claim(run[0], run[1]);
                claimed = true;
                in.tree(txn).insert(new Extent(lblk, run[0], run[1], true));
                in.record.blocks += run[1];
                in.record.ctime = now;
                table.write(txn, in);
                txn.commit();
            } catch (FsException | RuntimeException ex) {
                if (!claimed) {
                    allocator.unreserve(run[0], run[1]);
                }
                throw ex;
            }
            lblk += run[1];
        }
        if (!keepSize && offset + length > in.record.size) {
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                in.record.size = offset + length;
                in.record.mtime = now;
                in.record.ctime = now;
                table.write(txn, in);
                txn.commit();
            }
        }
    }

    // ---- truncate ------------------------------------------------------------------------------------

    /**
     * Sets the size. Shrinking zeroes the rest of the new last block and gives back every block past it,
     * in as many transactions as it takes; the inode is on the orphan list meanwhile, so a crash half-way
     * is finished at the next mount. Context: inode lock held exclusive.
     */
    void truncate(Inode in, long size, long now) throws FsException {
        if (size < 0) {
            throw FsException.atOffset(Errno.EINVAL, size, "negative size");
        }
        if (size > MAX_FILE_SIZE) {
            throw FsException.atOffset(Errno.EFBIG, size, "beyond the largest file size");
        }
        long old = in.record.size;
        if (size < old && size % Block.SIZE != 0) {
            Extent e = in.tree(journal.committed()).find(size / Block.SIZE);
            if (e != null && !e.unwritten()) {
                long at = deviceOffset(e, size);
                long n = Block.SIZE - size % Block.SIZE;
                device.zero(at, n);
                device.persist(at, n);
            }
        }
        long firstGone = (size + Block.SIZE - 1) / Block.SIZE;
        // Like ext4, a truncate that does not grow the file also drops blocks preallocated past the end.
        List<Extent> beyond = size <= old ? in.tree(journal.committed()).extents(firstGone, ExtentTree.MAX_LOGICAL) : List.of();
        boolean manyTransactions = beyond.size() > REMOVE_BATCH;
        // An unlinked file is on the orphan list already, and must stay there after the truncate.
        boolean listedHere = manyTransactions && !in.onOrphanList;
        try (Transaction txn = journal.begin()) {
            in.joinTransaction(txn);
            in.record.size = size;
            in.record.mtime = now;
            in.record.ctime = now;
            if (listedHere) {
                orphans.add(txn, in);
            } else if (!beyond.isEmpty()) {
                freeExtents(txn, in, in.tree(txn).remove(firstGone, ExtentTree.MAX_LOGICAL));
            }
            table.write(txn, in);
            txn.commit();
        }
        if (manyTransactions) {
            removeFrom(in, firstGone);
        }
        if (listedHere) {
            try (Transaction txn = journal.begin()) {
                orphans.remove(txn, in);
                txn.commit();
            }
        }
    }

    /**
     * Gives back every block at or past logical block {@code from}, last extents first, a batch per
     * transaction. Context: inode lock held exclusive; the inode is on the orphan list or unreachable.
     */
    void removeFrom(Inode in, long from) throws FsException {
        while (true) {
            List<Extent> rest = in.tree(journal.committed()).extents(from, ExtentTree.MAX_LOGICAL);
            if (rest.isEmpty()) {
                return;
            }
            long cut = Math.max(from, rest.get(Math.max(0, rest.size() - REMOVE_BATCH)).logical());
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                freeExtents(txn, in, in.tree(txn).remove(cut, ExtentTree.MAX_LOGICAL));
                table.write(txn, in);
                txn.commit();
            }
        }
    }

    private static void freeExtents(Transaction txn, Inode in, List<Extent> removed) throws FsException {
        for (Extent x : removed) {
            txn.freeRange(x.physical(), x.length());
            in.record.blocks -= x.length();
        }
    }

    /**
     * Gives back the extent tree's own node blocks and the xattr block of an inode whose extents are all
     * gone. Context: inside {@code txn}, inode lock held exclusive.
     */
    void releaseRemaining(Transaction txn, Inode in) throws FsException {
        freeExtents(txn, in, in.tree(txn).clear());
        if (in.record.xattrBlock != 0) {
            txn.free(in.record.xattrBlock);
            in.record.xattrBlock = 0;
            in.record.blocks--;
        }
    }

    // ---- fsync -----------------------------------------------------------------------------------

    /**
     * Writes the inode's record if attributes changed in memory, without flushing data (close does this:
     * data in new blocks is already durable, overwrites wait for fsync). Context: inode lock exclusive.
     */
    void writeBack(Inode in) throws FsException {
        if (in.dirty && !in.freed) {
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                table.write(txn, in);
                txn.commit();
            }
        }
    }

    /**
     * Makes the file's data and (unless {@code dataOnly} finds nothing that needs it) its attributes
     * durable. Context: inode lock held exclusive.
     */
    void fsync(Inode in, boolean dataOnly) throws FsException {
        if (in.dirtyData.overflowed()) {
            for (Extent e : in.tree(journal.committed()).all()) {
                if (!e.unwritten()) {
                    device.persist(e.physical() * Block.SIZE, e.length() * Block.SIZE);
                }
            }
        } else {
            for (Map.Entry<Long, Long> r : in.dirtyData.ranges().entrySet()) {
                device.persist(r.getKey(), r.getValue() - r.getKey());
            }
        }
        in.dirtyData.clear();
        // fdatasync could skip pure time changes, but the size travels in the same record.
        writeBack(in);
    }
}
