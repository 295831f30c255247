package org.daxfs.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The memory-copy limit of the sequential workloads: two off-heap segments of
 * {@link SequentialIoBenchmark#IO_SIZE}, copied one onto the other. Small enough to stay in cache, so this
 * is the best any in-process file system could do per megabyte.
 */
@State(Scope.Thread)
public class SequentialCopy {
    private Arena arena;
    private MemorySegment source;
    private MemorySegment target;

    @Setup(Level.Trial)
    public void setUp() {
        // Shared, not confined: JMH may run setup, iterations and teardown on different threads.
        arena = Arena.ofShared();
        source = arena.allocate(SequentialIoBenchmark.IO_SIZE, 4096);
        target = arena.allocate(SequentialIoBenchmark.IO_SIZE, 4096);
        // Touch every page now so the first measured copies do not pay for page faults.
        source.fill((byte) 0x5A);
        target.fill((byte) 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Copies the whole source segment onto the target. */
    void copy() {
        MemorySegment.copy(source, 0, target, 0, source.byteSize());
    }

    /** The target, for checks. */
    MemorySegment target() {
        return target;
    }
}
