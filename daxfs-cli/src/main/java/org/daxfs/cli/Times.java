package org.daxfs.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Timestamps of the engine (nanoseconds since the epoch) in the local time zone. */
final class Times {
    // ls --time-style=long-iso: one width for every date, unlike ls's default six-month rule.
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    // stat(1)'s full form, nanoseconds and zone offset included.
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.nnnnnnnnn Z");

    private Times() {
    }

    static String minutes(long epochNanos) {
        return SHORT.format(instant(epochNanos).atZone(ZoneId.systemDefault()));
    }

    static String full(long epochNanos) {
        return FULL.format(instant(epochNanos).atZone(ZoneId.systemDefault()));
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
