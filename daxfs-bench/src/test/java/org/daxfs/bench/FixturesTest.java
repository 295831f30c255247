package org.daxfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The benchmark states set up, work and clean up on every peer; sizes kept small so the build stays fast. */
class FixturesTest {
    private static final long SMALL_DEVICE = 64L << 20;
    private static final long SMALL_FILE = 4L << 20;

    @ParameterizedTest
    @EnumSource(Peer.class)
    void fileFixtureHoldsAFilledFileThatReadsBackWrites(Peer peer) throws IOException {
        FileFixture fixture = smallFile(peer);
        try {
            ByteBuffer filled = ByteBuffer.allocateDirect(8);
            fixture.file().readFully(filled, SMALL_FILE - 8);
            assertFalse(filled.flip().getLong() == 0, "the fill reaches the end of the file");

            ByteBuffer out = ByteBuffer.allocateDirect(RandomIoBenchmark.IO_SIZE);
            out.putLong(0, 0x1234_5678_9ABC_DEF0L);
            fixture.file().writeFully(out, 8192);
            ByteBuffer in = ByteBuffer.allocateDirect(RandomIoBenchmark.IO_SIZE);
            fixture.file().readFully(in, 8192);
            assertEquals(0x1234_5678_9ABC_DEF0L, in.getLong(0));

            assertThrows(IOException.class, () -> fixture.file().readFully(ByteBuffer.allocate(16), SMALL_FILE - 8),
                    "a read past the end is reported, not silently short");
        } finally {
            fixture.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void volumeFixtureRunsTheSmallFileCycleAndFreesTheName(Peer peer) throws IOException {
        VolumeFixture fixture = new VolumeFixture();
        fixture.peer = peer;
        fixture.setUp();
        try {
            Volume volume = fixture.volume();
            for (int round = 0; round < 3; round++) {
                try (PositionalFile file = volume.create("f")) {
                    file.writeFully(ByteBuffer.allocateDirect(SmallFileBenchmark.FILE_SIZE), 0);
                }
                volume.delete("f");
            }
            assertThrows(IOException.class, () -> volume.delete("f"));
        } finally {
            fixture.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void fsyncAfterAWriteKeepsTheData(Peer peer) throws IOException {
        FileFixture fixture = smallFile(peer);
        try {
            ByteBuffer out = ByteBuffer.allocateDirect(RandomIoBenchmark.IO_SIZE);
            out.putLong(0, 0x0DDC_0FFE_EL);
            fixture.file().writeFully(out, 0);
            fixture.file().force();
            ByteBuffer in = ByteBuffer.allocateDirect(RandomIoBenchmark.IO_SIZE);
            fixture.file().readFully(in, 0);
            assertEquals(0x0DDC_0FFE_EL, in.getLong(0));
        } finally {
            fixture.tearDown();
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void aDirectoryFillsLooksUpEveryNameAndEmpties(Peer peer) throws IOException {
        LargeDirectoryBenchmark.EmptyDirectory dir = new LargeDirectoryBenchmark.EmptyDirectory();
        dir.peer = peer;
        dir.entries = 300;
        dir.open();
        try {
            assertEquals(300, new LargeDirectoryBenchmark().createEntries(dir));
            assertEquals(Set.of(dir.names()), Set.of(dir.lookupOrder()), "the same names, once each");
            assertNotEquals(List.of(dir.names()), List.of(dir.lookupOrder()), "looked up in another order");
            for (String name : dir.lookupOrder()) {
                assertNotNull(dir.volume().lookup(name));
            }
            dir.removeEntries();
            assertThrows(IOException.class, () -> dir.volume().lookup(dir.names()[0]));
            assertEquals(300, new LargeDirectoryBenchmark().createEntries(dir), "the next iteration's pass");
            assertThrows(IOException.class, () -> dir.volume().create(dir.names()[299]), "creation is exclusive");
        } finally {
            dir.close();
        }
    }

    @Test
    void daxfsProviderVolumeRemovesItsImage() throws IOException {
        ChannelVolume volume = ChannelVolume.daxfs(SMALL_DEVICE);
        assertEquals("daxfs", volume.root().getFileSystem().provider().getScheme());
        volume.create("left-behind").close();
        volume.close();
        try (Stream<Path> left = Files.list(ChannelVolume.TMPFS)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("daxfs-bench-nio-")),
                    "the image's directory in /dev/shm is gone");
        }
    }

    @Test
    void tmpfsVolumeRemovesItsDirectory() throws IOException {
        ChannelVolume volume = ChannelVolume.tmpfs();
        volume.create("left-behind").close();
        volume.close();
        assertFalse(Files.exists(volume.root()));
    }

    /** A file fixture of {@link #SMALL_FILE} on a device of {@link #SMALL_DEVICE}. */
    private static FileFixture smallFile(Peer peer) throws IOException {
        FileFixture fixture = new FileFixture();
        fixture.peer = peer;
        fixture.setUp(SMALL_DEVICE, SMALL_FILE);
        return fixture;
    }

    @Test
    void sequentialCopyCopiesTheWholeMegabyte() {
        SequentialCopy limit = new SequentialCopy();
        limit.setUp();
        try {
            limit.copy();
            assertEquals(0x5A, limit.target().get(ValueLayout.JAVA_BYTE, SequentialIoBenchmark.IO_SIZE - 1));
        } finally {
            limit.tearDown();
        }
    }

    @Test
    void randomCopyCopiesAWholeBlock() {
        RandomCopy limit = new RandomCopy();
        limit.setUp(SMALL_FILE);
        try {
            limit.copy();
            assertEquals(0x5A, limit.target().get(ValueLayout.JAVA_BYTE, RandomIoBenchmark.IO_SIZE - 1));
        } finally {
            limit.tearDown();
        }
    }
}
