package org.daxfs.bench.report;

/**
 * How a speed in operations per second is shown: as it is ({@code ops/s}, {@code IOPS}), scaled
 * ({@code MiB/s} from bytes per operation), or as the time an operation or a part of one takes
 * ({@code µs per op}, {@code µs per 4 KiB page}).
 */
public record Unit(String label, double scale, boolean time) {
    public Unit {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale " + scale);
        }
    }

    /** Operations per second, under another name ({@code ops/s}, {@code IOPS}, {@code entries/s}). */
    public static Unit rate(String label) {
        return new Unit(label, 1, false);
    }

    /** Bandwidth in MiB/s, for operations that move {@code bytesPerOp} bytes each. */
    public static Unit mebibytesPerSecond(long bytesPerOp) {
        return new Unit("MiB/s", bytesPerOp / (double) (1 << 20), false);
    }

    /** Microseconds per operation, divided over {@code parts} parts of it ({@code "µs per 4 KiB page"}). */
    public static Unit microsecondsPer(String what, double parts) {
        return new Unit("µs per " + what, 1e6 / parts, true);
    }

    /** {@code opsPerSecond} in this unit. */
    public double show(double opsPerSecond) {
        return time ? scale / opsPerSecond : opsPerSecond * scale;
    }
}
