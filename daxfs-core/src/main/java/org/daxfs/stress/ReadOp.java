package org.daxfs.stress;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.daxfs.FsException;

/** pread of a range: the bytes must equal the model's, and EOF must come where the model's size says. */
final class ReadOp implements Operation {
    private final long pos;
    private final int length;

    ReadOp(long pos, int length) {
        this.pos = pos;
        this.length = length;
    }

    static Operation draw(OpContext c) {
        Rng r = c.rng();
        Choices ch = c.choices();
        long pos = ch.position(r, c.model().size(), 1);
        return new ReadOp(pos, ch.edge(r, 1) ? 0 : ch.length(r));
    }

    @Override
    public Outcome expect(FileModel model) {
        return model.read(pos, length);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        int n = file.read(buf, pos);
        return Outcome.read(n, Arrays.copyOf(buf.array(), Math.max(0, n)));
    }

    @Override
    public Footprint footprint(FileModel model) {
        return Footprint.of(pos, length, false);
    }

    @Override
    public Mismatch compare(Outcome expected, Outcome actual) {
        return Comparison.compare(expected, actual, pos);
    }

    @Override
    public String describe() {
        return "read " + Ranges.of(pos, length);
    }
}
