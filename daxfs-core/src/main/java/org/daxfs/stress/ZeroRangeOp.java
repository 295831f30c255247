package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * fallocate FALLOC_FL_ZERO_RANGE, with or without FALLOC_FL_KEEP_SIZE, over any range, including the
 * ranges Linux rejects (as {@link AllocateOp} draws them).
 */
final class ZeroRangeOp implements Operation {
    private final long offset;
    private final long length;
    private final boolean keepSize;

    ZeroRangeOp(long offset, long length, boolean keepSize) {
        this.offset = offset;
        this.length = length;
        this.keepSize = keepSize;
    }

    static OperationType.Generator drawer(boolean keepSize) {
        return c -> draw(c, keepSize);
    }

    private static Operation draw(OpContext c, boolean keepSize) {
        Rng r = c.rng();
        Choices ch = c.choices();
        long offset = ch.offset(r, c.model().size());
        long length = ch.allocateLength(r);
        if (ch.edge(r, 1)) {
            offset = Choices.negative(r);
        } else if (ch.edge(r, 1)) {
            length = -r.below(2);
        } else if (ch.edge(r, 1)) {
            offset = Choices.nearLimit(r);
        } else if (ch.edge(r, 1)) {
            offset = Long.MAX_VALUE - r.below(1 << 20);
        } else if (ch.edge(r, 2)) {
            offset = ch.far(r);
            length = Math.min(length, Choices.FAR_WINDOW);
        }
        return new ZeroRangeOp(offset, length, keepSize);
    }

    @Override
    public Outcome expect(FileModel model) {
        return model.zeroRange(offset, length, keepSize);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        file.zeroRange(offset, length, keepSize);
        return Outcome.ok();
    }

    @Override
    public boolean changesAllocation() {
        return true;
    }

    @Override
    public String describe() {
        return (keepSize ? "zero-range-keep-size " : "zero-range ") + Ranges.of(offset, length);
    }
}
