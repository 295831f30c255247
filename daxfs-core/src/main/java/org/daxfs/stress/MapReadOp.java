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
                    return copy(file.map(MapMode.READ_ONLY, offset, length, arena));
                }
            }
            case HOLD -> {
                held.replace(file, offset, length);
                return Outcome.read(held.length(), held.read(0, (int) held.length()));
            }
            default -> {
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
