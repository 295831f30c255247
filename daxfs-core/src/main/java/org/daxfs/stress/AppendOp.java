package org.daxfs.stress;

import java.nio.ByteBuffer;
import org.daxfs.FsException;

/** A write at the end of file, found atomically with the write (FileHandle.append). */
final class AppendOp implements Operation {
    private final int length;
    private final int fileId;
    private final long generation;
    private byte[] data;

    AppendOp(int length, int fileId, long generation) {
        this.length = length;
        this.fileId = fileId;
        this.generation = generation;
    }

    static Operation draw(OpContext c) {
        return new AppendOp(c.choices().length(c.rng()), c.model().fileId, c.opNumber());
    }

    @Override
    public Outcome expect(FileModel model) {
        data = new byte[length];
        Pattern.fill(data, 0, length, fileId, generation, model.size());
        return model.write(0, data, true);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        return Outcome.ok(file.append(ByteBuffer.wrap(data)));
    }

    @Override
    public String describe() {
        return "append +" + length;
    }
}
