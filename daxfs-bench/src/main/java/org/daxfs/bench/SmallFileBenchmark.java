package org.daxfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The life of a small file: create, write 4 KiB, close, unlink. Measures metadata operations (directory
 * entries, inodes, block allocation) rather than data movement.
 */
@State(Scope.Thread)
public class SmallFileBenchmark extends SuiteDefaults {
    /** Bytes written into each file. */
    public static final int FILE_SIZE = 4096;
    /** Distinct names cycled through, so no single directory slot is the only one ever used. */
    static final int NAMES = 1024;

    private ByteBuffer buffer;
    private String[] names;
    private int next;

    @Setup
    public void setUp(ThreadParams thread) {
        buffer = ByteBuffer.allocateDirect(FILE_SIZE);
        // Names built before measuring, and distinct per thread because the volume is shared.
        names = new String[NAMES];
        for (int i = 0; i < NAMES; i++) {
            names[i] = "t" + thread.getThreadIndex() + "-f" + i;
        }
    }

    @Benchmark
    public void createWriteUnlink4k(VolumeFixture fixture) throws IOException {
        String name = names[next];
        next = next + 1 == NAMES ? 0 : next + 1;
        Volume volume = fixture.volume();
        try (PositionalFile file = volume.create(name)) {
            buffer.clear();
            file.writeFully(buffer, 0);
        }
        volume.delete(name);
    }
}
