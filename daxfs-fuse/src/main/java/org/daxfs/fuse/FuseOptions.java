package org.daxfs.fuse;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to serve a FUSE mount.
 *
 * @param readOnly mount read-only (the file system should be mounted read-only too)
 * @param workers threads running requests
 * @param maxWrite the largest read or write request, a multiple of 4096 (at most 1 MiB)
 * @param entryTimeout how long the kernel may cache a name
 * @param attrTimeout how long the kernel may cache attributes
 * @param unmountGrace how long closing waits for a busy mount, detached, to be let go before cutting it off
 * @param log where problems go, one line each (and every request, with {@code debug})
 * @param debug log every request and its result
 * @param mountMethod mount(2), fusermount3, or whichever fits the user
 */
public record FuseOptions(boolean readOnly, int workers, int maxWrite, Duration entryTimeout, Duration attrTimeout,
                          Duration unmountGrace, Consumer<String> log, boolean debug, MountMethod mountMethod) {
    public FuseOptions {
        Objects.requireNonNull(mountMethod, "mountMethod");
        if (workers < 1) {
            throw new IllegalArgumentException("workers " + workers);
        }
        if (maxWrite < 4096 || maxWrite > (1 << 20) || maxWrite % 4096 != 0) {
            throw new IllegalArgumentException("maxWrite " + maxWrite);
        }
    }

    /**
     * Read-write, 4 workers, 1 MiB requests, names and attributes cached for a second, problems to stderr, mounted
     * the way that fits the user.
     */
    public static FuseOptions defaults() {
        return new FuseOptions(false, 4, 1 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5),
                line -> System.err.println("daxfs: " + line), false, MountMethod.AUTO);
    }

    public FuseOptions withReadOnly(boolean ro) {
        return new FuseOptions(ro, workers, maxWrite, entryTimeout, attrTimeout, unmountGrace, log, debug, mountMethod);
    }

    public FuseOptions withLog(Consumer<String> l, boolean d) {
        return new FuseOptions(readOnly, workers, maxWrite, entryTimeout, attrTimeout, unmountGrace, l, d, mountMethod);
    }

    public FuseOptions withWorkers(int n) {
        return new FuseOptions(readOnly, n, maxWrite, entryTimeout, attrTimeout, unmountGrace, log, debug, mountMethod);
    }

    public FuseOptions withMountMethod(MountMethod m) {
        return new FuseOptions(readOnly, workers, maxWrite, entryTimeout, attrTimeout, unmountGrace, log, debug, m);
    }
}
