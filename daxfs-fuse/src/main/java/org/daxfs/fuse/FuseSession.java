package org.daxfs.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.daxfs.FsException;
import org.daxfs.linux.Syscalls;

/**
 * The session loop: a small pool of worker threads, each reading the next request from {@code /dev/fuse},
 * serving it and writing its reply back (the kernel hands each request to one reader, so no thread sits between
 * the device and the worker: a request costs no hand-off).
 *
 * <p>A worker reads into its own buffer of {@code max_write} plus a page (the kernel refuses a smaller one), so a
 * WRITE's data reaches the engine where the kernel put it; it decodes the request, runs it through the
 * {@link Handler} and writes the reply from its other buffer (a READ's data is read straight into it). Errors become negative errnos in the reply: an {@link FsException} its
 * errno, a {@link FuseError} its own, anything else EIO, so no request is left without an answer. A request
 * the handler defers (a blocking lock) is answered later through {@link #reply}.
 *
 * <p>The loop ends when a read fails with ENODEV: the file system was unmounted (or the connection aborted); or
 * at end of file, which {@code /dev/fuse} never gives but the socket a test serves through does.
 * Reads failing with ENOENT (a request interrupted before it was read), EINTR or EAGAIN are retried.
 *
 * <p>Locking: none of its own; replies are single write(2) calls, which the kernel takes whole from any thread.
 * The handler's locks are the engine's.
 */
final class FuseSession {
    /** A handler's answer: no reply at all (FORGET, INTERRUPT). */
    static final int NO_REPLY = -1;
    /** A handler's answer: the reply will be sent later through {@link #reply}. */
    static final int DEFERRED = -2;

    /** Runs one request. */
    interface Handler {
        /**
         * Handles the request in {@code msg} (the whole message, header included) and encodes the reply body
         * into {@code out}.
         *
         * @return the length of the reply body, or {@link #NO_REPLY} or {@link #DEFERRED}
         */
        int handle(FuseCodec.InHeader header, MemorySegment msg, MemorySegment out) throws FsException;
    }

    private final int fd;
    private final Handler handler;
    private final int workers;
    private final int bufferSize;
    private final Consumer<String> log;
    private final boolean debug;
    private final Arena arena = Arena.ofShared();
    private final List<Thread> threads = new ArrayList<>();
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();
    private final CompletableFuture<Void> exited = new CompletableFuture<>();
    private volatile boolean ending;

    /**
     * @param fd the open {@code /dev/fuse}
     * @param maxWrite the largest WRITE the kernel will send (as negotiated at INIT)
     * @param workers worker threads
     * @param log where problems (and, with {@code debug}, every request) are reported
     */
    FuseSession(int fd, Handler handler, int maxWrite, int workers, Consumer<String> log, boolean debug) {
        this.fd = fd;
        this.handler = handler;
        this.workers = workers;
        this.bufferSize = Math.max(FuseProtocol.MIN_READ_BUFFER, maxWrite + 4096);
        this.log = log;
        this.debug = debug;
    }

    /** Starts the workers. */
    void start(String name) {
        for (int i = 0; i < workers; i++) {
            MemorySegment in = arena.allocate(bufferSize, 4096);
            MemorySegment out = arena.allocate(bufferSize, 4096);
            Thread t = new Thread(() -> workerLoop(in, out), name + "-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        Thread.startVirtualThread(this::awaitWorkers);
    }

    /** Completes once INIT has been answered: the mount is usable. */
    CompletableFuture<Void> initialized() {
        return initialized;
    }

    /** Completes once the loop has ended (unmounted) and every worker has stopped. */
    CompletableFuture<Void> exited() {
        return exited;
    }

    /** A worker: reads the next request into its own buffer, serves it, and again, until the device says ENODEV. */
    private void workerLoop(MemorySegment in, MemorySegment out) {
        MemorySegment body = out.asSlice(FuseProtocol.OUT_HEADER_SIZE);
        try {
            while (true) {
                long n;
                do {
                    n = FuseCalls.read(fd, in, bufferSize);
                } while (n == -FuseCalls.ENOENT || n == -FuseCalls.EINTR || n == -FuseCalls.EAGAIN);
                if (n <= 0) {
                    if (n != -FuseCalls.ENODEV && n != 0 && !ending) {
                        log.accept("reading /dev/fuse failed: " + Syscalls.describe((int) -n) + "; ending the session");
                    }
                    return;
                }
                try {
                    serve(in.asSlice(0, n), out, body);
                } catch (RuntimeException | Error e) {
                    // serve() answers every failure of the handler; this is a failure to answer at all. The worker
                    // stays: losing it would leave the mount short of threads.
                    log.accept("a worker failed: " + e);
                }
            }
        } finally {
            ending = true;
            initialized.completeExceptionally(new IllegalStateException("the session ended before INIT"));
        }
    }

    private void awaitWorkers() {
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            arena.close();
            exited.complete(null);
        }
    }

    private void serve(MemorySegment msg, MemorySegment out, MemorySegment body) {
        FuseCodec.InHeader h;
        try {
            h = FuseCodec.header(msg);
        } catch (FuseCodec.MalformedRequestException e) {
            log.accept("dropped a message of " + msg.byteSize() + " bytes: " + e.getMessage());
            return;
        }
        int error = 0;
        int length;
        try {
            length = handler.handle(h, msg, body);
        } catch (FsException e) {
            error = e.errno().code();
            length = 0;
        } catch (FuseError e) {
            error = e.errno();
            length = 0;
        } catch (FuseCodec.MalformedRequestException e) {
            log.accept(FuseProtocol.opcodeName(h.opcode()) + ": malformed request: " + e.getMessage());
            error = FuseCalls.EINVAL;
            length = 0;
        } catch (RuntimeException | Error e) {
            log.accept(FuseProtocol.opcodeName(h.opcode()) + " of node " + h.nodeid() + " failed: " + e);
            error = 5; // EIO
            length = 0;
        }
        if (debug) {
            log.accept(FuseProtocol.opcodeName(h.opcode()) + " node " + h.nodeid() + " unique " + h.unique()
                    + (error != 0 ? " -> error " + error : length >= 0 ? " -> " + length + " bytes" : length == NO_REPLY ? "" : " deferred"));
        }
        if (length == NO_REPLY || length == DEFERRED) {
            return;
        }
        int total = FuseProtocol.OUT_HEADER_SIZE + length;
        FuseCodec.outHeader(out, total, -error, h.unique());
        if (write(out, total, h) && h.opcode() == FuseProtocol.INIT && error == 0) {
            initialized.complete(null);
        }
    }

    /** Sends a deferred reply: {@code body} after a header carrying {@code -error}. */
    void reply(long unique, int error, byte[] body) {
        if (exited.isDone()) {
            return; // the device may be closed, its descriptor number reused
        }
        int total = FuseProtocol.OUT_HEADER_SIZE + body.length;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(total);
            FuseCodec.outHeader(out, total, -error, unique);
            MemorySegment.copy(body, 0, out, java.lang.foreign.ValueLayout.JAVA_BYTE, FuseProtocol.OUT_HEADER_SIZE, body.length);
            long n = FuseCalls.write(fd, out, total);
            if (n < 0 && n != -FuseCalls.ENOENT && !ending) {
                log.accept("writing a reply failed: " + Syscalls.describe((int) -n));
            }
        }
    }

    private boolean write(MemorySegment out, int total, FuseCodec.InHeader h) {
        long n = FuseCalls.write(fd, out, total);
        if (n == total) {
            return true;
        }
        // ENOENT: the request was interrupted and is gone; ENODEV: unmounted meanwhile. Neither is a problem.
        if (n != -FuseCalls.ENOENT && n != -FuseCalls.ENODEV && !ending) {
            log.accept("reply to " + FuseProtocol.opcodeName(h.opcode()) + " failed: "
                    + (n < 0 ? Syscalls.describe((int) -n) : "short write of " + n + " bytes"));
        }
        return false;
    }
}
