package org.daxfs.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as people type them ({@code 16M}, {@code 1.5G}, {@code 4096}) and as they read them
 * ({@code 256 MiB}). Units are binary, as mkfs and dd use them: K = 1024, M = 1024², and so on, with or
 * without a trailing {@code B} or {@code iB}.
 */
public final class Sizes {
    private static final String UNITS = "KMGTPE";
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([KMGTPE])?(I?B)?");

    private Sizes() {
    }

    /**
     * Parses a size. A fraction with a unit is rounded down to a whole byte (1.1G is not a whole number of
     * bytes); a fraction without one is refused, since a fractional byte count is surely a typo.
     *
     * @throws IllegalArgumentException with a message fit for the user if {@code text} is not a size
     */
    public static long parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 4096, 16M, 1.5G, 1T)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String unit = m.group(2);
        if (unit == null && "IB".equals(m.group(3))) {
            throw new IllegalArgumentException("'" + text + "' is not a size: 'iB' needs a unit before it (KiB, MiB, ...)");
        }
        if (unit == null && number.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        int shift = unit == null ? 0 : 10 * (UNITS.indexOf(unit) + 1);
        BigDecimal bytes = number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(shift)))
                .setScale(0, RoundingMode.DOWN);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return bytes.longValueExact();
    }

    /** A short human-readable form: {@code 512 B}, {@code 4 KiB}, {@code 1.5 GiB}, {@code 1023.9 MiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        // One decimal, rounded down so that 1 MiB minus a byte never shows as "1024.0 KiB" or "1 MiB";
        // exact arithmetic, since a double rounds Long.MAX_VALUE up to a whole 8 EiB.
        String number = BigDecimal.valueOf(bytes)
                .divide(new BigDecimal(BigInteger.ONE.shiftLeft(10 * unit)), 1, RoundingMode.DOWN)
                .stripTrailingZeros()
                .toPlainString();
        return number + " " + UNITS.charAt(unit - 1) + "iB";
    }

    /** Both forms, for output that a person reads and a script may parse: {@code 256 MiB (268435456 bytes)}. */
    public static String formatExact(long bytes) {
        return bytes < 1024 ? bytes + " bytes" : format(bytes) + " (" + bytes + " bytes)";
    }
}
