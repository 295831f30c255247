package org.daxfs.fs;

import org.daxfs.device.Device;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;

/**
 * What every part of one check pass shares: the image as the journal shows it, its superblock and
 * geometry, the problems found, the repairs planned and the blocks claimed so far.
 *
 * <p>Locking: none; fsck runs on an unmounted image, on one thread.
 */
final class CheckContext {
    final Device device;
    final MetadataBlocks view;
    final Superblock sb;
    final long total;
    final long firstData;
    final FsckFindings findings = new FsckFindings();
    final FsckPlan plan = new FsckPlan();
    final CheckBlockUsage usage;
    /**
     * Set when some blocks' owners could not be read (a damaged extent tree, an unreadable table block):
     * then a block nobody claimed may still be in use, and the pass must neither report nor free it.
     */
    boolean ownershipUnknown;

    CheckContext(Device device, MetadataBlocks view, Superblock sb) {
        this.device = device;
        this.view = view;
        this.sb = sb;
        this.total = sb.totalBlocks();
        this.firstData = sb.firstDataBlock();
        this.usage = new CheckBlockUsage(total, CheckBitmap.wordsFor(sb));
    }

    /** True if {@code [start, start+length)} lies in the data area, after the fixed region. */
    boolean inDataArea(long start, long length) {
        return start >= firstData && length > 0 && start < total && length <= total - start;
    }
}
