package org.daxfs.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH settings shared by every benchmark class (JMH reads them from superclasses): throughput in ops/s,
 * and iteration counts that finish the whole suite in a few minutes on a two-core machine.
 * {@link BenchMain}'s {@code --quick} overrides the iteration counts.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
// DaxFS calls memfd_create and mmap through FFM, which needs native access. JMH itself still uses
// sun.misc.Unsafe; allowing it keeps JDK 25's deprecation warning out of every fork's output. A fixed heap
// keeps Jimfs's in-heap 256 MiB file from resizing the heap mid-measurement.
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "-Xms2g", "-Xmx2g"})
public abstract class SuiteDefaults {}
