package org.daxfs.stress;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * A read of the shared file of disrupt mode while the disruptor truncates, preallocates, rewrites it and
 * flips its DAX flag. No single answer is right (the read may see the file before or after any of those),
 * so this operation checks the answer itself: every 8-byte word read must be zeros or the shared file's own
 * data for that very offset, from a generation the disruptor had begun. A word of another file, of another
 * offset, or of nothing the checker wrote means stale or foreign data reached the reader.
 *
 * <p>A mapped read does the same through read-only mappings, which the reader keeps from one mapped read to
 * the next ({@link SharedReader#mapping}): it first reads again the whole range it mapped last time, then
 * maps the range drawn (cut at the size it finds, or wrapped into the file if it starts past the end) and
 * reads that. The disruptor's truncates, punches and
 * zeroing revoke such mappings at any moment: an access that throws IllegalStateException is expected (the
 * words read before it must still pass), and the reader maps the range again and goes on; a mapping past
 * EOF fails with ENXIO when the file shrank meanwhile, which is expected too.
 */
final class SharedReadOp implements Operation {
    /** Attempts at mapping and reading a range that keeps being revoked before the reader gives up on it. */
    private static final int MAP_ATTEMPTS = 3;

    private final SharedReader reader;
    private final long pos;
    private final int length;
    private final boolean mapped;

    SharedReadOp(SharedReader reader, long pos, int length, boolean mapped) {
        this.reader = reader;
        this.pos = pos;
        this.length = length;
        this.mapped = mapped;
    }

    static Operation draw(OpContext c) {
        SharedReader reader = c.shared();
        if (reader == null) {
            throw new IllegalStateException("shared-read drawn outside disrupt mode");
        }
        Choices ch = reader.choices();
        long pos = ch.offset(c.rng(), ch.maxSize);
        int length = ch.length(c.rng());
        boolean mapped = c.rng().percent(40);
        return new SharedReadOp(reader, pos, length, mapped);
    }

    @Override
    public Outcome expect(FileModel model) {
        return Outcome.ok();
    }

    @Override
    public Outcome perform(TestedFile ownFile) throws FsException, CheckFailed {
        if (mapped) {
            return performMapped();
        }
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
        check(buf.array(), pos, n, started);
        return Outcome.ok();
    }

    private Outcome performMapped() throws FsException, CheckFailed {
        HeldMapping m = reader.mapping();
        if (m.isHeld()) {
            readHeld(m);
        }
        for (int attempt = 0; attempt < MAP_ATTEMPTS; attempt++) {
            long size = reader.file().size();
            if (size == 0) {
                reader.unmap();
                return Outcome.ok();
            }
            // Past EOF nothing can be mapped: wrap the offset into the file (both are multiples of 8).
            long at = pos < size ? pos : pos % size;
            long n = Math.min(length, size - at);
            try {
                reader.remap(at, n);
            } catch (FsException e) {
                if (e.errno() == Errno.ENXIO) {
                    continue; // the file shrank after its size was taken
                }
                throw e;
            }
            if (m.length() != n) {
                throw new CheckFailed(Mismatch.of("a mapping of " + Ranges.of(at, n) + " of the shared file is "
                        + m.length() + " bytes long"));
            }
            if (readHeld(m)) {
                return Outcome.ok();
            }
        }
        return Outcome.ok();
    }

    /**
     * Reads and checks everything {@code m} holds; false (and the mapping closed) if it turned out revoked,
     * after checking the words read before that.
     */
    private boolean readHeld(HeldMapping m) throws CheckFailed {
        byte[] b = new byte[(int) m.length()];
        int n = m.readWords(0, b);
        long started = reader.shared().started();
        check(b, m.offset(), n, started);
        if (n < b.length) {
            reader.unmap();
            return false;
        }
        return true;
    }

    /**
     * Checks the {@code n} bytes of {@code b}, read at file offset {@code pos}, word by word: zeros, or the
     * shared file's data for that offset from generation {@code started} or older.
     */
    private void check(byte[] b, long pos, int n, long started) throws CheckFailed {
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
        return "shared-read " + (mapped ? "mapped " : "") + Ranges.of(pos, length);
    }
}
