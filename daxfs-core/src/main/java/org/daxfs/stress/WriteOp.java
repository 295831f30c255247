package org.daxfs.stress;

import java.nio.ByteBuffer;
import org.daxfs.FsException;

/**
 * pwrite of a range, anywhere: inside the file, past EOF (leaving a hole), misaligned, across the largest
 * file size (cut short there), at it (EFBIG), or at a negative offset (EINVAL). The bytes are those of
 * {@link Pattern} for where they land, tagged with this operation's number.
 */
final class WriteOp implements Operation {
    private final long pos;
    private final int length;
    private final int fileId;
    private final long generation;
    private final boolean appending;
    private byte[] data;

    /** {@code appending} says, for the log only, that the handle was opened with APPEND. */
    WriteOp(long pos, int length, int fileId, long generation, boolean appending) {
        this.pos = pos;
        this.length = length;
        this.fileId = fileId;
        this.generation = generation;
        this.appending = appending;
    }

    static Operation draw(OpContext c) {
        Rng r = c.rng();
        Choices ch = c.choices();
        long pos = ch.position(r, c.model().size(), 2);
        return new WriteOp(pos, ch.edge(r, 1) ? 0 : ch.length(r), c.model().fileId, c.opNumber(), c.model().appending());
    }

    @Override
    public Outcome expect(FileModel model) {
        // With APPEND the bytes land at the end of file; they are made for where they land.
        data = new byte[length];
        Pattern.fill(data, 0, length, fileId, generation, Math.max(0, model.landing(pos, false)));
        return model.write(pos, data, false);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        return Outcome.ok(file.write(ByteBuffer.wrap(data), pos));
    }

    @Override
    public Footprint footprint(FileModel model) {
        // With APPEND the bytes land at the end of file, wherever that is.
        return model.appending() ? null : Footprint.of(pos, length, true);
    }

    @Override
    public String describe() {
        return "write " + Ranges.of(pos, length) + (appending ? " (handle opened with APPEND)" : "");
    }
}
