package org.daxfs.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.daxfs.format.Extent;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.MapMode;
import org.daxfs.fs.OpenFlag;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A file laid out for one {@link FaultCase}, open, so that each invocation of {@link MapFaultBenchmark} can
 * map it afresh (a read-only mapping's entries go when it is closed). DaxFS cases get their own fresh volume
 * on a memory device, so the allocator lays the file out as the case needs; setup checks the layout through
 * the file's extents and refuses to measure any other.
 */
@State(Scope.Benchmark)
public class FaultFixture {
    /** Bytes mapped per invocation, from the start of the file: 16 huge entries, or 8,192 pages. */
    public static final long MAP_LENGTH = 32L << 20;
    /** Size of the DaxFS device: room for the file and its metadata. */
    static final long DEVICE_SIZE = 256L << 20;
    /** The file's name on the volume. */
    static final String PATH = "/fault";

    /** No values listed: JMH runs every {@link FaultCase}. */
    @Param
    public FaultCase faultCase;

    private long mapLength;
    private DaxVolume volume;
    private FileHandle handle;
    private Path tmpfsFile;
    private FileChannel channel;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        setUp(MAP_LENGTH);
    }

    /** Sets up with a smaller mapping (for checks that must not spend the full size). */
    void setUp(long mapLength) throws IOException {
        if (mapLength % DaxFiles.HUGE != 0) {
            throw new IllegalArgumentException("mapping length " + mapLength + " is not a multiple of 2 MiB");
        }
        this.mapLength = mapLength;
        if (!faultCase.daxfs) {
            tmpfsFile = Files.createTempFile(ChannelVolume.TMPFS, "daxfs-bench-fault-", "");
            try {
                channel = FileChannel.open(tmpfsFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                try (Arena arena = Arena.ofConfined()) {
                    ByteBuffer data = DaxFiles.seededBytes(arena, mapLength).asByteBuffer();
                    while (data.hasRemaining()) {
                        channel.write(data, data.position());
                    }
                }
            } catch (IOException | RuntimeException e) {
                tearDown();
                throw e;
            }
            return;
        }
        volume = DaxVolume.format(DEVICE_SIZE);
        try {
            switch (faultCase) {
                case DAXFS_HUGE -> DaxFiles.writeWhole(volume.fileSystem(), PATH, mapLength);
                case DAXFS_SMALL -> DaxFiles.writeUnaligned(volume.fileSystem(), PATH, mapLength);
                case DAXFS_SCATTERED -> DaxFiles.writeBackToFront(volume.fileSystem(), PATH, mapLength);
                case TMPFS -> throw new AssertionError(faultCase);
            }
            checkLayout(mapLength);
            handle = volume.fileSystem().open(PATH, OpenFlag.READ);
        } catch (IOException | RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    /** Refuses to measure a file the allocator did not lay out as the case needs. */
    private void checkLayout(long mapLength) throws IOException {
        List<Extent> extents = extents();
        long huge = DaxFiles.hugeRanges(extents, mapLength);
        long wanted = faultCase == FaultCase.DAXFS_HUGE ? mapLength / DaxFiles.HUGE : 0;
        if (huge != wanted) {
            throw new IOException(faultCase + ": " + huge + " of the mapped 2 MiB ranges are on 2 MiB-aligned blocks, "
                    + "not " + wanted + "; extents " + (extents.size() > 8 ? extents.subList(0, 8) + "..." : extents));
        }
        if (faultCase == FaultCase.DAXFS_SCATTERED && !DaxFiles.scattered(extents)) {
            throw new IOException("the scattered file has adjacent blocks together: " + extents.subList(0, 8) + "...");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (DaxVolume v = volume; FileHandle h = handle; FileChannel c = channel) {
            // Closed in reverse order: the channel, the handle, then the volume under it.
        } finally {
            if (tmpfsFile != null) {
                Files.deleteIfExists(tmpfsFile);
            }
        }
    }

    /** Maps the case's range read-only; everything the mapping holds is released when {@code arena} closes. */
    MemorySegment map(Arena arena) throws IOException {
        if (handle != null) {
            return handle.map(MapMode.READ_ONLY, 0, mapLength, arena);
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, 0, mapLength, arena);
    }

    /** The DaxFS file's extents (for checks of the layout). */
    List<Extent> extents() throws IOException {
        return volume.fileSystem().extents(PATH);
    }

    /** The tmpfs file, or null for a DaxFS case (for checks that it is removed). */
    Path tmpfsFile() {
        return tmpfsFile;
    }
}
