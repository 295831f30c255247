package org.daxfs.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The memory-copy limit of the random workloads: 4 KiB copied out of an off-heap segment as large as the
 * test file, at the same seeded offsets the file benchmarks use. Unlike the sequential limit this one
 * misses the caches and the TLB much as a file read does, so it is the floor no file system can go under
 * on this machine.
 */
@State(Scope.Thread)
public class RandomCopy {
    private Arena arena;
    private MemorySegment source;
    private MemorySegment target;
    private Offsets offsets;

    @Setup(Level.Trial)
    public void setUp() {
        setUp(FileFixture.FILE_SIZE);
    }

    /** Sets up over a source of another size (for checks that must not spend 256 MiB). */
    void setUp(long sourceSize) {
        // Shared, not confined: JMH may run setup, iterations and teardown on different threads.
        arena = Arena.ofShared();
        source = arena.allocate(sourceSize, 4096);
        target = arena.allocate(RandomIoBenchmark.IO_SIZE, 4096);
        // Touch every page now, as filling the test file does, so no measured copy pays for a page fault.
        source.fill((byte) 0x5A);
        target.fill((byte) 0);
        offsets = Offsets.random(sourceSize, RandomIoBenchmark.IO_SIZE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Copies the next 4 KiB of the source onto the target. */
    void copy() {
        MemorySegment.copy(source, offsets.next(), target, 0, target.byteSize());
    }

    /** The target, for checks. */
    MemorySegment target() {
        return target;
    }
}
