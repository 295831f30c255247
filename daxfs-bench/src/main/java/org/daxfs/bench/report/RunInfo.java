package org.daxfs.bench.report;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * When and where the suite ran, and how: a ratio means little without the machine, and on a shared machine
 * the load average before and after says how much to trust it.
 *
 * @param started when the run began
 * @param took how long it ran
 * @param machine CPUs, memory, JVM and kernel in one line
 * @param mode "quick" or "full"
 * @param modeDetails what the mode means in repetitions and sizes
 * @param loadBefore the one-minute load average before the run (negative where there is none)
 * @param loadAfter the same after it
 * @param notes what was skipped or failed, one sentence each
 */
public record RunInfo(ZonedDateTime started, Duration took, String machine, String mode, String modeDetails, double loadBefore,
                      double loadAfter, List<String> notes) {
    public RunInfo {
        notes = List.copyOf(notes);
    }
}
