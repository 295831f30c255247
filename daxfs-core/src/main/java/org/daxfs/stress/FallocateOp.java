package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * One fallocate(2) call: allocate (mode 0 or FALLOC_FL_KEEP_SIZE), punch hole, zero range (with or without
 * KEEP_SIZE), collapse range or insert range. Now and then it draws what Linux rejects, which the model
 * and the file system must refuse with the same errno: a negative offset or a length of 0 or less
 * (EINVAL), an end past the largest file size or past Long.MAX_VALUE (EFBIG), and for collapse and insert
 * misaligned ranges, a collapse reaching EOF, an insert at or past EOF (EINVAL).
 */
final class FallocateOp implements Operation {
    /** The modes, each with its name in the operation table and log. */
    enum Mode {
        ALLOCATE("allocate"),
        ALLOCATE_KEEP_SIZE("allocate-keep-size"),
        PUNCH_HOLE("punch-hole"),
        ZERO_RANGE("zero-range"),
        ZERO_RANGE_KEEP_SIZE("zero-range-keep-size"),
        COLLAPSE_RANGE("collapse-range"),
        INSERT_RANGE("insert-range");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        /** Collapse and insert work on whole blocks inside the file; the others on any range. */
        boolean takesBlockRanges() {
            return this == COLLAPSE_RANGE || this == INSERT_RANGE;
        }
    }

    private final Mode mode;
    private final long offset;
    private final long length;

    FallocateOp(Mode mode, long offset, long length) {
        this.mode = mode;
        this.offset = offset;
        this.length = length;
    }

    /** Draws calls of {@code mode}. */
    static OperationType.Generator drawer(Mode mode) {
        return c -> mode.takesBlockRanges() ? drawBlockRange(c, mode) : drawAnyRange(c, mode);
    }

    /** Any range: in the file, across or past EOF, far away, or one Linux rejects. */
    private static Operation drawAnyRange(OpContext c, Mode mode) {
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
        return new FallocateOp(mode, offset, length);
    }

    /** Whole blocks inside the file, now and then misaligned or out of range. */
    private static Operation drawBlockRange(OpContext c, Mode mode) {
        long[] range = c.choices().blockRange(c.rng(), c.model().size());
        return new FallocateOp(mode, range[0], range[1]);
    }

    @Override
    public Outcome expect(FileModel model) {
        return switch (mode) {
            case ALLOCATE -> model.allocate(offset, length, false);
            case ALLOCATE_KEEP_SIZE -> model.allocate(offset, length, true);
            case PUNCH_HOLE -> model.punchHole(offset, length);
            case ZERO_RANGE -> model.zeroRange(offset, length, false);
            case ZERO_RANGE_KEEP_SIZE -> model.zeroRange(offset, length, true);
            case COLLAPSE_RANGE -> model.collapseRange(offset, length);
            case INSERT_RANGE -> model.insertRange(offset, length);
        };
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        switch (mode) {
            case ALLOCATE -> file.allocate(offset, length, false);
            case ALLOCATE_KEEP_SIZE -> file.allocate(offset, length, true);
            case PUNCH_HOLE -> file.punchHole(offset, length);
            case ZERO_RANGE -> file.zeroRange(offset, length, false);
            case ZERO_RANGE_KEEP_SIZE -> file.zeroRange(offset, length, true);
            case COLLAPSE_RANGE -> file.collapseRange(offset, length);
            case INSERT_RANGE -> file.insertRange(offset, length);
        }
        return Outcome.ok();
    }

    @Override
    public Footprint footprint(FileModel model) {
        return switch (mode) {
            case ALLOCATE, ZERO_RANGE -> Footprint.of(offset, length, true);
            case ALLOCATE_KEEP_SIZE, PUNCH_HOLE, ZERO_RANGE_KEEP_SIZE -> Footprint.of(offset, length, false);
            // They move everything after the offset.
            case COLLAPSE_RANGE, INSERT_RANGE -> null;
        };
    }

    @Override
    public boolean changesAllocation() {
        return true;
    }

    @Override
    public String describe() {
        return mode.label + " " + Ranges.of(offset, length);
    }
}
