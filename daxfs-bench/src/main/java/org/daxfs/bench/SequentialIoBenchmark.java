package org.daxfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * 1 MiB reads and writes walking the 256 MiB test file from start to end and around again: bandwidth,
 * where per-call costs fade and the copy itself dominates. {@link #memoryCopy1m} is the ceiling: the same
 * megabyte moved between two off-heap segments with no file system at all.
 */
@State(Scope.Thread)
public class SequentialIoBenchmark extends SuiteDefaults {
    /** Bytes per operation. */
    public static final int IO_SIZE = 1 << 20;

    private ByteBuffer buffer;
    private Offsets offsets;

    @Setup
    public void setUp() {
        buffer = ByteBuffer.allocateDirect(IO_SIZE);
        offsets = Offsets.sequential(FileFixture.FILE_SIZE, IO_SIZE);
    }

    @Benchmark
    public ByteBuffer sequentialRead1m(FileFixture fixture) throws IOException {
        buffer.clear();
        fixture.file().readFully(buffer, offsets.next());
        return buffer;
    }

    @Benchmark
    public ByteBuffer sequentialWrite1m(FileFixture fixture) throws IOException {
        buffer.clear();
        fixture.file().writeFully(buffer, offsets.next());
        return buffer;
    }

    @Benchmark
    public SequentialCopy memoryCopy1m(SequentialCopy limit) {
        limit.copy();
        return limit;
    }
}
