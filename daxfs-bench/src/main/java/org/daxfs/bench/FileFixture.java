package org.daxfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A fresh volume of one peer holding one fully written test file, shared by the threads of a data benchmark.
 * The file is written out before measuring so reads hit real data and overwrites hit allocated blocks
 * (tmpfs pages, DaxFS extents, Jimfs arrays) rather than holes.
 */
@State(Scope.Benchmark)
public class FileFixture {
    /** Size of the test file. */
    public static final long FILE_SIZE = 256L << 20;
    /** Size of the writes that fill the file. */
    static final int FILL_CHUNK = 1 << 20;

    /** No values listed: JMH runs every {@link Peer}. */
    @Param
    public Peer peer;

    private Volume volume;
    private PositionalFile file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        setUp(Peer.DAX_DEVICE_SIZE, FILE_SIZE);
    }

    /** Sets up with other sizes (for checks that must not spend a gigabyte). */
    void setUp(long daxDeviceSize, long fileSize) throws IOException {
        volume = peer.open(daxDeviceSize);
        try {
            file = volume.create("data");
            fill(file, fileSize);
        } catch (IOException | RuntimeException e) {
            volume.close();
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            file.close();
        } finally {
            volume.close();
        }
    }

    /** The test file, open for reading and writing. */
    public PositionalFile file() {
        return file;
    }

    /** Writes the whole file with seeded random bytes: incompressible, and the same for every peer. */
    private static void fill(PositionalFile file, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(FILL_CHUNK);
        SplittableRandom random = new SplittableRandom(Offsets.SEED);
        for (long at = 0; at < size; at += FILL_CHUNK) {
            chunk.clear();
            while (chunk.remaining() >= Long.BYTES) {
                chunk.putLong(random.nextLong());
            }
            chunk.flip().limit((int) Math.min(FILL_CHUNK, size - at));
            file.writeFully(chunk, at);
        }
    }
}
