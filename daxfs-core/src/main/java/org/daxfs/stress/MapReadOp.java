package org.daxfs.stress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.daxfs.FsException;
import org.daxfs.fs.MapMode;

/**
 * A read through a zero-copy mapping, in one of three ways:
 *
 * <ul>
 *   <li>once: map a range read-only in an arena of its own, copy the bytes out, close the arena. The bytes
 *       must equal the model's, holes reading as zeros; the range must lie inside the file (ENXIO past
 *       EOF; EINVAL for a negative offset, an empty range or an end past Long.MAX_VALUE);
 *   <li>hold: the same, but the mapping is kept across operations ({@link HeldMapping}), replacing the one
 *       held before;
 *   <li>through the held mapping: a range of it read again later. Its bytes must be the file's now (writes
 *       through the handle and through writable mappings show up in it, into holes too), unless a range
 *       operation over its pages (truncate, punch, zero, collapse or insert range) or a remount revoked it
 *       since: then the access must throw IllegalStateException, and the mapping is dropped.
 * </ul>
 *
 * In flip mode any of them may find its mapping revoked part way by a DAX flip, which the model cannot
 * foresee: then the bytes read before must be the model's, and the held mapping is dropped.
 */
final class MapReadOp implements Operation {
    private enum How { ONCE, HOLD, HELD }

    private final How how;
    /** The file offset of the first byte read. */
    private final long offset;
    private final long length;
    /** For a read through the held mapping: where in it, from its start. */
    private final long at;
    private final HeldMapping held;
    /** Another thread flips the DAX flag (set by {@link #expect}): any access may find the mapping revoked. */
    private boolean revocable;

    private MapReadOp(How how, long offset, long length, long at, HeldMapping held) {
        this.how = how;
        this.offset = offset;
        this.length = length;
        this.at = at;
        this.held = held;
    }

    /** A read-only mapping of the range, copied out and closed at once. */
    static MapReadOp once(long offset, long length) {
        return new MapReadOp(How.ONCE, offset, length, 0, null);
    }

    /** A read-only mapping of the range, kept in {@code held} (replacing what it held). */
    static MapReadOp hold(long offset, long length, HeldMapping held) {
        return new MapReadOp(How.HOLD, offset, length, 0, held);
    }

    /**
     * A read of {@code length} bytes at {@code at} into the mapping {@code held} holds, which starts at file
     * offset {@code heldOffset}.
     */
    static MapReadOp throughHeld(long heldOffset, long at, long length, HeldMapping held) {
        return new MapReadOp(How.HELD, heldOffset + at, length, at, held);
    }

    static Operation draw(OpContext c) {
        Rng r = c.rng();
        FileModel m = c.model();
        if (m.holding() && r.percent(50)) {
            long len = m.heldLength();
            if (r.percent(30)) {
                return throughHeld(m.heldOffset(), 0, len, c.held());
            }
            long at = r.below(len);
            return throughHeld(m.heldOffset(), at, 1 + r.below(len - at), c.held());
        }
        long[] range = c.choices().mapRange(r, m.size());
        return r.percent(20) ? hold(range[0], range[1], c.held()) : once(range[0], range[1]);
    }

    @Override
    public Outcome expect(FileModel model) {
        revocable = model.modeUnknown();
        return switch (how) {
            case ONCE -> model.mapRead(offset, length);
            case HOLD -> model.hold(offset, length);
            case HELD -> model.readHeld(at, (int) length);
        };
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        switch (how) {
            case ONCE -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment s = file.map(MapMode.READ_ONLY, offset, length, arena);
                    return revocable ? MappedAccess.readOut(s, 0, (int) s.byteSize()) : copy(s);
                }
            }
            case HOLD -> {
                held.replace(file, offset, length);
                if (revocable) {
                    return readHeldOut(0, (int) held.length());
                }
                return Outcome.read(held.length(), held.read(0, (int) held.length()));
            }
            default -> {
                if (revocable) {
                    return readHeldOut(at, (int) length);
                }
                try {
                    return Outcome.read(length, held.read(at, (int) length));
                } catch (IllegalStateException revoked) {
                    HeldMapping.forgetInterrupt();
                    held.close();
                    return Outcome.revoked();
                }
            }
        }
    }

    /** Reads through the held mapping in chunks, dropping it if it turns out revoked. */
    private Outcome readHeldOut(long from, int n) {
        Outcome o = held.readOut(from, n);
        if (o.isRevoked()) {
            held.close();
        }
        return o;
    }

    @Override
    public Outcome settle(FileModel model, Outcome expected, Outcome actual) throws CheckFailed {
        if (!revocable || !actual.isRevoked() || !expected.succeeded()) {
            return expected;
        }
        if (expected.isRevoked()) {
            if (actual.data() != null && actual.data().length > 0) {
                throw new CheckFailed(Mismatch.of("the held mapping showed " + actual.data().length
                        + " bytes after a range operation revoked it"));
            }
            return expected;
        }
        // A flip revoked the mapping under the read: what it read before must still be the file's.
        byte[] before = actual.data();
        Mismatch m = Comparison.bytes("a mapping revoked by a DAX flip showed other bytes before", offset,
                expected.data(), before, before.length);
        if (m != null) {
            throw new CheckFailed(m);
        }
        if (how != How.ONCE) {
            model.heldRevokedElsewhere();
        }
        return actual;
    }

    @Override
    public Footprint footprint(FileModel model) {
        // Through the held mapping: all of it, so that no other thread's operation can revoke it meanwhile.
        return how == How.HELD ? Footprint.of(model.heldOffset(), model.heldLength(), false)
                : Footprint.of(offset, length, false);
    }

    private static Outcome copy(MemorySegment s) {
        return Outcome.read(s.byteSize(), s.toArray(ValueLayout.JAVA_BYTE));
    }

    @Override
    public Mismatch compare(Outcome expected, Outcome actual) {
        return Comparison.compare(expected, actual, offset);
    }

    @Override
    public String describe() {
        return switch (how) {
            case ONCE -> "map-read " + Ranges.of(offset, length);
            case HOLD -> "map-read " + Ranges.of(offset, length) + " and hold the mapping";
            case HELD -> "map-read " + Ranges.of(offset, length) + " through the held mapping";
        };
    }
}
