package org.daxfs.bench;

import java.util.Optional;

/**
 * The rows of the result table: each benchmark method under a readable name, with the bytes it moves per
 * operation (to show bandwidth) and the memory-copy limit that belongs beside it.
 */
enum Workload {
    RANDOM_READ("randomRead4k", "4 KiB random read", RandomIoBenchmark.IO_SIZE),
    RANDOM_WRITE("randomWrite4k", "4 KiB random write", RandomIoBenchmark.IO_SIZE),
    SEQUENTIAL_READ("sequentialRead1m", "1 MiB sequential read", SequentialIoBenchmark.IO_SIZE),
    SEQUENTIAL_WRITE("sequentialWrite1m", "1 MiB sequential write", SequentialIoBenchmark.IO_SIZE),
    SMALL_FILE("createWriteUnlink4k", "create + write 4 KiB + close + unlink", 0),
    RANDOM_COPY("memoryCopy4k", "4 KiB memory copy, random offsets", RandomIoBenchmark.IO_SIZE),
    SEQUENTIAL_COPY("memoryCopy1m", "1 MiB memory copy", SequentialIoBenchmark.IO_SIZE);

    /** Name of the {@code @Benchmark} method. */
    final String method;
    final String title;
    /** Data bytes per operation, or 0 where bandwidth means nothing. */
    final long bytesPerOp;

    Workload(String method, String title, long bytesPerOp) {
        this.method = method;
        this.title = title;
        this.bytesPerOp = bytesPerOp;
    }

    /** Whether this is a memory-copy limit rather than a file system workload. */
    boolean isLimit() {
        return this == RANDOM_COPY || this == SEQUENTIAL_COPY;
    }

    /** The memory-copy limit shown beside this workload's peers, if any. */
    Optional<Workload> limit() {
        return switch (this) {
            case RANDOM_READ, RANDOM_WRITE -> Optional.of(RANDOM_COPY);
            case SEQUENTIAL_READ, SEQUENTIAL_WRITE -> Optional.of(SEQUENTIAL_COPY);
            case SMALL_FILE, RANDOM_COPY, SEQUENTIAL_COPY -> Optional.empty();
        };
    }

    /** The workload of a JMH benchmark name ({@code package.Class.method}). */
    static Optional<Workload> ofBenchmark(String benchmark) {
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        for (Workload w : values()) {
            if (w.method.equals(method)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }
}
