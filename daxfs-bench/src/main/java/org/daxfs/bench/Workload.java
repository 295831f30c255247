package org.daxfs.bench;

import java.util.Optional;

/**
 * The rows of the result table: each benchmark method, under a readable name, with the bytes it moves per
 * operation (to show bandwidth) and whether the memory-copy limit belongs beside it.
 */
enum Workload {
    RANDOM_READ("randomRead4k", "4 KiB random read", RandomIoBenchmark.IO_SIZE, false),
    RANDOM_WRITE("randomWrite4k", "4 KiB random write", RandomIoBenchmark.IO_SIZE, false),
    SEQUENTIAL_READ("sequentialRead1m", "1 MiB sequential read", SequentialIoBenchmark.IO_SIZE, true),
    SEQUENTIAL_WRITE("sequentialWrite1m", "1 MiB sequential write", SequentialIoBenchmark.IO_SIZE, true),
    SMALL_FILE("createWriteUnlink4k", "create + write 4 KiB + close + unlink", 0, false),
    MEMORY_COPY("memoryCopy1m", "1 MiB memory copy", SequentialIoBenchmark.IO_SIZE, false);

    /** Name of the {@code @Benchmark} method. */
    final String method;
    final String title;
    /** Data bytes per operation, or 0 where bandwidth means nothing. */
    final long bytesPerOp;
    /** Whether {@link #MEMORY_COPY} is shown beside the peers as the ceiling. */
    final boolean showsCopyLimit;

    Workload(String method, String title, long bytesPerOp, boolean showsCopyLimit) {
        this.method = method;
        this.title = title;
        this.bytesPerOp = bytesPerOp;
        this.showsCopyLimit = showsCopyLimit;
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
