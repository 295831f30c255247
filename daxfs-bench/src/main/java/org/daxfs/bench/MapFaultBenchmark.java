package org.daxfs.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The cost of a fresh mapping: map {@link FaultFixture#MAP_LENGTH} of a file read-only, read one byte of
 * every page, close the arena. DaxFS faults every page in eagerly while mapping (a page-table-free Java
 * mapping cannot trap a first access), one entry per 4 KiB or per 2 MiB, and the kernel then fills its
 * page tables on the first touch of each page; closing the arena revokes the mapping, which closes the
 * engine's shared arena (a handshake with every thread) and unmaps. All of that is in the time measured,
 * for every case, as it is in the life of a real short mapping. {@link #mapClose} leaves the touches out,
 * and {@link #sharedArenaOpenClose} measures the handshake alone, so the report can say how much of a
 * mapping each part is.
 */
public class MapFaultBenchmark extends SuiteDefaults {
    @Benchmark
    public long mapTouchClose(FaultFixture fixture) throws IOException {
        long sum = 0;
        // The caller's arena is confined (cheap to close); DaxFS's own arena behind the segment is shared.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = fixture.map(arena);
            for (long at = 0; at < mapped.byteSize(); at += DaxFiles.PAGE) {
                sum += mapped.get(ValueLayout.JAVA_BYTE, at);
            }
        }
        return sum;
    }

    /**
     * The same without touching: DaxFS's own work (entries looked up and shown, window reserved and
     * unmapped, the handshake) without the kernel's page-table fills that the first touches cost.
     */
    @Benchmark
    public long mapClose(FaultFixture fixture) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return fixture.map(arena).byteSize();
        }
    }

    /** Opening and closing an empty shared arena: the handshake every DaxFS unmap includes. */
    @Benchmark
    public void sharedArenaOpenClose() {
        Arena.ofShared().close();
    }
}
