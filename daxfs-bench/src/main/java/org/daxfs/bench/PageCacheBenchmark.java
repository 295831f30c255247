package org.daxfs.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.daxfs.cache.Readahead;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The page cache against DAX, and readahead, measured as issue 6 asks:
 * <ul>
 *   <li>{@code cached*}: 4 KiB random reads and writes and 1 MiB sequential reads of one file, DAX or cached
 *       ({@link CacheCase}), on the same kind of image and mount (the cache holds the whole file);
 *   <li>{@code blockScan4k}: a sequential scan in 4 KiB reads on a block-only device whose cache is smaller
 *       than the file, with readahead ({@code NORMAL}) or without it ({@code RANDOM} advice);
 *   <li>{@code mixedReader*}: one reader of a cached file alone, and beside a writer of the other half of the
 *       same file: the reader holds only the invalidate lock, so the writer should not serialise it.
 * </ul>
 */
public class PageCacheBenchmark extends SuiteDefaults {
    static final int IO_4K = 4096;
    static final int IO_1M = 1 << 20;

    /** A DAX or cached file, and the offsets of each pattern. */
    @State(Scope.Benchmark)
    public static class CacheState {
        @Param
        public CacheCase cacheCase;
        CachedFileFixture fixture;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            fixture = CachedFileFixture.open(cacheCase);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            fixture.close();
        }
    }

    /** A thread's buffers and offsets. */
    @State(Scope.Thread)
    public static class Io {
        final Arena arena = Arena.ofConfined();
        final MemorySegment small = arena.allocate(IO_4K, IO_4K);
        final MemorySegment large = arena.allocate(IO_1M, IO_4K);
        final Offsets random = Offsets.random(CachedFileFixture.FILE_SIZE, IO_4K);
        final Offsets sequential1m = Offsets.sequential(CachedFileFixture.FILE_SIZE, IO_1M);
        final Offsets firstHalf = Offsets.random(0, CachedFileFixture.FILE_SIZE / 2, IO_4K);
        final Offsets secondHalf = Offsets.random(CachedFileFixture.FILE_SIZE / 2, CachedFileFixture.FILE_SIZE / 2, IO_4K);

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    @Benchmark
    public long cachedRandomRead4k(CacheState s, Io io) throws IOException {
        return s.fixture.file.read(io.small, io.random.next());
    }

    @Benchmark
    public long cachedRandomWrite4k(CacheState s, Io io) throws IOException {
        return s.fixture.file.write(io.small, io.random.next());
    }

    @Benchmark
    public long cachedSequentialRead1m(CacheState s, Io io) throws IOException {
        return s.fixture.file.read(io.large, io.sequential1m.next());
    }

    /** A block-only device with a small cache, read with or without readahead. */
    @State(Scope.Benchmark)
    public static class BlockState {
        @Param({"NORMAL", "RANDOM"})
        public Readahead.Advice advice;
        CachedFileFixture fixture;
        Offsets scan;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            fixture = CachedFileFixture.blockOnly(Path.of("/dev/shm/daxfs-bench-block.img"), advice);
            scan = Offsets.sequential(CachedFileFixture.FILE_SIZE, IO_4K);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            fixture.close();
            java.nio.file.Files.deleteIfExists(Path.of("/dev/shm/daxfs-bench-block.img"));
        }
    }

    @Benchmark
    public long blockScan4k(BlockState s, Io io) throws IOException {
        return s.fixture.file.read(io.small, s.scan.next());
    }

    /** A cached file read (and written) by two threads. */
    @State(Scope.Benchmark)
    public static class MixedState {
        CachedFileFixture fixture;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            fixture = CachedFileFixture.open(CacheCase.CACHED);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            fixture.close();
        }
    }

    @Benchmark
    @Group("mixedReaderAlone")
    @GroupThreads(1)
    public long mixedReadAlone4k(MixedState s, Io io) throws IOException {
        return s.fixture.file.read(io.small, io.firstHalf.next());
    }

    @Benchmark
    @Group("mixedReaderWithWriter")
    @GroupThreads(1)
    public long mixedReadBesideWriter4k(MixedState s, Io io) throws IOException {
        return s.fixture.file.read(io.small, io.firstHalf.next());
    }

    @Benchmark
    @Group("mixedReaderWithWriter")
    @GroupThreads(1)
    public long mixedWriteBesideReader4k(MixedState s, Io io) throws IOException {
        return s.fixture.file.write(io.small, io.secondHalf.next());
    }
}
