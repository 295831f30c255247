package org.daxfs.nio;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.daxfs.FsException;
import org.daxfs.fs.DaxMode;
import org.daxfs.fs.MountOptions;

/**
 * The environment map of {@code FileSystems.newFileSystem}, checked. Keys (others are ignored, as zipfs
 * ignores keys it does not know):
 * <ul>
 *   <li>{@code create}: Boolean or "true"/"false": create and format the image if it does not exist (or
 *       is empty);
 *   <li>{@code size}: the size of a created image, a Number of bytes or a String in binary units as the
 *       command line takes it ({@code 4096}, {@code 16M}, {@code 256m}, {@code 1.5G}); 256 MiB if absent;
 *   <li>{@code readOnly}: Boolean or "true"/"false": mount read-only;
 *   <li>{@code dax}: {@code always}, {@code inode} or {@code never}, as Linux's {@code -o dax=}: every
 *       file DAX, files with the DAX flag DAX (new images give their root the flag, which new files
 *       inherit), or every file through the page cache; absent: {@code inode} on a direct-access device,
 *       {@code never} on a block-only one;
 *   <li>{@code cacheSize}: memory limit of the page cache for files that are not DAX, as {@code size}
 *       (default 256 MiB);
 *   <li>{@code uid}, {@code gid}: Number or numeric String: owner and group of files created through this
 *       file system (default 0).
 * </ul>
 *
 * <p>Locks: none.
 */
record EnvOptions(boolean create, long size, boolean readOnly, DaxMode dax, long cacheSize, int uid, int gid) {
    static final long DEFAULT_SIZE = 256L << 20;

    private static final String UNITS = "KMGTPE";
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*([KMGTPE])?(I?B)?");

    /** @throws IllegalArgumentException naming the key whose value is wrong */
    static EnvOptions parse(Map<String, ?> env) {
        Map<String, ?> e = env == null ? Map.of() : env;
        boolean create = bool(e, "create");
        boolean readOnly = bool(e, "readOnly");
        if (create && readOnly) {
            throw new IllegalArgumentException("create and readOnly cannot be used together: a new image is formatted, "
                    + "which writes it");
        }
        long size = size(e, "size", DEFAULT_SIZE);
        long cacheSize = size(e, "cacheSize", MountOptions.DEFAULT_CACHE_BYTES);
        DaxMode dax = null;
        Object d = e.get("dax");
        if (d != null) {
            try {
                dax = DaxMode.parse(String.valueOf(d).strip().toLowerCase(Locale.ROOT));
            } catch (FsException ex) {
                throw new IllegalArgumentException("dax must be always, inode or never, not '" + d + "'");
            }
        }
        return new EnvOptions(create, size, readOnly, dax, cacheSize, id(e, "uid"), id(e, "gid"));
    }

    /** A size in bytes under {@code key}: a Number, or a String in binary units; {@code absent} if missing. */
    private static long size(Map<String, ?> e, String key, long absent) {
        Object s = e.get(key);
        if (s == null) {
            return absent;
        }
        long size = switch (s) {
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short sh -> sh.longValue();
            case String str -> parseSize(str);
            default -> throw new IllegalArgumentException(key + " must be a number of bytes or a String such as 256m, not "
                    + s.getClass().getName());
        };
        if (size <= 0) {
            throw new IllegalArgumentException(key + " must be positive: " + s);
        }
        return size;
    }

    /** How to mount the engine. */
    MountOptions mountOptions() {
        return new MountOptions(readOnly, uid, gid, dax, cacheSize);
    }

    private static boolean bool(Map<String, ?> env, String key) {
        Object v = env.get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            if (s.equalsIgnoreCase("true")) {
                return true;
            }
            if (s.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw new IllegalArgumentException(key + " must be a Boolean or \"true\"/\"false\", not '" + v + "'");
    }

    private static int id(Map<String, ?> env, String key) {
        Object v = env.get(key);
        if (v == null) {
            return 0;
        }
        long n;
        try {
            n = v instanceof Number num ? num.longValue() : Long.parseLong(String.valueOf(v).strip());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(key + " must be a number, not '" + v + "'");
        }
        if (n < 0 || n > 0xFFFF_FFFEL) {
            throw new IllegalArgumentException(key + " out of range: " + v);
        }
        return (int) n;
    }

    /**
     * A size as people type it: binary units (K = 1024, M = 1024², ...), with or without a trailing B or
     * iB; a fraction with a unit is rounded down to a whole byte.
     */
    static long parseSize(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("size '" + text + "' is not a size (examples: 4096, 16M, 256m, 1.5G)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String unit = m.group(2);
        if (unit == null && "IB".equals(m.group(3))) {
            throw new IllegalArgumentException("size '" + text + "': 'iB' needs a unit before it (KiB, MiB, ...)");
        }
        if (unit == null && number.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("size '" + text + "' is not a whole number of bytes");
        }
        int shift = unit == null ? 0 : 10 * (UNITS.indexOf(unit) + 1);
        BigDecimal bytes = number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(shift))).setScale(0, RoundingMode.DOWN);
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        return bytes.longValueExact();
    }
}
