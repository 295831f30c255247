package org.daxfs.nio;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads through the provider at once, and a file system closed under them (lock order checked). */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void threadsShareOneChannelAndTheNamespace() throws Exception {
        try (FileSystem fs = NioTesting.create(dir, "threads.img")) {
            Path shared = fs.getPath("/shared");
            int threads = 4;
            int blocks = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try (FileChannel ch = FileChannel.open(shared, CREATE, READ, WRITE)) {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    done.add(pool.submit(() -> {
                        Path own = Files.createDirectories(fs.getPath("/t" + id));
                        for (int i = 0; i < blocks; i++) {
                            byte[] b = new byte[4096];
                            java.util.Arrays.fill(b, (byte) (id * blocks + i));
                            ch.write(ByteBuffer.wrap(b), (long) (id * blocks + i) * 4096);
                            Files.write(own.resolve("f" + i), b);
                            ByteBuffer r = ByteBuffer.allocate(4096);
                            ch.read(r, (long) (id * blocks + i) * 4096);
                            assertArrayEquals(b, r.array());
                            try (var s = Files.list(fs.getPath("/"))) {
                                s.count();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
                assertEquals((long) threads * blocks * 4096, ch.size());
            } finally {
                pool.shutdownNow();
            }
            for (int t = 0; t < threads; t++) {
                try (var s = Files.list(fs.getPath("/t" + t))) {
                    assertEquals(blocks, s.count());
                }
            }
        }
    }

    @Test
    void closingUnderRunningThreads() throws Exception {
        FileSystem fs = NioTesting.create(dir, "closing.img");
        Path f = Files.write(fs.getPath("/f"), new byte[1 << 16]);
        int threads = 3;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch started = new CountDownLatch(threads);
        CountDownLatch busy = new CountDownLatch(threads);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    try (FileChannel ch = FileChannel.open(f, READ, WRITE)) {
                        started.countDown();
                        ByteBuffer b = ByteBuffer.allocate(4096);
                        for (long i = 0; !stop.get(); i++) {
                            if (i == 100) {
                                busy.countDown(); // closing must meet threads in the middle of their work
                            }
                            b.clear();
                            if (id == 0) {
                                ch.read(b, (i * 4096) % (1 << 16));
                            } else if (id == 1) {
                                ch.write(b, (i * 4096) % (1 << 16));
                            } else {
                                Files.readAttributes(f, "unix:*");
                            }
                        }
                        return "stopped";
                    } catch (ClosedChannelException | ClosedFileSystemException e) {
                        return "closed";
                    }
                }));
            }
            assertTrue(started.await(30, TimeUnit.SECONDS));
            assertTrue(busy.await(60, TimeUnit.SECONDS));
            fs.close();
            stop.set(true);
            for (Future<String> r : results) {
                String outcome = r.get(60, TimeUnit.SECONDS);
                assertTrue(outcome.equals("closed") || outcome.equals("stopped"), outcome);
            }
        } finally {
            pool.shutdownNow();
        }
        // the image was left clean
        try (FileSystem again = NioTesting.open(dir.resolve("closing.img"), java.util.Map.of())) {
            assertEquals(1 << 16, Files.size(again.getPath("/f")));
        }
    }
}
