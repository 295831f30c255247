package org.daxfs.fs;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.cache.FilePages;
import org.daxfs.dax.AddressSpace;
import org.daxfs.device.Device;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.journal.Journal;
import org.daxfs.journal.Transaction;

/**
 * The data path of regular files and long symlinks: read, write, truncate, preallocate, fsync, and giving
 * all of a file's blocks back. For DAX files data moves straight between the caller's memory and the
 * device; files that are not DAX go through their {@link FilePages}, which reach the blocks through
 * {@link #readForCache} and {@link #writeBehind}.
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
 * {@link #read} needs the inode lock or the invalidate lock shared; every other method needs the inode
 * lock exclusive, and the invalidate lock as the lock order says: shared for write and preallocation,
 * exclusive (held across revoke, change extents, free) for truncate, punch, zero, collapse and insert
 * range. Transactions are begun inside (journal lock after both).
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
     * zeros. Context: inode lock held (shared is enough); builds the extent cache if need be.
     *
     * @return bytes read, or -1 if {@code pos} is at or past EOF and dst is not empty
     */
    long read(Inode in, long pos, MemorySegment dst) throws FsException {
        return read(in, cachedExtents(in), pos, dst);
    }

    /**
     * Reads through {@code extents}, the inode's extent cache. Context: the inode's invalidate lock held
     * shared (or the inode lock): no block of {@code extents} can be freed meanwhile.
     *
     * @return bytes read, or -1 if {@code pos} is at or past EOF and dst is not empty
     */
    long read(Inode in, ExtentCache extents, long pos, MemorySegment dst) throws FsException {
        long size = in.record.size;
        if (dst.byteSize() == 0) {
            return 0;
        }
        if (pos >= size) {
            return -1;
        }
        long n = Math.min(dst.byteSize(), size - pos);
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

    /**
     * The inode's extents in memory, built from the committed tree if need be. Context: inode lock held
     * (shared is enough: writers hold it exclusive while they change the tree).
     */
    ExtentCache cachedExtents(Inode in) throws FsException {
        ExtentCache c = in.extentCache;
        if (c == null) {
            c = ExtentCache.of(in.tree(journal.committed()).all());
            in.extentCache = c;
        }
        return c;
    }

    /**
     * Rebuilds the extent cache after a path that dropped it (see {@link Inode}). Context: inode lock
     * exclusive. A tree that cannot be read leaves it dropped (the next reader reports the damage).
     */
    void refreshExtents(Inode in) {
        try {
            in.extentCache = ExtentCache.of(in.tree(journal.committed()).all());
        } catch (FsException | RuntimeException e) {
            in.extentCache = null;
        }
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
        long len = writableLength(pos, src.byteSize());
        if (len == 0) {
            return 0;
        }
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

    /**
     * How much of a write of {@code len} bytes at {@code pos} can be done: all of it up to the largest
     * file size. EINVAL for a negative position, EFBIG for one at or past the largest size.
     */
    private static long writableLength(long pos, long len) throws FsException {
        if (pos < 0) {
            throw FsException.atOffset(Errno.EINVAL, pos, "negative file offset");
        }
        if (len == 0) {
            return 0;
        }
        if (pos >= MAX_FILE_SIZE) {
            throw FsException.atOffset(Errno.EFBIG, pos, "beyond the largest file size");
        }
        return Math.min(len, MAX_FILE_SIZE - pos);
    }

    /** {@code now} for writes that must change neither the size nor the times (page cache writeback). */
    private static final long KEEP_TIMES = Long.MIN_VALUE;

    /** Records a size or time change in memory (written by the next transaction, fsync or close). */
    private static void extendTo(Inode in, long end, long now) {
        if (now == KEEP_TIMES) {
            return;
        }
        if (end > in.record.size) {
            in.record.size = end;
        }
        in.record.mtime = now;
        in.record.ctime = now;
        in.dirty = true;
    }

    // ---- through the page cache ----------------------------------------------------------------------

    /**
     * Writes all of {@code src} at {@code pos} into the file's cached pages: blocks for the range are
     * reserved first (holes preallocated unwritten, so writeback cannot run out of space), the pages are
     * dirtied, and the size and times change as for {@link #write}. A full device gives a short write over
     * the part that has blocks, else ENOSPC. Context: inode lock exclusive, invalidate lock shared.
     *
     * @return bytes written
     */
    long writeCached(Inode in, FilePages pages, long pos, MemorySegment src, long now) throws FsException {
        long len = writableLength(pos, src.byteSize());
        if (len == 0) {
            return 0;
        }
        len = reserve(in, pos, len, now);
        cachedExtents(in); // a partial page is completed from the blocks
        // The size follows page by page (CachedFile.grownTo), so writeback in the middle of the write (to make
        // room, or over the dirty limit), which stops at the size, finds every page written so far.
        pages.write(pos, src.asSlice(0, len));
        extendTo(in, pos + len, now);
        return len;
    }

    /**
     * Makes sure every block of {@code [pos, pos+len)} is mapped (written or unwritten), preallocating
     * holes. Context: inode lock exclusive.
     *
     * @return how many bytes from {@code pos} have blocks: {@code len}, or less if the device filled up
     * @throws FsException ENOSPC if not even the first block could be had
     */
    private long reserve(Inode in, long pos, long len, long now) throws FsException {
        if (coveredFrom(in, pos, len) >= len) {
            return len;
        }
        try {
            allocate(in, pos, len, true, now);
            return len;
        } catch (FsException e) {
            long covered = e.errno() == Errno.ENOSPC ? coveredFrom(in, pos, len) : 0;
            if (covered > 0) {
                return covered;
            }
            throw e;
        }
    }

    /** Bytes of {@code [pos, pos+len)} from {@code pos} on that mapped blocks cover without a gap. */
    private long coveredFrom(Inode in, long pos, long len) throws FsException {
        long lblk = pos / Block.SIZE;
        long end = Math.ceilDiv(pos + len, Block.SIZE);
        while (lblk < end) {
            Extent e = nextExtent(in, lblk);
            if (e == null || !e.contains(lblk)) {
                break;
            }
            lblk = e.end();
        }
        return Math.min(len, lblk * Block.SIZE - pos);
    }

    /**
     * Writes cached pages back to the file's blocks: as {@link #write}, but clamped to the size and
     * changing neither it nor the times. Context: inode lock exclusive, invalidate lock held, no page lock.
     */
    void writeBehind(Inode in, long pos, MemorySegment src) throws FsException {
        long len = Math.min(src.byteSize(), in.record.size - pos);
        if (len > 0) {
            write(in, pos, src.asSlice(0, len), KEEP_TIMES);
        }
    }

    /**
     * Fills cache pages: reads {@code dst.byteSize()} bytes at {@code pos} through the extent cache, zeros
     * past EOF. Context: invalidate lock held; the extent cache built.
     */
    void readForCache(Inode in, long pos, MemorySegment dst) throws FsException {
        ExtentCache c = in.extentCache;
        if (c == null) {
            throw FsException.atOffset(Errno.EIO, pos, "extents of inode " + in.ino + " not readable");
        }
        long n = read(in, c, pos, dst);
        long got = Math.max(0, n);
        if (got < dst.byteSize()) {
            dst.asSlice(got).fill((byte) 0);
        }
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
            blocksAdded(in, lblk, lblk + run[1]);
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
        blocksAdded(in, first, last + 1);
    }

    /** Windows showing pages {@code [from, to)} as zeros now show their new blocks. */
    private static void blocksAdded(Inode in, long from, long to) throws FsException {
        AddressSpace space = in.space;
        if (space != null) {
            space.blocksAdded(from, to);
        }
    }

    /**
     * Makes every block of pages {@code [from, to)} written, for a writable mapping: holes are
     * preallocated, then unwritten blocks are zeroed, flushed and converted (rule 6: zeroed before anyone
     * can see them, and the invalidate lock, held shared, keeps truncate from freeing them meanwhile).
     * The size does not change. Context: inode lock exclusive, invalidate lock shared, no entry lock.
     */
    void allocateWritten(Inode in, long from, long to, long now) throws FsException {
        allocate(in, from * Block.SIZE, (to - from) * Block.SIZE, true, now);
        for (Extent e : in.tree(journal.committed()).extents(from, to)) {
            if (!e.unwritten()) {
                continue;
            }
            long a = Math.max(from, e.logical());
            long b = Math.min(to, e.end());
            long base = e.physicalOf(a) * Block.SIZE;
            device.zero(base, (b - a) * Block.SIZE);
            device.persist(base, (b - a) * Block.SIZE);
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                in.tree(txn).setUnwritten(a, b, false);
                table.write(txn, in);
                txn.commit();
            }
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

    // ---- range operations: punch hole, zero, collapse and insert range ---------------------------------

    /** Extents moved or removed by one transaction of a range operation (a few leaves' worth). */
    private static final int RANGE_BATCH = 64;

    /** The checks every fallocate mode shares, in Linux's order (vfs_fallocate): EINVAL, then EFBIG. */
    static void checkRange(long offset, long length) throws FsException {
        if (offset < 0 || length <= 0) {
            throw FsException.atOffset(Errno.EINVAL, offset, "bad range (length " + length + ")");
        }
        if (offset + length > MAX_FILE_SIZE || offset + length < 0) {
            throw FsException.atOffset(Errno.EFBIG, offset + length, "beyond the largest file size");
        }
    }

    /** Collapse and insert range move whole blocks only (ext4 and XFS: EINVAL otherwise). */
    private static void checkAligned(long offset, long length) throws FsException {
        if (offset % Block.SIZE != 0 || length % Block.SIZE != 0) {
            throw FsException.atOffset(Errno.EINVAL, offset, "range not block aligned (length " + length + ")");
        }
    }

    /**
     * Zeros {@code [from, to)}, which lies inside one block, where that block is mapped and written, and
     * flushes it (holes and unwritten blocks read as zeros already). No transaction: the block stays mapped.
     */
    private void zeroInBlock(Inode in, long from, long to) throws FsException {
        if (from >= to) {
            return;
        }
        Extent e = in.tree(journal.committed()).find(from / Block.SIZE);
        if (e != null && !e.unwritten()) {
            long at = deviceOffset(e, from);
            device.zero(at, to - from);
            device.persist(at, to - from);
        }
    }

    /** Zeros the partial blocks at the edges of {@code [offset, end)}, where written. */
    private void zeroEdges(Inode in, long offset, long end) throws FsException {
        long headEnd = Math.min(end, (offset / Block.SIZE + 1) * Block.SIZE);
        if (offset % Block.SIZE != 0 || headEnd - offset < Block.SIZE) {
            zeroInBlock(in, offset, headEnd);
        }
        long tailStart = Math.max(headEnd, end / Block.SIZE * Block.SIZE);
        zeroInBlock(in, tailStart, end);
    }

    private static void touch(Inode in, long now) {
        in.record.mtime = now;
        in.record.ctime = now;
    }

    /**
     * FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE: the range reads zeros after, and the whole blocks in it
     * are given back (after each transaction commits); the size never changes. As ext4 does, nothing
     * happens from EOF on, and a range past EOF stops at the end of the block holding EOF, so space
     * preallocated beyond that stays. Each batch of removed extents commits on its own: a crash between
     * them leaves part of the hole punched, every extent still well formed, as ext4 may.
     * Context: inode lock held exclusive.
     */
    void punchHole(Inode in, long offset, long length, long now) throws FsException {
        checkRange(offset, length);
        long size = in.record.size;
        if (offset >= size) {
            return;
        }
        long end = Math.min(offset + length, (size + Block.SIZE - 1) / Block.SIZE * Block.SIZE);
        zeroEdges(in, offset, end);
        long from = (offset + Block.SIZE - 1) / Block.SIZE;
        long to = end / Block.SIZE;
        // Last extents first, a batch per transaction, so each transaction stays small.
        do {
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                if (from < to) {
                    List<Extent> rest = in.tree(txn).extents(from, to);
                    long cut = rest.size() > RANGE_BATCH ? rest.get(rest.size() - RANGE_BATCH).logical() : from;
                    freeExtents(txn, in, in.tree(txn).remove(Math.max(from, cut), to));
                    to = Math.max(from, cut);
                }
                touch(in, now);
                table.write(txn, in);
                txn.commit();
            }
        } while (from < to);
    }

    /**
     * FALLOC_FL_ZERO_RANGE, with or without KEEP_SIZE: the range reads zeros after. Holes in it are
     * preallocated as {@link #allocate} does (ENOSPC alike); written whole blocks become unwritten, so no
     * data is copied; written partial blocks at the edges are zeroed in place and flushed. A partial edge
     * block that was a hole is preallocated unwritten rather than written with zeros: it reads the same,
     * and no written block ever lies wholly past EOF. Without keepSize the size grows to the range's end.
     * Context: inode lock held exclusive.
     */
    void zeroRange(Inode in, long offset, long length, boolean keepSize, long now) throws FsException {
        checkRange(offset, length);
        long end = offset + length;
        allocate(in, offset, length, true, now);
        zeroEdges(in, offset, end);
        long from = (offset + Block.SIZE - 1) / Block.SIZE;
        long to = end / Block.SIZE;
        do {
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                if (from < to) {
                    // First extents first; converting a batch of them touches a leaf or two.
                    List<Extent> rest = in.tree(txn).extents(from, to);
                    long cut = rest.size() > RANGE_BATCH ? rest.get(RANGE_BATCH).logical() : to;
                    in.tree(txn).setUnwritten(from, cut, true);
                    from = cut;
                }
                if (from >= to && !keepSize && end > in.record.size) {
                    in.record.size = end;
                }
                touch(in, now);
                table.write(txn, in);
                txn.commit();
            }
        } while (from < to);
    }

    /** Collapse range's argument checks, in Linux's order. Context: inode lock held. */
    void checkCollapse(Inode in, long offset, long length) throws FsException {
        checkRange(offset, length);
        checkAligned(offset, length);
        if (offset + length >= in.record.size) {
            throw FsException.atOffset(Errno.EINVAL, offset + length, "collapse range reaches EOF");
        }
    }

    /** Insert range's argument checks, in ext4's order. Context: inode lock held. */
    void checkInsert(Inode in, long offset, long length) throws FsException {
        checkRange(offset, length);
        checkAligned(offset, length);
        long size = in.record.size;
        if (length > MAX_FILE_SIZE - size) {
            throw FsException.atOffset(Errno.EFBIG, size + length, "beyond the largest file size");
        }
        if (offset >= size) {
            throw FsException.atOffset(Errno.EINVAL, offset, "insert range at or past EOF");
        }
    }

    /** Truncate's argument checks. */
    static void checkTruncate(long size) throws FsException {
        if (size < 0) {
            throw FsException.atOffset(Errno.EINVAL, size, "negative size");
        }
        if (size > MAX_FILE_SIZE) {
            throw FsException.atOffset(Errno.EFBIG, size, "beyond the largest file size");
        }
    }

    /**
     * FALLOC_FL_COLLAPSE_RANGE: removes the blocks of the range and moves every later extent (space
     * preallocated past EOF included) down by the range's length; the size shrinks by it. The range must
     * be block aligned and end before EOF (EINVAL).
     *
     * <p>Work is done a batch of extents per transaction: first the range's blocks are removed (the range
     * is then a hole), then the later extents move down, lowest first, each batch removed and inserted
     * again lower in one transaction. So after any transaction the extents neither overlap nor are lost:
     * every moved extent lies below every unmoved one, and the gap between them is the hole left by the
     * range. The size changes in the last transaction; a crash before it leaves the old size with the data
     * partly moved. If more than one transaction is needed the inode is on the orphan list meanwhile (it
     * holds nothing past its size, so trimming it at mount loses nothing). Context: inode lock held exclusive.
     */
    void collapseRange(Inode in, long offset, long length, long now) throws FsException {
        checkCollapse(in, offset, length);
        long from = offset / Block.SIZE;
        long delta = length / Block.SIZE;
        ExtentTree committed = in.tree(journal.committed());
        boolean manyTransactions = committed.extents(from, from + delta).size() > RANGE_BATCH
                || committed.extents(from + delta, ExtentTree.MAX_LOGICAL).size() > RANGE_BATCH;
        // An unlinked file is on the orphan list already, and must stay there after.
        boolean listedHere = manyTransactions && !in.onOrphanList;
        boolean toList = listedHere;
        long unmoved = from + delta;
        boolean removed = false;
        boolean done = false;
        while (!done) {
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                if (toList) {
                    orphans.add(txn, in);
                    toList = false;
                }
                ExtentTree tree = in.tree(txn);
                if (!removed) {
                    List<Extent> doomed = tree.extents(from, from + delta);
                    long cut = doomed.size() > RANGE_BATCH ? doomed.get(RANGE_BATCH).logical() : from + delta;
                    freeExtents(txn, in, tree.remove(from, cut));
                    removed = cut == from + delta;
                }
                if (removed && !txn.full()) {
                    List<Extent> later = tree.extents(unmoved, ExtentTree.MAX_LOGICAL);
                    long cut = later.size() > RANGE_BATCH ? later.get(RANGE_BATCH).logical() : ExtentTree.MAX_LOGICAL + 1;
                    move(tree, unmoved, cut, -delta);
                    unmoved = cut;
                    done = cut > ExtentTree.MAX_LOGICAL;
                }
                if (done) {
                    in.record.size -= length;
                    if (listedHere) {
                        orphans.remove(txn, in);
                    }
                }
                touch(in, now);
                table.write(txn, in);
                txn.commit();
            }
        }
    }

    /**
     * FALLOC_FL_INSERT_RANGE: moves every extent at or after {@code offset} (cutting one that straddles
     * it) up by {@code length}, leaving a hole there; the size grows by it. The range must be block
     * aligned and start before EOF (EINVAL); the new size, and every moved extent, must stay within the
     * largest file size (EFBIG, checked before anything changes).
     *
     * <p>The size grows in the first transaction, then the extents move a batch per transaction, highest
     * first, each batch removed and inserted again higher in one transaction: after any of them the
     * extents neither overlap nor are lost, and all lie inside the size, so a crash leaves a file with a
     * hole where part of its data should be, never a broken one. More than one transaction puts the inode
     * on the orphan list meanwhile. Context: inode lock held exclusive.
     */
    void insertRange(Inode in, long offset, long length, long now) throws FsException {
        checkInsert(in, offset, length);
        long size = in.record.size;
        long from = offset / Block.SIZE;
        long delta = length / Block.SIZE;
        List<Extent> moving = in.tree(journal.committed()).extents(from, ExtentTree.MAX_LOGICAL);
        if (!moving.isEmpty() && moving.getLast().end() + delta > MAX_FILE_SIZE / Block.SIZE) {
            throw FsException.atOffset(Errno.EFBIG, offset, "space preallocated past EOF would move beyond the largest file size");
        }
        boolean manyTransactions = moving.size() > RANGE_BATCH;
        boolean listedHere = manyTransactions && !in.onOrphanList;
        boolean toList = listedHere;
        long unmovedEnd = ExtentTree.MAX_LOGICAL + 1;
        boolean done = false;
        boolean grown = false;
        while (!done) {
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                if (toList) {
                    orphans.add(txn, in);
                    toList = false;
                }
                if (!grown) {
                    in.record.size = size + length;
                    grown = true;
                }
                ExtentTree tree = in.tree(txn);
                List<Extent> rest = tree.extents(from, unmovedEnd);
                long cut = rest.size() > RANGE_BATCH ? rest.get(rest.size() - RANGE_BATCH).logical() : from;
                cut = Math.max(cut, from);
                move(tree, cut, unmovedEnd, delta);
                unmovedEnd = cut;
                done = cut == from;
                if (done && listedHere) {
                    orphans.remove(txn, in);
                }
                touch(in, now);
                table.write(txn, in);
                txn.commit();
            }
        }
    }

    /**
     * Moves the extents of {@code [from, to)} (cut at its ends) by {@code delta} blocks; the destination
     * must be a hole apart from the source itself. Context: inside the caller's transaction.
     */
    private static void move(ExtentTree tree, long from, long to, long delta) throws FsException {
        for (Extent x : tree.remove(from, to)) {
            tree.insert(new Extent(x.logical() + delta, x.physical(), x.length(), x.unwritten()));
        }
    }

    // ---- truncate ------------------------------------------------------------------------------------

    /**
     * Sets the size. Shrinking zeroes the rest of the new last block and gives back every block past it,
     * in as many transactions as it takes; the inode is on the orphan list meanwhile, so a crash half-way
     * is finished at the next mount. Context: inode lock held exclusive.
     */
    void truncate(Inode in, long size, long now) throws FsException {
        checkTruncate(size);
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
        FilePages pages = in.pages;
        if (pages != null) {
            FsException failed = pages.takeWritebackError();
            if (failed != null) {
                throw failed;
            }
            in.invalidateLock.lockShared();
            try {
                cachedExtents(in);
                pages.writeBack();
            } finally {
                in.invalidateLock.unlockShared();
            }
        }
        AddressSpace space = in.space;
        if (space != null) {
            space.flush();
        }
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
