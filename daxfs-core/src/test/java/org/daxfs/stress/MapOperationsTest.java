package org.daxfs.stress;

import static org.daxfs.stress.FileModel.BLOCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceOptions;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.MapMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapped operations applied to the model and to DaxFS side by side, step by step: the model answers
 * as the engine does, errors included (EINVAL, ENXIO, EACCES, EOPNOTSUPP), allocates the blocks a
 * writable mapping allocates, and revokes the held mapping exactly when a range operation or a remount
 * revokes it in DaxFS.
 */
class MapOperationsTest {
    private static final int FILE = 1;

    private Device device;
    private Mount mount;
    private DaxFile file;
    private FileModel model;
    private final HeldMapping held = new HeldMapping();
    private long opNumber;

    @BeforeEach
    void setUp() throws Exception {
        device = StressTesting.formatted(64);
        mount = Mount.mount(device);
        file = DaxFile.open(mount, "/f");
        // New images give the root the DAX flag, and new files take it.
        model = new FileModel(FILE, "/f", true, DaxPolicy.DEFAULT);
    }

    @AfterEach
    void tearDown() throws Exception {
        held.close();
        file.close();
        mount.close();
        device.close();
    }

    /** Applies {@code op} to both; they must agree, on the size and the allocated blocks too. Returns DaxFS's answer. */
    private Outcome agree(Operation op) throws Exception {
        return agree(op, model, file);
    }

    private Outcome agree(Operation op, FileModel m, TestedFile f) throws Exception {
        Outcome expected = op.expect(m);
        Outcome actual;
        try {
            actual = op.perform(f);
        } catch (FsException e) {
            actual = Outcome.failed(e);
        }
        Mismatch mismatch = op.compare(expected, actual);
        assertNull(mismatch, () -> op.describe() + ": " + mismatch.problem() + " " + mismatch.differences());
        assertEquals(m.size(), f.size(), op.describe());
        Mismatch a = WholeFileCheck.allocation(m, f, new BlockSet());
        assertNull(a, () -> op.describe() + ": " + a.problem());
        return actual;
    }

    private Outcome write(long pos, int length) throws Exception {
        return agree(new WriteOp(pos, length, FILE, ++opNumber, false));
    }

    private Outcome mapWrite(MapMode mode, long offset, long length, long at, int stored, MapWriteOp.Sync sync)
            throws Exception {
        return agree(new MapWriteOp(mode, offset, length, at, stored, sync, FILE, ++opNumber));
    }

    private Outcome fallocate(FallocateOp.Mode mode, long offset, long length) throws Exception {
        return agree(new FallocateOp(mode, offset, length));
    }

    private Outcome throughHeld(long at, long length) throws Exception {
        return agree(MapReadOp.throughHeld(model.heldOffset(), at, length, held));
    }

    @Test
    void rejectedMappingsFailAlikeAndChangeNothing() throws Exception {
        assertEquals(Errno.ENXIO, agree(MapReadOp.once(0, 1)).errno(), "an empty file");
        write(0, 3 * BLOCK + 100);
        long size = model.size();
        assertEquals(Errno.EINVAL, agree(MapReadOp.once(-1, 10)).errno());
        assertEquals(Errno.EINVAL, agree(MapReadOp.once(Long.MIN_VALUE, 10)).errno());
        assertEquals(Errno.EINVAL, agree(MapReadOp.once(0, 0)).errno());
        assertEquals(Errno.EINVAL, agree(MapReadOp.once(10, -1)).errno());
        assertEquals(Errno.EINVAL, agree(MapReadOp.once(Long.MAX_VALUE - 10, 2 * BLOCK)).errno());
        assertEquals(Errno.EINVAL, agree(MapReadOp.once(size + BLOCK, 0)).errno(), "EINVAL before ENXIO");
        assertEquals(Errno.ENXIO, agree(MapReadOp.once(size - 1, 2)).errno());
        assertEquals(Errno.ENXIO, agree(MapReadOp.once(size, 1)).errno());
        assertEquals(Errno.ENXIO, agree(MapReadOp.hold(1L << 40, 1, held)).errno());
        assertEquals(Errno.EINVAL, mapWrite(MapMode.READ_WRITE, -1, 10, -1, 0, MapWriteOp.Sync.NONE).errno());
        assertEquals(Errno.EINVAL, mapWrite(MapMode.READ_WRITE_SYNC, 0, 0, 0, 0, MapWriteOp.Sync.MAPPED).errno());
        assertEquals(Errno.ENXIO, mapWrite(MapMode.READ_WRITE, size - 10, 11, size - 10, 0, MapWriteOp.Sync.AFTER).errno(),
                "a writable mapping never extends the file");
        assertEquals(Errno.ENXIO, mapWrite(MapMode.READ_WRITE, 10L * BLOCK, BLOCK, 10L * BLOCK, 0, MapWriteOp.Sync.NONE)
                .errno(), "nor allocates past it");
        assertEquals(size, agree(MapReadOp.once(0, size)).value());
        assertEquals(7, agree(MapReadOp.once(size - 7, 7)).value());
    }

    @Test
    void aReadOnlyHandleMapsForReadingOnly() throws Exception {
        write(0, 2 * BLOCK);
        FileModel view = model.anotherHandle();
        view.handleReadOnly();
        DaxFile readOnly = DaxFile.openReadOnly(mount, "/f");
        try {
            assertEquals(Errno.EACCES, agree(new MapWriteOp(MapMode.READ_WRITE, 0, BLOCK, 0, BLOCK, MapWriteOp.Sync.NONE,
                    FILE, ++opNumber), view, readOnly).errno());
            assertEquals(Errno.EACCES, agree(new MapWriteOp(MapMode.READ_WRITE_SYNC, 0, 0, 0, 0, MapWriteOp.Sync.NONE,
                    FILE, ++opNumber), view, readOnly).errno(), "EACCES before EINVAL");
            assertEquals(100, agree(MapReadOp.once(BLOCK - 50, 100), view, readOnly).value());
        } finally {
            readOnly.close();
        }
    }

    @Test
    void aWritableMappingAllocatesTheWholeBlocksOfItsPages() throws Exception {
        write(0, 10);
        agree(new TruncateOp(8 * BLOCK + 100));
        fallocate(FallocateOp.Mode.ALLOCATE_KEEP_SIZE, 3 * BLOCK, BLOCK);
        // [5000, 6000): block 1 whole, for 1000 bytes of it; stores to 10 of them, the rest reads zeros.
        assertEquals(10, mapWrite(MapMode.READ_WRITE, 5000, 1000, 5500, 10, MapWriteOp.Sync.NONE).value());
        assertEquals("[0,2) [3,4)", model.allocated().toString());
        // Across preallocated (unwritten) blocks and holes, up to EOF, with msync.
        assertEquals(BLOCK, mapWrite(MapMode.READ_WRITE_SYNC, 2 * BLOCK + 1, 6L * BLOCK + 99, 3 * BLOCK + 7, BLOCK,
                MapWriteOp.Sync.MAPPED).value());
        assertEquals("[0,9)", model.allocated().toString());
        mapWrite(MapMode.READ_WRITE, 0, 8 * BLOCK + 100, 0, 8 * BLOCK + 100, MapWriteOp.Sync.AFTER);
        assertEquals(8 * BLOCK + 100, agree(new ReadOp(0, 9 * BLOCK)).value());
        agree(new RemountOp());
        assertNull(WholeFileCheck.check(model, file, new Rng(1)), "the stores survive a remount");
    }

    @Test
    void theHeldMappingShowsNewDataAndIsRevokedWhereTheModelSays() throws Exception {
        agree(new TruncateOp(8 * BLOCK));
        write(0, 100);
        // Bytes [5000, 9196): pages 1 and 2, holes.
        assertEquals(BLOCK + 100, agree(MapReadOp.hold(5000, BLOCK + 100, held)).value());
        write(6000, 3);
        assertEquals(3, throughHeld(1000, 3).value(), "a write into a hole shows up");
        fallocate(FallocateOp.Mode.ALLOCATE_KEEP_SIZE, 2 * BLOCK, BLOCK);
        write(2 * BLOCK + 10, 5);
        mapWrite(MapMode.READ_WRITE, BLOCK, 16, BLOCK + 2, 8, MapWriteOp.Sync.NONE);
        assertEquals(BLOCK + 100, throughHeld(0, BLOCK + 100).value(), "writes into unwritten blocks and mapped stores too");
        fallocate(FallocateOp.Mode.PUNCH_HOLE, 3 * BLOCK, BLOCK);
        fallocate(FallocateOp.Mode.PUNCH_HOLE, 0, BLOCK);
        fallocate(FallocateOp.Mode.ZERO_RANGE_KEEP_SIZE, 6 * BLOCK, 1);
        fallocate(FallocateOp.Mode.COLLAPSE_RANGE, 4 * BLOCK, BLOCK);
        fallocate(FallocateOp.Mode.INSERT_RANGE, 4 * BLOCK, BLOCK);
        agree(new TruncateOp(9 * BLOCK));
        assertEquals(Errno.EINVAL, fallocate(FallocateOp.Mode.COLLAPSE_RANGE, BLOCK, 100).errno());
        assertEquals(Errno.EINVAL, agree(new TruncateOp(-1)).errno());
        assertEquals(BLOCK + 100, throughHeld(0, BLOCK + 100).value(), "nothing took pages 1 and 2");
        fallocate(FallocateOp.Mode.PUNCH_HOLE, 3 * BLOCK - 1, 1);
        assertEquals(Outcome.revoked(), throughHeld(0, 1), "one byte of page 2 revokes the mapping");

        agree(MapReadOp.hold(2 * BLOCK, 100, held));
        agree(new TruncateOp(2 * BLOCK + 200));
        agree(new TruncateOp(2 * BLOCK + 300));
        assertEquals(Outcome.revoked(), throughHeld(0, 1), "a truncate that grows the file within the page");
        agree(MapReadOp.hold(0, 10, held));
        fallocate(FallocateOp.Mode.ZERO_RANGE, 2 * BLOCK, 1);
        assertEquals(10, throughHeld(0, 10).value());
        fallocate(FallocateOp.Mode.ZERO_RANGE, BLOCK - 1, 1);
        assertEquals(Outcome.revoked(), throughHeld(5, 5));
        agree(MapReadOp.hold(BLOCK, 10, held));
        fallocate(FallocateOp.Mode.INSERT_RANGE, 0, BLOCK);
        assertEquals(Outcome.revoked(), throughHeld(0, 10));
        agree(MapReadOp.hold(0, 10, held));
        agree(new ReopenOp(true, false));
        assertEquals(10, throughHeld(0, 10).value(), "the mapping outlives the handle");
        agree(new RemountOp());
        assertEquals(Outcome.revoked(), throughHeld(0, 10), "unmounting revokes");
        agree(MapReadOp.hold(0, 10, held));
        agree(new ReopenOp(false, true));
        assertEquals(Outcome.revoked(), throughHeld(0, 10), "O_TRUNC");
    }

    @Test
    void aFileThatIsNotDaxMapsThroughTheCacheButNotSync() throws Exception {
        agree(new DaxFlagOp(false));
        assertEquals(false, file.stat().isDaxActive());
        write(0, 3 * BLOCK + 100);
        assertEquals(Errno.EOPNOTSUPP, mapWrite(MapMode.READ_WRITE_SYNC, 0, BLOCK, 0, 10, MapWriteOp.Sync.MAPPED).errno());
        assertEquals(Errno.EOPNOTSUPP, mapWrite(MapMode.READ_WRITE_SYNC, -1, 0, 0, 0, MapWriteOp.Sync.NONE).errno(),
                "before EINVAL");
        assertEquals(Errno.EOPNOTSUPP, mapWrite(MapMode.READ_WRITE_SYNC, 0, 8 * BLOCK, 0, 0, MapWriteOp.Sync.NONE).errno(),
                "and before ENXIO");
        agree(new TruncateOp(6 * BLOCK));
        assertEquals(BLOCK, mapWrite(MapMode.READ_WRITE, 4 * BLOCK + 1, BLOCK, 4 * BLOCK + 1, BLOCK, MapWriteOp.Sync.AFTER)
                .value(), "a hole, through cached pages");
        assertEquals(2 * BLOCK, agree(MapReadOp.hold(BLOCK, 2 * BLOCK, held)).value());
        write(BLOCK + 10, 20);
        assertEquals(2 * BLOCK, throughHeld(0, 2 * BLOCK).value(), "the mapping shows the cached pages");
        agree(new DaxFlagOp(false));
        assertEquals(30, throughHeld(0, 30).value(), "clearing a clear flag switches nothing");
        agree(new DaxFlagOp(true));
        assertEquals(true, file.stat().isDaxActive());
        assertEquals(Outcome.revoked(), throughHeld(0, 1), "switching to DAX revokes the cached mapping");
        assertEquals(10, mapWrite(MapMode.READ_WRITE_SYNC, 0, BLOCK, 0, 10, MapWriteOp.Sync.MAPPED).value());
        agree(MapReadOp.hold(0, BLOCK, held));
        agree(new DaxFlagOp(false));
        assertEquals(Outcome.revoked(), throughHeld(0, 1), "and back");
        assertNull(WholeFileCheck.check(model, file, new Rng(1)));
        agree(new RemountOp());
        assertNull(WholeFileCheck.check(model, file, new Rng(1)), "the cached stores survive a remount");
    }

    @Test
    void aDeviceWithoutDirectAccessMapsThroughThePageCache(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("img");
        Devices.createImage(image, 256L << 20);
        try (Device blockOnly = Devices.open(image, DeviceOptions.defaults().withBlockOnly(true))) {
            DaxFileSystem.format(blockOnly, FormatOptions.defaults());
            Map<String, Integer> mix = new TreeMap<>(Map.of("map-read", 500, "map-write", 500));
            Trace trace = new Trace();
            StressResult r = StressRun.run(blockOnly, StressOptions.defaults().withSeed(3).withOps(500).withMix(mix), trace);
            assertTrue(r.passed(), () -> r.failure().format());
            List<String> lines = trace.lines.get(0);
            assertTrue(lines.stream().anyMatch(l -> l.matches("#\\d+ map-read .*-> \\d+ bytes")), "a mapped read");
            assertTrue(lines.stream().anyMatch(l -> l.matches("#\\d+ map-write [^s].*-> \\d+")), "a mapped write");
            assertTrue(lines.stream().anyMatch(l -> l.matches("#\\d+ map-write sync .*-> EOPNOTSUPP")), "no sync mapping");
            assertTrue(lines.stream().noneMatch(l -> l.matches("#\\d+ map-write sync .*-> \\d+")), "no sync mapping");
        }
    }
}
