package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * fallocate FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE over any range (in the file, across or past EOF,
 * far away), including the ranges Linux rejects: a negative offset or a length of 0 or less (EINVAL), an
 * end past the largest file size or past Long.MAX_VALUE (EFBIG).
 */
final class PunchHoleOp implements Operation {
    private final long offset;
    private final long length;

    PunchHoleOp(long offset, long length) {
        this.offset = offset;
        this.length = length;
    }

    static Operation draw(OpContext c) {
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
        return new PunchHoleOp(offset, length);
    }

    @Override
    public Outcome expect(FileModel model) {
        return model.punchHole(offset, length);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        file.punchHole(offset, length);
        return Outcome.ok();
    }

    @Override
    public boolean changesAllocation() {
        return true;
    }

    @Override
    public String describe() {
        return "punch-hole " + Ranges.of(offset, length);
    }
}
