package org.daxfs.bench;

import java.time.Duration;
import java.util.Locale;
import org.daxfs.bench.fio.FioPlan;

/**
 * How long the suite measures: the full run, or {@code --quick}, which finishes in a few minutes with fewer
 * and shorter repetitions and a smaller directory, at the price of less settled numbers.
 *
 * @param name as the report says it
 * @param warmups JMH warmup iterations per benchmark (the large directory warms up with one pass whatever the mode)
 * @param repetitions JMH measurement iterations per benchmark: the repetitions the report's medians are of
 * @param iteration the length of one JMH iteration
 * @param directoryEntries entries of the large directory
 * @param fio the FUSE comparison's runs
 */
public record RunMode(String name, int warmups, int repetitions, Duration iteration, int directoryEntries, FioPlan fio) {
    /** fio's file: larger than any cache in front of the mounts' memory would hold whole. */
    static final long FIO_FILE_SIZE = 128L << 20;

    public static final RunMode FULL = new RunMode("full", 3, 5, Duration.ofSeconds(1), 100_000,
            new FioPlan(5, Duration.ofSeconds(5), FIO_FILE_SIZE));
    public static final RunMode QUICK = new RunMode("quick", 1, 3, Duration.ofMillis(500), 10_000,
            new FioPlan(3, Duration.ofSeconds(2), FIO_FILE_SIZE));

    /** What the mode means, for the report. */
    public String describe() {
        return String.format(Locale.ROOT, "JMH: %d warmup and %d measured iterations of %s per benchmark, one fork each; "
                        + "%,d directory entries; fio: %d measured runs of %d s per workload and mount",
                warmups, repetitions, seconds(iteration), directoryEntries, fio.repetitions(), fio.runtime().toSeconds());
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
