package org.daxfs.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * A {@link #RANGE_SIZE} file range mapped read-write for the whole trial through one {@link MapTarget}, and
 * touched all over before measuring so no measured access pays for a page fault. DaxFS and the device
 * mapping share the setup: a fresh volume holding a file written in one write (one contiguous extent on
 * 2 MiB-aligned blocks, so DaxFS maps it with huge entries); the device mapping then maps that extent's
 * device bytes directly.
 */
@State(Scope.Benchmark)
public class MappedRangeFixture {
    /** Bytes mapped and accessed per operation. */
    public static final long RANGE_SIZE = 64L << 20;
    /** Size of the DaxFS device: the file, its metadata and room to spare for 2 MiB-aligned placement. */
    static final long DEVICE_SIZE = 256L << 20;
    static final String PATH = "/mapped";

    /** No values listed: JMH runs every {@link MapTarget}. */
    @Param
    public MapTarget target;

    private Arena arena;
    private DaxVolume volume;
    private FileHandle handle;
    private Path tmpfsFile;
    private FileChannel channel;
    private long deviceOffset = -1;
    private MemorySegment mapped;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        setUp(RANGE_SIZE);
    }

    /** Sets up over a smaller range (for checks that must not spend the full size). */
    void setUp(long size) throws IOException {
        // Shared: JMH may run setup, iterations and teardown on different threads.
        arena = Arena.ofShared();
        try {
            if (target == MapTarget.TMPFS) {
                tmpfsFile = Files.createTempFile(ChannelVolume.TMPFS, "daxfs-bench-mapped-", "");
                channel = FileChannel.open(tmpfsFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
                try (Arena fill = Arena.ofConfined()) {
                    ByteBuffer data = DaxFiles.seededBytes(fill, size).asByteBuffer();
                    while (data.hasRemaining()) {
                        channel.write(data, data.position());
                    }
                }
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            } else {
                volume = DaxVolume.format(DEVICE_SIZE);
                DaxFiles.writeWhole(volume.fileSystem(), PATH, size);
                deviceOffset = DaxFiles.contiguousDeviceOffset(volume.fileSystem().extents(PATH), size);
                if (target == MapTarget.DAXFS) {
                    handle = volume.fileSystem().open(PATH, OpenFlag.READ, OpenFlag.WRITE);
                    mapped = handle.map(MapMode.READ_WRITE, 0, size, arena);
                } else {
                    Path image = volume.device().backingFile()
                            .orElseThrow(() -> new IOException("the memory device has no file to map"));
                    channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    mapped = channel.map(FileChannel.MapMode.READ_WRITE, deviceOffset, size, arena);
                }
            }
            // Fault every page in, writable, before measuring; rewriting a byte with itself changes nothing.
            for (long at = 0; at < size; at += DaxFiles.PAGE) {
                mapped.set(ValueLayout.JAVA_BYTE, at, mapped.get(ValueLayout.JAVA_BYTE, at));
            }
        } catch (IOException | RuntimeException e) {
            tearDown();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        // The mapping first (the arena), then the channel, the handle and the volume under them.
        try (DaxVolume v = volume; FileHandle h = handle; FileChannel c = channel) {
            arena.close();
        } finally {
            if (tmpfsFile != null) {
                Files.deleteIfExists(tmpfsFile);
            }
        }
    }

    /** The mapped range, readable and writable. */
    MemorySegment mapped() {
        return mapped;
    }

    /** Where the DaxFS file's bytes start on the device, or -1 for tmpfs. */
    long deviceOffset() {
        return deviceOffset;
    }

    /** The DaxFS file, open for reading and writing (null for the other targets), for checks. */
    FileHandle handle() {
        return handle;
    }

    /** The DaxFS volume (null for tmpfs), for checks. */
    DaxVolume volume() {
        return volume;
    }

    /** The tmpfs file, or null (for checks that it is removed). */
    Path tmpfsFile() {
        return tmpfsFile;
    }
}
