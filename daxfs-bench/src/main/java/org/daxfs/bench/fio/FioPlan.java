package org.daxfs.bench.fio;

import java.time.Duration;

/**
 * How much fio the FUSE comparison runs.
 *
 * @param repetitions measured runs of each workload on each mount (one more, unmeasured, warms up first)
 * @param runtime the length of one run
 * @param fileSize the size of fio's file
 */
public record FioPlan(int repetitions, Duration runtime, long fileSize) {
    public FioPlan {
        if (repetitions < 1 || runtime.toSeconds() < 1 || fileSize < (1 << 20)) {
            throw new IllegalArgumentException(this.toString());
        }
    }
}
