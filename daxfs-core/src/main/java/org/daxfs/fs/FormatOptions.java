package org.daxfs.fs;

import java.util.function.LongConsumer;

/**
 * How to format.
 *
 * @param journalBlocks journal size in blocks, or 0 for a size chosen from the device size
 * @param progress called with the fraction done in thousandths (0..1000) while formatting; may be null
 * @param daxInherit set the DAX flag on the root directory, so that every file created under it inherits
 *     it and is DAX under the default {@code dax=inode} (as {@code mkfs.xfs -d daxinherit=1}); without it
 *     files are cached unless their flag is set or the mount says {@code dax=always}
 */
public record FormatOptions(int journalBlocks, LongConsumer progress, boolean daxInherit) {
    public FormatOptions(int journalBlocks, LongConsumer progress) {
        this(journalBlocks, progress, true);
    }

    public static FormatOptions defaults() {
        return new FormatOptions(0, null);
    }

    public FormatOptions withDaxInherit(boolean inherit) {
        return new FormatOptions(journalBlocks, progress, inherit);
    }
}
