package org.daxfs.fs;

import java.util.List;
import org.daxfs.format.Extent;

/**
 * A file's extents held in memory, like ext4's extent status tree: data reads look extents up here
 * instead of walking and re-verifying the tree's blocks on every call.
 *
 * <p>A snapshot, never changed: the inode drops it (see {@link Inode#joinTransaction}) whenever a
 * transaction changes the tree, and the next read builds a new one. Context: built and used under the
 * inode lock, at least shared; publication is through a volatile field of the inode.
 */
final class ExtentCache {
    private final long[] starts;
    private final Extent[] extents;

    private ExtentCache(List<Extent> sorted) {
        this.extents = sorted.toArray(new Extent[0]);
        this.starts = new long[extents.length];
        for (int i = 0; i < extents.length; i++) {
            starts[i] = extents[i].logical();
        }
    }

    /** A cache of {@code sorted}, the tree's extents in logical order. */
    static ExtentCache of(List<Extent> sorted) {
        return new ExtentCache(sorted);
    }

    /** The extent containing {@code lblk}, else the first one after it, else null. */
    Extent next(long lblk) {
        int i = java.util.Arrays.binarySearch(starts, lblk);
        if (i >= 0) {
            return extents[i];
        }
        int insertion = -i - 1;
        if (insertion > 0 && extents[insertion - 1].end() > lblk) {
            return extents[insertion - 1];
        }
        return insertion < extents.length ? extents[insertion] : null;
    }
}
