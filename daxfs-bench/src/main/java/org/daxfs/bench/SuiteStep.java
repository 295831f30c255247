package org.daxfs.bench;

import java.util.regex.Pattern;

/**
 * The parts of the suite, in the order they run: each a set of JMH benchmarks, or the fio runs through
 * FUSE. {@code --only} picks steps by {@link #id}.
 */
enum SuiteStep {
    RANDOM_IO("random-io", "4 KiB random reads and writes, in process",
            "RandomIoBenchmark\\.(randomRead4k|randomWrite4k|memoryCopy4k)$"),
    SEQUENTIAL_IO("sequential-io", "1 MiB sequential reads and writes, in process", "SequentialIoBenchmark\\."),
    MAPPED_ACCESS("mapped-access", "mapped read and write bandwidth", "MappedAccessBenchmark\\."),
    FIRST_TOUCH("first-touch", "first-touch mapping cost", "MapFaultBenchmark\\.mapTouchClose$"),
    FSYNC("fsync", "fsync after a 4 KiB write", "RandomIoBenchmark\\.fsyncAfterWrite4k$"),
    SMALL_FILES("small-files", "small files", "SmallFileBenchmark\\."),
    LARGE_DIRECTORY("large-directory", "a large directory", "LargeDirectoryBenchmark\\."),
    READER_WRITER("reader-writer", "a reader beside a writer", "ConcurrentReadBenchmark\\."),
    PAGE_CACHE("page-cache", "the page cache against DAX, readahead", "PageCacheBenchmark\\."),
    FUSE("fuse", "fio through FUSE, DaxFS against bindfs", null);

    /** The step's name on the command line. */
    final String id;
    /** What it measures, for progress lines. */
    final String title;
    private final String benchmarks;

    SuiteStep(String id, String title, String benchmarks) {
        this.id = id;
        this.title = title;
        this.benchmarks = benchmarks;
    }

    /** Whether this step runs JMH (the others run fio). */
    boolean isJmh() {
        return benchmarks != null;
    }

    /** JMH's include pattern for this step's benchmarks. */
    String jmhInclude() {
        if (benchmarks == null) {
            throw new IllegalStateException(id + " runs no JMH benchmark");
        }
        return "^" + Pattern.quote(SuiteStep.class.getPackageName() + ".") + benchmarks;
    }
}
