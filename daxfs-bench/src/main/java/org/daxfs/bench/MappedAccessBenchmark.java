package org.daxfs.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Bandwidth through a mapping already in place: {@link MappedRangeFixture#RANGE_SIZE} read as longs (and
 * summed) or filled, start to end, through a DaxFS mapping, the device's own mapping of the same bytes (the
 * limit), and a tmpfs mapping. Once a mapping is made no file system code runs: any difference is in the
 * page tables and the memory behind them.
 */
public class MappedAccessBenchmark extends SuiteDefaults {
    @Benchmark
    public long mappedRead64m(MappedRangeFixture fixture) {
        return sumLongs(fixture.mapped());
    }

    @Benchmark
    public MemorySegment mappedWrite64m(MappedRangeFixture fixture) {
        MemorySegment mapped = fixture.mapped();
        mapped.fill((byte) 0x5A);
        return mapped;
    }

    static long sumLongs(MemorySegment m) {
        long sum = 0;
        long size = m.byteSize();
        for (long at = 0; at < size; at += Long.BYTES) {
            sum += m.get(ValueLayout.JAVA_LONG, at);
        }
        return sum;
    }
}
