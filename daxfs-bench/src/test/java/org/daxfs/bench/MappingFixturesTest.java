package org.daxfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import org.daxfs.format.Extent;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The mapping benchmarks' fixtures lay files out as their cases need, map what they should and clean up;
 * sizes kept small so the build stays fast.
 */
class MappingFixturesTest {
    private static final long SMALL_MAP = 4L << 20;

    @Test
    void hugeCaseFileHasTwoMebibyteAlignedExtents() throws IOException {
        FaultFixture fixture = faultFixture(FaultCase.DAXFS_HUGE);
        try {
            List<Extent> extents = fixture.extents();
            assertEquals(SMALL_MAP / DaxFiles.HUGE, DaxFiles.hugeRanges(extents, SMALL_MAP), extents::toString);
            for (Extent e : extents) {
                assertEquals(0, e.logical() % DaxFiles.HUGE_BLOCKS, extents::toString);
                assertEquals(0, e.physical() % DaxFiles.HUGE_BLOCKS, extents::toString);
                assertEquals(0, e.length() % DaxFiles.HUGE_BLOCKS, extents::toString);
                assertFalse(e.unwritten());
            }
        } finally {
            fixture.tearDown();
        }
    }

    @Test
    void smallCaseFileIsContiguousButOffTheTwoMebibyteGrid() throws IOException {
        FaultFixture fixture = faultFixture(FaultCase.DAXFS_SMALL);
        try {
            List<Extent> extents = fixture.extents();
            assertEquals(0, DaxFiles.hugeRanges(extents, SMALL_MAP), extents::toString);
            assertEquals(2, extents.size(), () -> "the first block, then one run: " + extents);
            Extent run = extents.get(1);
            assertEquals(1, run.logical());
            assertEquals(SMALL_MAP / DaxFiles.PAGE - 1, run.length());
            assertNotEquals(0, run.physicalOf(DaxFiles.HUGE_BLOCKS) % DaxFiles.HUGE_BLOCKS, extents::toString);
        } finally {
            fixture.tearDown();
        }
    }

    @Test
    void scatteredCaseFileHasNoTwoAdjacentBlocksTogether() throws IOException {
        FaultFixture fixture = faultFixture(FaultCase.DAXFS_SCATTERED);
        try {
            List<Extent> extents = fixture.extents();
            assertEquals(SMALL_MAP / DaxFiles.PAGE, extents.size(), "one extent per block");
            assertTrue(DaxFiles.scattered(extents), () -> extents.subList(0, 8).toString());
            assertEquals(0, DaxFiles.hugeRanges(extents, SMALL_MAP));
        } finally {
            fixture.tearDown();
        }
    }

    @Test
    void layoutChecksTellTheCasesApart() {
        List<Extent> aligned = List.of(new Extent(0, 512, 1024, false));
        List<Extent> shifted = List.of(new Extent(0, 513, 1024, false));
        assertEquals(2, DaxFiles.hugeRanges(aligned, 4L << 20));
        assertEquals(0, DaxFiles.hugeRanges(shifted, 4L << 20));
        assertEquals(0, DaxFiles.hugeRanges(List.of(new Extent(0, 512, 1024, true)), 4L << 20), "unwritten");
        assertFalse(DaxFiles.scattered(aligned));
        assertTrue(DaxFiles.scattered(List.of(new Extent(0, 20, 1, false), new Extent(1, 10, 1, false))));
        assertFalse(DaxFiles.scattered(List.of(new Extent(0, 20, 1, false), new Extent(1, 21, 1, false))));
    }

    @ParameterizedTest
    @EnumSource(FaultCase.class)
    void everyFaultCaseMapsTheSeededBytesAndCleansUp(FaultCase c) throws IOException {
        FaultFixture fixture = faultFixture(c);
        try (Arena seeded = Arena.ofConfined()) {
            MemorySegment expected = DaxFiles.seededBytes(seeded, SMALL_MAP);
            MapFaultBenchmark benchmark = new MapFaultBenchmark();
            long sum = 0;
            for (long at = 0; at < SMALL_MAP; at += DaxFiles.PAGE) {
                sum += expected.get(ValueLayout.JAVA_BYTE, at);
            }
            for (int round = 0; round < 3; round++) {
                assertEquals(sum, benchmark.mapTouchClose(fixture), "round " + round + ": a fresh mapping each time");
                assertEquals(SMALL_MAP, benchmark.mapClose(fixture));
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment mapped = fixture.map(arena);
                assertEquals(SMALL_MAP, mapped.byteSize());
                assertEquals(-1, mapped.mismatch(expected));
            }
        } finally {
            fixture.tearDown();
        }
        if (fixture.tmpfsFile() != null) {
            assertFalse(Files.exists(fixture.tmpfsFile()));
        }
    }

    @ParameterizedTest
    @EnumSource(MapTarget.class)
    void everyMapTargetReadsTheSeededBytesAndWritesReachTheFile(MapTarget target) throws IOException {
        MappedRangeFixture fixture = new MappedRangeFixture();
        fixture.target = target;
        fixture.setUp(SMALL_MAP);
        try (Arena seeded = Arena.ofConfined()) {
            MemorySegment expected = DaxFiles.seededBytes(seeded, SMALL_MAP);
            MappedAccessBenchmark benchmark = new MappedAccessBenchmark();
            assertEquals(MappedAccessBenchmark.sumLongs(expected), benchmark.mappedRead64m(fixture));
            if (target != MapTarget.TMPFS) {
                assertEquals(0, fixture.deviceOffset() % DaxFiles.HUGE, "one extent on 2 MiB-aligned blocks");
            }

            benchmark.mappedWrite64m(fixture);
            assertEquals((byte) 0x5A, fixture.mapped().get(ValueLayout.JAVA_BYTE, SMALL_MAP - 1));
            if (target != MapTarget.TMPFS) {
                // The device mapping and the DaxFS mapping are both the file's bytes on the device.
                try (FileHandle h = fixture.volume().fileSystem().open(MappedRangeFixture.PATH, OpenFlag.READ)) {
                    ByteBuffer tail = ByteBuffer.allocate(8);
                    h.read(tail, SMALL_MAP - 8);
                    assertEquals(0x5A5A_5A5A_5A5A_5A5AL, tail.getLong(0));
                }
            }
        } finally {
            fixture.tearDown();
        }
        if (fixture.tmpfsFile() != null) {
            assertFalse(Files.exists(fixture.tmpfsFile()));
        }
    }

    @Test
    void readerAndWriterKeepToTheirOwnHalves() {
        long size = 8L << 20;
        ConcurrentReadBenchmark.ReaderHalf reader = new ConcurrentReadBenchmark.ReaderHalf();
        ConcurrentReadBenchmark.WriterHalf writer = new ConcurrentReadBenchmark.WriterHalf();
        reader.setUp(size);
        writer.setUp(size);
        boolean readerNearHalf = false;
        for (int i = 0; i < reader.offsets.length(); i++) {
            long r = reader.offsets.next();
            long w = writer.offsets.next();
            assertTrue(r >= 0 && r + ConcurrentReadBenchmark.IO_SIZE <= size / 2, "reader at " + r);
            assertTrue(w >= size / 2 && w + ConcurrentReadBenchmark.IO_SIZE <= size, "writer at " + w);
            readerNearHalf |= r + ConcurrentReadBenchmark.IO_SIZE == size / 2;
        }
        assertTrue(readerNearHalf, "the reader covers its whole half");
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void theContendedGroupRunsOnEveryPeer(Peer peer) throws IOException {
        long size = 4L << 20;
        FileFixture fixture = new FileFixture();
        fixture.peer = peer;
        fixture.setUp(64L << 20, size);
        try {
            ConcurrentReadBenchmark benchmark = new ConcurrentReadBenchmark();
            ConcurrentReadBenchmark.ReaderHalf reader = new ConcurrentReadBenchmark.ReaderHalf();
            ConcurrentReadBenchmark.WriterHalf writer = new ConcurrentReadBenchmark.WriterHalf();
            reader.setUp(size);
            writer.setUp(size);
            for (int i = 0; i < 100; i++) {
                benchmark.readAlone4k(fixture, reader);
                benchmark.readBesideWriter4k(fixture, reader);
                benchmark.writeBesideReader4k(fixture, writer);
            }
        } finally {
            fixture.tearDown();
        }
    }

    private static FaultFixture faultFixture(FaultCase c) throws IOException {
        FaultFixture fixture = new FaultFixture();
        fixture.faultCase = c;
        fixture.setUp(SMALL_MAP);
        return fixture;
    }
}
