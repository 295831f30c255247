package org.daxfs.stress;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import org.daxfs.cache.PageCache;
import org.daxfs.fs.DaxMode;
import org.daxfs.fs.MountOptions;

/**
 * Everything that decides a run. Together with the seed they decide every operation of every thread, so
 * {@link #replayCommand} can print the command line that runs the same sequence again.
 *
 * @param ops operations in all, spread evenly over the threads
 * @param seed the seed every thread's seed derives from
 * @param threads threads: 1 in single mode, one per file in multi mode, a disruptor and readers in disrupt mode
 * @param mode how threads and files are arranged
 * @param mix operation weights that differ from the defaults of {@link Operations} (0 turns one off), in
 *     the order given
 * @param maxFileSize most offsets and sizes drawn stay below this; a file that outgrows it (plus room for
 *     the far offsets) is truncated back
 * @param maxIo longest read or write
 * @param verifyEvery each file is compared whole with its model every this many of its operations
 * @param logLength how many of the last operations a failure report shows
 * @param image how the replay command names the image
 * @param dax the mount's {@code dax=} option: which files are DAX and which go through the page cache; null
 *     for the default ({@code inode} on a direct-access device, {@code never} on a block-only one)
 * @param cacheBytes the page cache's memory limit ({@code cache=}); small ones make eviction happen
 */
public record StressOptions(long ops, long seed, int threads, Mode mode, Map<String, Integer> mix, long maxFileSize,
                            int maxIo, int verifyEvery, int logLength, String image, DaxMode dax, long cacheBytes) {
    public static final long DEFAULT_OPS = 10_000;
    public static final long DEFAULT_MAX_FILE_SIZE = 8L << 20;
    public static final int DEFAULT_MAX_IO = 128 << 10;
    public static final int DEFAULT_VERIFY_EVERY = 500;
    public static final int DEFAULT_LOG_LENGTH = 20;
    /** Files of a run are numbered 1.. in their data ({@link Pattern}), so at most this many threads. */
    public static final int MAX_THREADS = Pattern.MAX_FILE_ID;
    public static final long MIN_MAX_FILE_SIZE = 64 << 10;
    public static final long MAX_MAX_FILE_SIZE = 1L << 30;
    public static final long DEFAULT_CACHE_BYTES = MountOptions.DEFAULT_CACHE_BYTES;

    public StressOptions {
        // Kept in the order given, so the replay command repeats the user's --ops-mix as typed.
        mix = Collections.unmodifiableMap(new LinkedHashMap<>(mix));
    }

    /** One thread, 10,000 operations, seed 1, default weights and sizes. */
    public static StressOptions defaults() {
        return new StressOptions(DEFAULT_OPS, 1, 1, Mode.SINGLE, Map.of(), DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_IO,
                DEFAULT_VERIFY_EVERY, DEFAULT_LOG_LENGTH, "IMAGE", null, DEFAULT_CACHE_BYTES);
    }

    public StressOptions withOps(long n) {
        return new StressOptions(n, seed, threads, mode, mix, maxFileSize, maxIo, verifyEvery, logLength, image, dax, cacheBytes);
    }

    public StressOptions withSeed(long s) {
        return new StressOptions(ops, s, threads, mode, mix, maxFileSize, maxIo, verifyEvery, logLength, image, dax, cacheBytes);
    }

    /** Sets the mode and the number of threads together, since each mode bounds the other. */
    public StressOptions withMode(Mode m, int t) {
        return new StressOptions(ops, seed, t, m, mix, maxFileSize, maxIo, verifyEvery, logLength, image, dax, cacheBytes);
    }

    public StressOptions withMix(Map<String, Integer> weights) {
        return new StressOptions(ops, seed, threads, mode, weights, maxFileSize, maxIo, verifyEvery, logLength, image, dax, cacheBytes);
    }

    public StressOptions withMaxFileSize(long bytes) {
        return new StressOptions(ops, seed, threads, mode, mix, bytes, maxIo, verifyEvery, logLength, image, dax, cacheBytes);
    }

    public StressOptions withMaxIo(int bytes) {
        return new StressOptions(ops, seed, threads, mode, mix, maxFileSize, bytes, verifyEvery, logLength, image, dax, cacheBytes);
    }

    public StressOptions withVerifyEvery(int n) {
        return new StressOptions(ops, seed, threads, mode, mix, maxFileSize, maxIo, n, logLength, image, dax, cacheBytes);
    }

    public StressOptions withLogLength(int n) {
        return new StressOptions(ops, seed, threads, mode, mix, maxFileSize, maxIo, verifyEvery, n, image, dax, cacheBytes);
    }

    public StressOptions withImage(String name) {
        return new StressOptions(ops, seed, threads, mode, mix, maxFileSize, maxIo, verifyEvery, logLength, name, dax, cacheBytes);
    }

    /** Mounts with {@code dax=mode} (null: the default for the device). */
    public StressOptions withDax(DaxMode mode) {
        return new StressOptions(ops, seed, threads, this.mode, mix, maxFileSize, maxIo, verifyEvery, logLength, image, mode,
                cacheBytes);
    }

    /** Mounts with a page cache of {@code bytes}. */
    public StressOptions withCacheBytes(long bytes) {
        return new StressOptions(ops, seed, threads, mode, mix, maxFileSize, maxIo, verifyEvery, logLength, image, dax, bytes);
    }

    /** The mount options of the run: read-write, with its {@code dax=} and cache size. */
    public MountOptions mountOptions() {
        return MountOptions.defaults().withDax(dax).withCacheBytes(cacheBytes);
    }

    /**
     * Checks the options; IllegalArgumentException with a message fit for the user (it names the command
     * line option) if they cannot run.
     */
    public StressOptions validate() {
        require(ops >= 0, "--ops must not be negative: " + ops);
        switch (mode) {
            case SINGLE -> require(threads == 1, "single mode runs one thread, not " + threads + " (use --mode multi)");
            case MULTI -> require(threads >= 1 && threads <= MAX_THREADS,
                    "--threads must be 1 to " + MAX_THREADS + ": " + threads);
            case DISRUPT -> require(threads >= 2 && threads <= MAX_THREADS,
                    "disrupt mode needs 2 to " + MAX_THREADS + " threads (a disruptor and readers): " + threads);
        }
        require(maxFileSize >= MIN_MAX_FILE_SIZE && maxFileSize <= MAX_MAX_FILE_SIZE,
                "--max-size must be 64 KiB to 1 GiB: " + maxFileSize);
        require(maxIo >= 8 && maxIo <= (16 << 20), "--max-io must be 8 bytes to 16 MiB: " + maxIo);
        require(verifyEvery >= 1, "--verify-every must be at least 1: " + verifyEvery);
        require(logLength >= 1, "--last-ops must be at least 1: " + logLength);
        require(cacheBytes >= PageCache.MIN_BYTES, "--cache must be at least " + (PageCache.MIN_BYTES >> 20) + " MiB: "
                + cacheBytes);
        Mix.validate(mix, mode);
        return this;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Parses {@code name=weight,name=weight}; IllegalArgumentException with a message fit for the user if
     * it is malformed. Names are checked later, against the mode, by {@link #validate}.
     */
    public static Map<String, Integer> parseMix(String text) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        java.util.regex.Pattern item = java.util.regex.Pattern.compile("\\s*([a-z-]+)\\s*=\\s*(\\d{1,9})\\s*");
        for (String part : text.split(",", -1)) {
            Matcher m = item.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not name=weight (e.g. write=30,truncate=0)");
            }
            if (weights.put(m.group(1), Integer.parseInt(m.group(2))) != null) {
                throw new IllegalArgumentException(m.group(1) + " is given twice");
            }
        }
        return weights;
    }

    /** The weights in {@code --ops-mix} form: {@code write=30,truncate=0}. */
    public static String formatMix(Map<String, Integer> weights) {
        StringBuilder sb = new StringBuilder();
        weights.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    /** The command line that runs exactly this sequence of operations again. */
    public String replayCommand() {
        StringBuilder sb = new StringBuilder("./daxfs stress ").append(shellQuote(image))
                .append(" --seed ").append(seed).append(" --ops ").append(ops);
        if (mode != Mode.SINGLE) {
            sb.append(" --mode ").append(mode.cliName()).append(" --threads ").append(threads);
        }
        if (!mix.isEmpty()) {
            sb.append(" --ops-mix ").append(formatMix(mix));
        }
        if (maxFileSize != DEFAULT_MAX_FILE_SIZE) {
            sb.append(" --max-size ").append(maxFileSize);
        }
        if (maxIo != DEFAULT_MAX_IO) {
            sb.append(" --max-io ").append(maxIo);
        }
        if (verifyEvery != DEFAULT_VERIFY_EVERY) {
            sb.append(" --verify-every ").append(verifyEvery);
        }
        if (dax != null) {
            sb.append(" --dax ").append(dax.optionValue());
        }
        if (cacheBytes != DEFAULT_CACHE_BYTES) {
            sb.append(" --cache ").append(cacheBytes);
        }
        return sb.toString();
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
