package org.daxfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * 4 KiB reads and writes at random 4 KiB-aligned offsets of the 256 MiB test file: the cost of one small
 * positional I/O, where a system call's fixed price shows most. Each thread walks the same seeded offsets.
 * {@link #memoryCopy4k} is the floor: the same 4 KiB copies from a plain off-heap segment.
 * {@link #fsyncAfterWrite4k} makes each write durable before the next.
 */
@State(Scope.Thread)
public class RandomIoBenchmark extends SuiteDefaults {
    /** Bytes per operation. */
    public static final int IO_SIZE = 4096;

    private ByteBuffer buffer;
    private Offsets offsets;

    @Setup
    public void setUp() {
        // Direct, as a performance-aware FileChannel caller would use: a heap buffer costs the JDK an extra
        // copy through a temporary direct buffer, which would handicap the tmpfs peer.
        buffer = ByteBuffer.allocateDirect(IO_SIZE);
        offsets = Offsets.random(FileFixture.FILE_SIZE, IO_SIZE);
    }

    @Benchmark
    public ByteBuffer randomRead4k(FileFixture fixture) throws IOException {
        buffer.clear();
        fixture.file().readFully(buffer, offsets.next());
        return buffer;
    }

    @Benchmark
    public ByteBuffer randomWrite4k(FileFixture fixture) throws IOException {
        buffer.clear();
        fixture.file().writeFully(buffer, offsets.next());
        return buffer;
    }

    /**
     * The latency of making a small write durable: a 4 KiB overwrite, then fsync. tmpfs has nothing to
     * write back, so its fsync is the price of a system call; Jimfs's does nothing at all; DaxFS's flushes
     * the written range of the device and commits whatever metadata changed. The report shows it as time
     * per operation.
     */
    @Benchmark
    public ByteBuffer fsyncAfterWrite4k(FileFixture fixture) throws IOException {
        randomWrite4k(fixture);
        fixture.file().force();
        return buffer;
    }

    @Benchmark
    public RandomCopy memoryCopy4k(RandomCopy limit) {
        limit.copy();
        return limit;
    }
}
