package org.daxfs.bench;

import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A large directory: create {@code entries} empty files in one directory, look every one of them up by name
 * (stat, in a seeded random order), unlink them all. One invocation does the whole pass, so each is timed
 * once per iteration (JMH's single-shot mode) and the report divides by the entries: entries per second.
 * The directory's cost grows with its size on some file systems and not on others; the pass shows the
 * average over a directory growing from empty to full, or shrinking back.
 */
@BenchmarkMode(Mode.SingleShotTime)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class LargeDirectoryBenchmark extends SuiteDefaults {
    /** An empty directory at the start of every iteration: the creating pass fills it, teardown empties it. */
    @State(Scope.Benchmark)
    public static class EmptyDirectory extends DirectoryFixture {
        @TearDown(Level.Iteration)
        public void removeEntries() throws IOException {
            empty();
        }
    }

    /** A directory filled before the first iteration, for lookups. */
    @State(Scope.Benchmark)
    public static class FullDirectory extends DirectoryFixture {
        private boolean filled;

        @Setup(Level.Iteration)
        public void addEntriesOnce() throws IOException {
            if (!filled) {
                fill();
                filled = true;
            }
        }
    }

    /** A directory filled again before every iteration, for the unlinking pass to empty. */
    @State(Scope.Benchmark)
    public static class RefilledDirectory extends DirectoryFixture {
        @Setup(Level.Iteration)
        public void addEntries() throws IOException {
            fill();
        }
    }

    @Benchmark
    public int createEntries(EmptyDirectory dir) throws IOException {
        dir.fill();
        return dir.entries;
    }

    @Benchmark
    public void lookupEntries(FullDirectory dir, Blackhole bh) throws IOException {
        Volume volume = dir.volume();
        for (String name : dir.lookupOrder()) {
            bh.consume(volume.lookup(name));
        }
    }

    @Benchmark
    public int unlinkEntries(RefilledDirectory dir) throws IOException {
        dir.empty();
        return dir.entries;
    }
}
