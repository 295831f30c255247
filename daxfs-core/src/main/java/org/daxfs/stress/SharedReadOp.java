package org.daxfs.stress;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.daxfs.FsException;

/**
 * A read of the shared file of disrupt mode while the disruptor truncates, preallocates, rewrites it and
 * flips its DAX flag. No single answer is right (the read may see the file before or after any of those),
 * so this operation checks the answer itself: every 8-byte word read must be zeros or the shared file's own
 * data for that very offset, from a generation the disruptor had begun. A word of another file, of another
 * offset, or of nothing the checker wrote means stale or foreign data reached the reader.
 */
final class SharedReadOp implements Operation {
    private final SharedReader reader;
    private final long pos;
    private final int length;

    SharedReadOp(SharedReader reader, long pos, int length) {
        this.reader = reader;
        this.pos = pos;
        this.length = length;
    }

    static Operation draw(OpContext c) {
        SharedReader reader = c.shared();
        if (reader == null) {
            throw new IllegalStateException("shared-read drawn outside disrupt mode");
        }
        Choices ch = reader.choices();
        return new SharedReadOp(reader, ch.offset(c.rng(), ch.maxSize), ch.length(c.rng()));
    }

    @Override
    public Outcome expect(FileModel model) {
        return Outcome.ok();
    }

    @Override
    public Outcome perform(TestedFile ownFile) throws FsException, CheckFailed {
        ByteBuffer buf = ByteBuffer.allocate(length);
        int n = reader.file().read(buf, pos);
        long started = reader.shared().started();
        if (n < 0) {
            return Outcome.ok();
        }
        if (n % 8 != 0 || n > length) {
            throw new CheckFailed(Mismatch.of("read of the shared file returned " + n + " bytes; asked for " + length
                    + ", and its size is always a multiple of 8"));
        }
        byte[] b = buf.array();
        List<Difference> bad = new ArrayList<>();
        long badBytes = 0;
        for (int i = 0; i < n; i += 8) {
            long word = Pattern.wordAt(b, i);
            if (word == 0 || allowed(word, pos + i, started)) {
                continue;
            }
            badBytes += 8;
            if (bad.size() < Comparison.MAX_RUNS) {
                bad.add(new Difference(pos + i, 8, null, Arrays.copyOfRange(b, i, i + 8),
                        "allowed: zeros or file " + reader.shared().fileId + "'s data for this offset from op #"
                                + started + " or older; found " + Provenance.describe(b, pos, i)));
            }
        }
        if (!bad.isEmpty()) {
            throw new CheckFailed(new Mismatch("foreign bytes in the shared file", bad, badBytes));
        }
        return Outcome.ok();
    }

    private boolean allowed(long word, long offset, long started) {
        Pattern.Origin o = Pattern.decode(word);
        if (o == null || !Pattern.belongs(word, reader.shared().fileId, offset)) {
            return false;
        }
        // Generations wrap at 2^20; past that only file and offset can be checked.
        return started > Pattern.GENERATION_MASK || o.generation() <= started;
    }

    @Override
    public String describe() {
        return "shared-read " + Ranges.of(pos, length);
    }
}
