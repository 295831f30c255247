package org.daxfs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.daxfs.FsException;
import org.daxfs.cache.PageCache;
import org.daxfs.fs.DaxMode;
import org.daxfs.fs.MountOptions;
import org.daxfs.fuse.FuseMount;
import org.daxfs.fuse.FuseOptions;
import org.daxfs.fuse.MountMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code daxfs mount}: mounts an image with FUSE and serves it in the foreground until it is unmounted
 * ({@code daxfs umount}, umount(8), {@code fusermount3 -u}) or the process is told to stop (Ctrl-C, SIGTERM),
 * which unmounts it. Either way the image is left clean.
 */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = {"Mount an image with FUSE and serve it until it is unmounted.",
            "Stays in the foreground; Ctrl-C or SIGTERM unmount. Root mounts with mount(2), for every user;",
            "an ordinary user through fusermount3 (package fuse3), for that user only."})
final class MountCommand extends ImageCommand {
    @Parameters(index = "1", paramLabel = "MOUNTPOINT", description = "An existing directory to mount on.")
    Path mountPoint;

    @Option(names = "-o", paramLabel = "OPTION", split = ",",
            description = "Mount options, comma separated: ro (read-only), rw (the default), dax=always|never|inode "
                    + "(which files are DAX; default inode: those with the DAX flag, which new files inherit), cache=SIZE "
                    + "(page cache limit for files that are not DAX, default 256M), workers=N (request "
                    + "threads, default 4), debug (log every request to stderr), fusermount (mount through "
                    + "fusermount3 even as root).")
    List<String> options = List.of();

    @Override
    public Integer call() throws IOException, CommandFailure, InterruptedException {
        boolean readOnly = false;
        boolean debug = false;
        int workers = FuseOptions.defaults().workers();
        MountMethod method = MountMethod.AUTO;
        MountOptions engine = MountOptions.defaults();
        for (String o : options) {
            if (o.startsWith("dax=")) {
                try {
                    engine = engine.withDax(DaxMode.parse(o.substring("dax=".length())));
                } catch (FsException e) {
                    throw usageError("Invalid value for option '-o': 'dax' takes always, never or inode, not '"
                            + o.substring("dax=".length()) + "'");
                }
            } else if (o.startsWith("cache=")) {
                long bytes;
                try {
                    bytes = Sizes.parse(o.substring("cache=".length()));
                } catch (IllegalArgumentException e) {
                    bytes = -1;
                }
                if (bytes < PageCache.MIN_BYTES) {
                    throw usageError("Invalid value for option '-o': 'cache' takes a size of at least "
                            + (PageCache.MIN_BYTES >> 20) + "M, not '" + o.substring("cache=".length()) + "'");
                }
                engine = engine.withCacheBytes(bytes);
            } else if (o.equals("fusermount")) {
                method = MountMethod.FUSERMOUNT;
            } else if (o.equals("ro")) {
                readOnly = true;
            } else if (o.equals("rw")) {
                readOnly = false;
            } else if (o.equals("debug")) {
                debug = true;
            } else if (o.startsWith("workers=")) {
                try {
                    workers = Integer.parseInt(o.substring("workers=".length()));
                } catch (NumberFormatException e) {
                    workers = 0;
                }
                if (workers < 1 || workers > 256) {
                    throw usageError("Invalid value for option '-o': 'workers' takes a number from 1 to 256, not '"
                            + o.substring("workers=".length()) + "'");
                }
            } else if (!o.isEmpty()) {
                throw usageError("Unknown mount option '" + o + "' (known: ro, rw, dax=MODE, cache=SIZE, workers=N, debug, "
                        + "fusermount)");
            }
        }
        if (!Files.isDirectory(mountPoint)) {
            throw new CommandFailure(mountPoint + ": not a directory (the mount point must exist)");
        }
        String reason = FuseMount.unsupportedReason();
        if (reason != null) {
            throw new CommandFailure("cannot mount: " + reason);
        }
        PrintWriter err = err();
        MountedImage mounted = Images.mount(image, engine.withReadOnly(readOnly), err);
        FuseMount mount;
        try {
            FuseOptions fo = FuseOptions.defaults().withReadOnly(readOnly).withWorkers(workers).withMountMethod(method).withLog(line -> {
                synchronized (err) {
                    err.println("daxfs: " + line);
                    err.flush();
                }
            }, debug);
            mount = FuseMount.mount(mounted.fs(), mountPoint, fo);
        } catch (IOException | RuntimeException e) {
            mounted.close();
            throw e;
        }
        Shutdown shutdown = new Shutdown(mount, mounted, err);
        Thread hook = new Thread(shutdown::fromSignal, "daxfs-umount");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            mount.awaitInitialized(Duration.ofSeconds(30));
            out().println(image + " mounted on " + mountPoint + (readOnly ? " (read-only)" : "")
                    + "; unmount with: daxfs umount " + mountPoint);
            out().flush();
            mount.awaitUnmounted();
        } finally {
            shutdown.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running, and waits for run() above
            }
        }
        return 0;
    }

    /** Unmounting and closing the image, once, from the main thread or from a signal's shutdown hook. */
    private static final class Shutdown {
        private final FuseMount mount;
        private final MountedImage mounted;
        private final PrintWriter err;
        private final AtomicBoolean started = new AtomicBoolean();
        private final CountDownLatch done = new CountDownLatch(1);

        Shutdown(FuseMount mount, MountedImage mounted, PrintWriter err) {
            this.mount = mount;
            this.mounted = mounted;
            this.err = err;
        }

        /** Ctrl-C or SIGTERM: unmount (detaching a busy mount), close the image, and only then let the JVM end. */
        void fromSignal() {
            run();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void run() {
            if (!started.compareAndSet(false, true)) {
                return;
            }
            try {
                try {
                    mount.close();
                } finally {
                    mounted.close();
                }
            } catch (IOException | RuntimeException e) {
                synchronized (err) {
                    err.println("daxfs: unmounting: " + (e instanceof FsException ? e.getMessage() : e.toString()));
                    err.flush();
                }
            } finally {
                done.countDown();
            }
        }
    }
}
