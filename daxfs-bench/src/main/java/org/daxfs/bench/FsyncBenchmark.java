package org.daxfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The latency of making a small write durable: a 4 KiB overwrite at a random 4 KiB-aligned offset of the
 * 256 MiB test file, then fsync. Measured as operations per second; the report shows it as time per
 * operation. tmpfs has nothing to write back, so its fsync is the price of a system call; Jimfs's does
 * nothing at all; DaxFS's flushes the written range of the device and commits whatever metadata changed.
 */
@State(Scope.Thread)
public class FsyncBenchmark extends SuiteDefaults {
    /** Bytes written before each fsync. */
    public static final int IO_SIZE = 4096;

    private ByteBuffer buffer;
    private Offsets offsets;

    @Setup
    public void setUp() {
        buffer = ByteBuffer.allocateDirect(IO_SIZE);
        offsets = Offsets.random(FileFixture.FILE_SIZE, IO_SIZE);
    }

    @Benchmark
    public ByteBuffer fsyncAfterWrite4k(FileFixture fixture) throws IOException {
        buffer.clear();
        fixture.file().writeFully(buffer, offsets.next());
        fixture.file().force();
        return buffer;
    }
}
