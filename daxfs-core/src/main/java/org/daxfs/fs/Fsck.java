package org.daxfs.fs;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.format.Block;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;
import org.daxfs.journal.Journal;

/**
 * fsck: checks an unmounted image and, with repair, corrects what can be corrected safely. Exit codes
 * are e2fsck's, through {@link FsckReport#exitCode()}: 0 clean, 1 every problem corrected, 4 problems
 * left, 8 the check could not run (the device cannot be read).
 *
 * <h2>What is checked</h2>
 * <ul>
 * <li>The journal header and the superblock ({@link Superblock#verify}: magic, checksum, version,
 *     features, geometry), and that both agree on the journal's size.
 * <li>Every bitmap block (magic, checksum, range covered, padding), and the fixed region marked in use
 *     ({@link CheckBitmap}).
 * <li>The inode table's own record and extent tree, covering every inode the superblock counts
 *     ({@link CheckInodeTable}); every record, extent tree, extent, xattr block, symlink and block count;
 *     no block owned twice; the free-inode list ({@link CheckInodes}).
 * <li>Directories, names, entry types, parents, link counts, reachability and the orphan list
 *     ({@link CheckNamespace}).
 * <li>Blocks in use against the bitmap, both ways, and the superblock's free count ({@link CheckSpace}).
 * </ul>
 * Each problem is one line naming the inode (with its path when it has one), block or list involved.
 *
 * <h2>Without repair</h2>
 * Nothing is written to the device: the journal is replayed into memory only
 * ({@code Journal.recover(device, true)}) and the check reads that view. If the journal header is
 * damaged, the image is checked as it lies on the device.
 *
 * <h2>With repair</h2>
 * The journal is replayed to the device first, as mount does (a damaged journal header is rewritten from
 * the superblock's journal size, replaying the log's last whole transaction, which is always safe). Then
 * rounds of check and {@link FsckRepair} run until a check is clean or finds nothing more it can repair;
 * a clean last check makes every problem found corrected (exit 1), else the problems of the last check are
 * the ones left (exit 4). So exit 1 means a second fsck finds the image clean.
 *
 * <h2>Never fails</h2>
 * Damage is always a problem line, never an exception; an unexpected exception while checking a part
 * becomes a problem naming that part; every walk is bounded (lists by the table size, trees by their
 * depth, directories by their own checks). Only an unreadable device is an operational error.
 *
 * <h2>Cost</h2>
 * Bitmaps are compared a 64-bit word at a time, so time grows with the metadata, not the device: a
 * freshly made 1 TiB image checks in well under a second. Memory: two bits per device block (the bitmap
 * and the computed usage, 64 MiB for 1 TiB), the metadata blocks read (the journal keeps them), and a
 * small record per inode in use and per directory entry.
 *
 * <h2>Locking</h2>
 * None: fsck runs on an unmounted image, on the caller's thread. Repairs take the journal lock through
 * their transactions like any other metadata change.
 */
public final class Fsck {
    /** Repair rounds before giving up: each round fixes what the previous one uncovered. */
    private static final int MAX_ROUNDS = 4;

    private final Device device;
    private final FsckProgress progress;
    /** Every problem reported, in order, without repeats. */
    private final Set<String> problems = new LinkedHashSet<>();

    private Fsck(Device device, LongConsumer progress) {
        this.device = device;
        this.progress = new FsckProgress(progress);
    }

    /** Checks (and with repair, fixes) an unmounted image. progress gets thousandths done; may be null. */
    public static FsckReport run(Device device, boolean repair, LongConsumer progress) {
        Fsck fsck = new Fsck(device, progress);
        try {
            if (!device.isAlive()) {
                return operational("the device is not available");
            }
            if (repair && device.isReadOnly()) {
                return operational(device.describe() + " is read-only: cannot repair");
            }
            return repair ? fsck.repair() : fsck.check();
        } catch (FsException e) {
            // Only the superblock or journal header being unreadable (or the device dying) gets here.
            return operational("cannot read " + device.describe() + ": " + detail(e));
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fsck.problems.add("internal error: " + describe(e));
            return fsck.report(0);
        }
    }

    private static FsckReport operational(String message) {
        return new FsckReport(List.of(), 0, message);
    }

    private FsckReport report(int corrected) {
        return new FsckReport(List.copyOf(problems), corrected, null);
    }

    // ---- check only ------------------------------------------------------------------------------

    private FsckReport check() throws FsException {
        Journal journal = null;
        try {
            journal = Journal.recover(device, true);
        } catch (FsException e) {
            if (isIoError(e)) {
                throw e;
            }
            problems.add(detail(e));
        }
        MetadataBlocks view = journal != null ? journal.committed() : new CheckRawBlocks(device);
        FsckPass.Result pass = FsckPass.run(device, view, journal != null ? journal.blocks() : -1,
                progress.span(0, 1000));
        problems.addAll(pass.problems());
        return report(0);
    }

    // ---- repair ----------------------------------------------------------------------------------

    private FsckReport repair() throws FsException {
        Journal journal = openForRepair();
        if (journal == null) {
            // Without a journal nothing can be changed safely: report what the device holds.
            FsckPass.Result pass = FsckPass.run(device, new CheckRawBlocks(device), -1, progress.span(0, 1000));
            problems.addAll(pass.problems());
            return report(0);
        }
        List<String> last = List.of();
        List<String> failures = List.of();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            FsckProgress.Span span = round == 0 ? progress.span(0, 600) : progress.span(600 + 100 * round, 700 + 100 * round);
            FsckPass.Result pass = FsckPass.run(device, journal.committed(), journal.blocks(), span);
            problems.addAll(pass.problems());
            last = pass.problems();
            if (pass.clean() || pass.plan().isEmpty() || round == MAX_ROUNDS - 1) {
                break;
            }
            failures = FsckRepair.apply(journal, pass.plan());
        }
        try {
            journal.quiesce();
        } catch (FsException e) {
            problems.add("could not mark the journal empty: " + detail(e));
            return report(0);
        }
        progress.at(1000);
        if (last.isEmpty()) {
            return report(problems.size());
        }
        // Repairs that failed explain why problems are left; the last check's problems are the ones left.
        problems.addAll(failures);
        return report(Math.max(0, problems.size() - last.size() - failures.size()));
    }

    /**
     * Recovers the journal for writing, rewriting a damaged header (or one that disagrees with the
     * superblock about the journal's size) from the superblock. Null if that cannot be done.
     */
    private Journal openForRepair() throws FsException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Journal journal;
            try {
                journal = Journal.recover(device, false);
            } catch (FsException e) {
                if (isIoError(e)) {
                    throw e;
                }
                problems.add(detail(e));
                if (!rewriteHeader()) {
                    return null;
                }
                continue;
            }
            Superblock sb = rawSuperblock();
            if (sb == null || sb.journalBlocks() == journal.blocks()) {
                return journal;
            }
            problems.add("journal header: journal of " + journal.blocks() + " blocks, the superblock says "
                    + sb.journalBlocks());
            if (!rewriteHeader()) {
                return null;
            }
        }
        return null;
    }

    /**
     * Writes an empty journal header sized by the superblock. A sound header keeps its sequence number
     * but skips a log record that recovery refused; a damaged one lets recovery replay whatever whole
     * record the log holds, which is the last transaction and so safe to apply again.
     */
    private boolean rewriteHeader() throws FsException {
        Superblock sb = rawSuperblock();
        if (sb == null) {
            return false;
        }
        Block header = readRaw(Journal.START);
        long firstSeq = 0;
        if (header.magic() == Journal.HEADER_MAGIC && header.getInt(Block.CRC) == Block.crcOf(header.data(), Block.CRC)) {
            Block d = readRaw(Journal.START + 1);
            boolean record = d.magic() == Journal.DESCRIPTOR_MAGIC && d.getInt(Block.CRC) == Block.crcOf(d.data(), Block.CRC);
            firstSeq = Math.max(header.getLong(Block.HEADER_END), record ? d.getLong(Block.HEADER_END) + 1 : 0);
        }
        device.write(Journal.START * Block.SIZE, Journal.emptyHeader(sb.journalBlocks(), firstSeq).data(), 0, Block.SIZE);
        device.persist(Journal.START * Block.SIZE, Block.SIZE);
        return true;
    }

    /** The superblock as the device holds it, or null if it is not sound. */
    private Superblock rawSuperblock() throws FsException {
        try {
            return Superblock.verify(readRaw(Superblock.BLOCK_NUMBER), device.size());
        } catch (FsException e) {
            if (isIoError(e)) {
                throw e;
            }
            return null;
        }
    }

    private Block readRaw(long n) throws FsException {
        byte[] data = new byte[Block.SIZE];
        device.read(n * Block.SIZE, data, 0, Block.SIZE);
        return new Block(n, data);
    }

    private static boolean isIoError(FsException e) {
        return e.errno() == Errno.EIO;
    }

    // ---- messages --------------------------------------------------------------------------------

    /** What an FsException says beyond its errno, on one line. */
    static String detail(FsException e) {
        return oneLine(e.detail() != null ? e.detail() : e.getMessage());
    }

    /** Any exception on one line: the detail of an FsException, else its class and message. */
    static String describe(Throwable t) {
        if (t instanceof FsException e) {
            return detail(e);
        }
        return oneLine(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
