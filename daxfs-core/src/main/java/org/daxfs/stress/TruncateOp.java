package org.daxfs.stress;

import org.daxfs.FsException;

/** ftruncate up, down, to the same size, to a far size, to the limit, past it (EFBIG) or negative (EINVAL). */
final class TruncateOp implements Operation {
    private final long size;
    private final String why;

    TruncateOp(long size) {
        this(size, null);
    }

    /** With a reason for the log, for truncates the checker makes itself rather than draws. */
    TruncateOp(long size, String why) {
        this.size = size;
        this.why = why;
    }

    static Operation draw(OpContext c) {
        Rng r = c.rng();
        Choices ch = c.choices();
        long size;
        if (ch.edge(r, 2)) {
            size = Choices.negative(r);
        } else if (ch.edge(r, 2)) {
            size = FileModel.MAX_FILE_SIZE + 1 + r.below(1L << 20);
        } else if (ch.edge(r, 1)) {
            size = FileModel.MAX_FILE_SIZE;
        } else {
            size = ch.newSize(r, c.model().size());
        }
        return new TruncateOp(size);
    }

    @Override
    public Outcome expect(FileModel model) {
        return model.truncate(size);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        file.truncate(size);
        return Outcome.ok();
    }

    @Override
    public boolean changesAllocation() {
        return true;
    }

    @Override
    public String describe() {
        return "truncate " + size + (size >= 0 ? " (0x" + Long.toHexString(size) + ")" : "") + (why != null ? " " + why : "");
    }
}
