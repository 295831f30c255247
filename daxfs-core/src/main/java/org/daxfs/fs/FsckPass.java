package org.daxfs.fs;

import java.util.List;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.format.Block;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;

/**
 * One whole check of an image, reading only: superblock, bitmap, inode table, every inode, the
 * namespace, free space. Produces the problems found and the repairs they call for; changes nothing.
 *
 * <p>Each stage guards itself: damage is a problem line, and an unexpected exception in a stage becomes a
 * problem naming the stage, after which the stages that depend on it are skipped and nothing is freed.
 *
 * <p>Locking: none; one fsck thread on an unmounted image.
 */
final class FsckPass {
    /**
     * @param problems one line each, in the order found
     * @param plan the repairs they call for
     */
    record Result(List<String> problems, FsckPlan plan) {
        boolean clean() {
            return problems.isEmpty();
        }
    }

    private FsckPass() {
    }

    /**
     * Checks the image seen through {@code view}.
     *
     * @param journalBlocks the journal header's size, or -1 if the header could not be read
     * @throws FsException EIO if the superblock cannot be read: the check cannot run at all
     */
    static Result run(Device device, MetadataBlocks view, long journalBlocks, FsckProgress.Span progress)
            throws FsException {
        if (device.size() < Block.SIZE) {
            FsckPlan none = new FsckPlan();
            return new Result(List.of("superblock: the image is smaller than one block"), none);
        }
        Block sbBlock = view.read(Superblock.BLOCK_NUMBER);
        Superblock sb;
        try {
            sb = Superblock.verify(sbBlock, device.size());
        } catch (FsException e) {
            return new Result(List.of("superblock: " + Fsck.detail(e)), new FsckPlan());
        }
        CheckContext cx = new CheckContext(device, view, sb);
        if (journalBlocks >= 0 && journalBlocks != sb.journalBlocks()) {
            cx.findings.problem("journal header: journal of " + journalBlocks + " blocks, the superblock says "
                    + sb.journalBlocks());
        }
        cx.usage.claim(0, cx.firstData, 0, CheckBlockUsage.Kind.FIXED, cx.findings);

        CheckBitmap bitmap = stage(cx, "the bitmap",
                () -> CheckBitmap.read(view, sb, cx.findings, progress.part(0, 100)));
        CheckInodeTable table = stage(cx, "the inode table", () -> CheckInodeTable.check(cx));
        CheckInodes inodes = null;
        CheckNamespace namespace = null;
        if (table != null) {
            CheckInodes in = new CheckInodes(cx, table);
            Boolean read = stage(cx, "the inodes", () -> {
                in.readAll(progress.part(100, 600));
                in.checkFreeList();
                return true;
            });
            if (read != null) {
                inodes = in;
                CheckNamespace ns = new CheckNamespace(cx, in);
                if (stage(cx, "the namespace", () -> {
                    ns.check(progress.part(600, 900));
                    return true;
                }) != null) {
                    namespace = ns;
                }
            }
        }
        if (inodes == null || namespace == null) {
            cx.ownershipUnknown = true;
        }
        if (bitmap != null) {
            stage(cx, "free space", () -> {
                CheckSpace.check(cx, bitmap, progress.part(900, 1000));
                return true;
            });
        }
        progress.done();
        CheckNamespace names = namespace;
        List<String> lines = cx.findings.lines(ino -> names == null ? null : names.pathOf(ino));
        return new Result(lines, cx.plan);
    }

    private interface Stage<T> {
        T run() throws FsException;
    }

    /**
     * Runs one stage; a read error or unexpected exception becomes a problem naming the stage, and the
     * result is null. The superblock was readable, so an I/O error here is one bad block, not a dead
     * device, unless the device is gone (then it is rethrown).
     */
    private static <T> T stage(CheckContext cx, String what, Stage<T> stage) throws FsException {
        try {
            return stage.run();
        } catch (FsException e) {
            if (!cx.device.isAlive()) {
                throw e;
            }
            String kind = e.errno() == Errno.EIO ? "read error" : "damage";
            cx.findings.problem(kind + " while checking " + what + ": " + Fsck.detail(e));
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            cx.findings.problem("internal error while checking " + what + ": " + Fsck.describe(e));
        }
        cx.ownershipUnknown = true;
        return null;
    }
}
