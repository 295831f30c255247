package org.daxfs.bench.fio;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.daxfs.bench.report.Key;

/**
 * The fio job of the FUSE comparison, the same for every mount: 4 KiB random reads or writes of one file by
 * one thread, synchronous ({@code psync}, queue depth 1), time based. Direct I/O ({@code O_DIRECT}), so
 * every request goes through FUSE to the file system behind it; buffered reads would measure the kernel's
 * page cache of the FUSE file, the same on every mount.
 */
public enum FioWorkload {
    RANDOM_READ("fioRandRead4k", "randread", "read"),
    RANDOM_WRITE("fioRandWrite4k", "randwrite", "write");

    /** The name of fio's data file in the mount. */
    static final String DATA_FILE = "fio-data";

    /** The report's name of this measurement. */
    final String benchmark;
    /** fio's {@code --rw}. */
    final String rw;
    /** The member of fio's job output that holds this workload's numbers. */
    final String direction;

    FioWorkload(String benchmark, String rw, String direction) {
        this.benchmark = benchmark;
        this.rw = rw;
        this.direction = direction;
    }

    /** The report's key of this workload on {@code target} ({@link FuseComparison#DAXFS}, {@link FuseComparison#BINDFS}). */
    public Key key(String target) {
        return Key.of(benchmark, target);
    }

    /** What one run is, for the report. */
    public String about(long fileSize, Duration runtime) {
        return "fio --rw=" + rw + " --bs=4k --ioengine=psync --direct=1: one thread, one " + (fileSize >> 20)
                + " MiB file, " + runtime.toSeconds() + " s per run, DaxFS's mount and bindfs's taking turns.";
    }

    /** The fio command line of one run in {@code directory}. */
    List<String> command(String fio, Path directory, long fileSize, Duration runtime) {
        return List.of(fio,
                "--name=" + benchmark,
                "--directory=" + directory,
                "--filename=" + DATA_FILE,
                "--size=" + fileSize,
                "--bs=4k",
                "--rw=" + rw,
                "--ioengine=psync",
                "--iodepth=1",
                "--numjobs=1",
                "--direct=1",
                "--time_based",
                "--runtime=" + Math.max(1, runtime.toSeconds()),
                "--output-format=json");
    }
}
