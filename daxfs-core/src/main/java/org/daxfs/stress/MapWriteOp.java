package org.daxfs.stress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.daxfs.FsException;
import org.daxfs.fs.MapMode;

/**
 * Stores through a writable zero-copy mapping: map a range READ_WRITE (now and then READ_WRITE_SYNC), store
 * {@link Pattern} bytes tagged with this operation's number into all of it or a part, now and then msync
 * them (before or after unmapping), and close the arena. Like a write that never extends the file: ENXIO
 * past EOF, EINVAL for the ranges mmap rejects. Mapping allocates every block of the range's pages first,
 * so the blocks it touches become allocated even where it covers a few bytes of them (compared right
 * after, as for preallocation). A sync mapping of a file that is not DAX (cached) fails with EOPNOTSUPP, as
 * MAP_SYNC does on Linux.
 */
final class MapWriteOp implements Operation {
    /** When msync runs: never, while the range is mapped, or after the arena closed. */
    enum Sync { NONE, MAPPED, AFTER }

    private final MapMode mode;
    private final long offset;
    private final long length;
    /** The stores: file offset and length, inside the mapped range. */
    private final long at;
    private final int stored;
    private final Sync sync;
    private final int fileId;
    private final long generation;
    private byte[] data;

    MapWriteOp(MapMode mode, long offset, long length, long at, int stored, Sync sync, int fileId, long generation) {
        this.mode = mode;
        this.offset = offset;
        this.length = length;
        this.at = at;
        this.stored = stored;
        this.sync = sync;
        this.fileId = fileId;
        this.generation = generation;
    }

    static Operation draw(OpContext c) {
        Rng r = c.rng();
        long[] range = c.choices().mapRange(r, c.model().size());
        long offset = range[0];
        long length = range[1];
        MapMode mode = r.percent(25) ? MapMode.READ_WRITE_SYNC : MapMode.READ_WRITE;
        int p = r.below(100);
        Sync sync = p < 20 ? Sync.MAPPED : p < 30 ? Sync.AFTER : Sync.NONE;
        long at = offset;
        long stored = Math.max(0, length);
        if (stored > 0 && r.percent(30)) {
            // Part of the range: the rest keeps what the file held (zeros where mapping allocated).
            at = offset + r.below(stored);
            stored = 1 + r.below(offset + stored - at);
        }
        // Ranges that cannot be mapped store nothing; keep the array small for them.
        if (offset < 0 || length <= 0 || offset + length < 0 || offset + length > c.model().size()) {
            stored = 0;
        }
        return new MapWriteOp(mode, offset, length, at, (int) stored, sync, c.model().fileId, c.opNumber());
    }

    @Override
    public Outcome expect(FileModel model) {
        data = new byte[stored];
        Pattern.fill(data, 0, stored, fileId, generation, at);
        return model.mapWrite(offset, length, at, data, mode == MapMode.READ_WRITE_SYNC);
    }

    @Override
    public Outcome perform(TestedFile file) throws FsException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = file.map(mode, offset, length, arena);
            MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, at - offset, data.length);
            if (sync == Sync.MAPPED) {
                file.msync(at, data.length);
            }
        }
        if (sync == Sync.AFTER) {
            file.msync(offset, length);
        }
        return Outcome.ok(data.length);
    }

    @Override
    public boolean changesAllocation() {
        return true;
    }

    @Override
    public String describe() {
        String stores = at == offset && stored == length ? "" : ", stores at " + Ranges.of(at, stored);
        String mapped = mode == MapMode.READ_WRITE_SYNC ? " sync" : "";
        String synced = switch (sync) {
            case NONE -> "";
            case MAPPED -> ", msync";
            case AFTER -> ", msync after unmapping";
        };
        return "map-write" + mapped + " " + Ranges.of(offset, length) + stores + synced;
    }
}
