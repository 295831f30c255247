package org.daxfs.fs;

import java.util.function.LongConsumer;

/**
 * How to format.
 *
 * @param journalBlocks journal size in blocks, or 0 for a size chosen from the device size
 * @param progress called with the fraction done in thousandths (0..1000) while formatting; may be null
 */
public record FormatOptions(int journalBlocks, LongConsumer progress) {
    public static FormatOptions defaults() {
        return new FormatOptions(0, null);
    }
}
