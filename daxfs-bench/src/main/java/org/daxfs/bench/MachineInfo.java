package org.daxfs.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** The machine and JVM, printed with the results: a ratio means little without them. */
final class MachineInfo {
    private MachineInfo() {}

    static String describe() {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize()
                : -1;
        return String.format(Locale.ROOT, "%d CPUs, %s memory, %s %s (%s), %s %s %s",
                Runtime.getRuntime().availableProcessors(),
                memory < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", memory / (double) (1L << 30)),
                System.getProperty("java.vm.name"), Runtime.version(), System.getProperty("java.vm.vendor"),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
    }

    /**
     * The one-minute load average, or a negative number where the platform has none. Printed before and
     * after the run: other work on a small machine moves the scores more than anything measured here.
     */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
