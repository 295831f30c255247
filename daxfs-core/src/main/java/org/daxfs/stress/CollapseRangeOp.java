package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * fallocate FALLOC_FL_COLLAPSE_RANGE of whole blocks inside the file, and now and then what Linux rejects:
 * misaligned offsets or lengths, a range reaching EOF (EINVAL), negative or empty ranges, ranges past the
 * largest file size (EFBIG).
 */
final class CollapseRangeOp implements Operation {
    private final long offset;
    private final long length;

    CollapseRangeOp(long offset, long length) {
        this.offset = offset;
        this.length = length;
    }

    static Operation draw(OpContext c) {
        long[] range = c.choices().blockRange(c.rng(), c.model().size());
        return new CollapseRangeOp(range[0], range[1]);
    }

    @Override
    public Outcome expect(FileModel model) {
        return model.collapseRange(offset, length);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        file.collapseRange(offset, length);
        return Outcome.ok();
    }

    @Override
    public boolean changesAllocation() {
        return true;
    }

    @Override
    public String describe() {
        return "collapse-range " + Ranges.of(offset, length);
    }
}
