package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * fallocate FALLOC_FL_INSERT_RANGE of whole blocks inside the file, and now and then what Linux rejects:
 * misaligned offsets or lengths, an offset at or past EOF (EINVAL), negative or empty ranges, a size past
 * the largest file size (EFBIG).
 */
final class InsertRangeOp implements Operation {
    private final long offset;
    private final long length;

    InsertRangeOp(long offset, long length) {
        this.offset = offset;
        this.length = length;
    }

    static Operation draw(OpContext c) {
        long[] range = c.choices().blockRange(c.rng(), c.model().size());
        return new InsertRangeOp(range[0], range[1]);
    }

    @Override
    public Outcome expect(FileModel model) {
        return model.insertRange(offset, length);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        file.insertRange(offset, length);
        return Outcome.ok();
    }

    @Override
    public boolean changesAllocation() {
        return true;
    }

    @Override
    public String describe() {
        return "insert-range " + Ranges.of(offset, length);
    }
}
