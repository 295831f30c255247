package org.daxfs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.MapMode;
import org.daxfs.fs.Stat;
import org.junit.jupiter.api.Test;

/**
 * The checker cannot pass silently: a file broken on purpose in one small way (a dropped write, a flipped
 * byte, a swallowed error, a lying size, a lost preallocation, data lost in a remount, foreign bytes in a
 * shared read) is caught, and the report names the seed, the operation, the bytes and the replay command.
 */
class CheckerSelfTest {
    /**
     * Without the range operations and the mapped reads and writes, so the seeded sequences these tests
     * count on stay as they were; and collapse and insert range move data to other offsets, where a lost
     * write's bytes are not missed at the offset it wrote.
     */
    private static final StressOptions SINGLE = StressOptions.defaults().withSeed(77).withOps(3000)
            .withMix(new java.util.TreeMap<>(java.util.Map.of("punch-hole", 0, "zero-range", 0, "zero-range-keep-size", 0,
                    "collapse-range", 0, "insert-range", 0, "map-read", 0, "map-write", 0)));
    private static final String NO_RANGES = " --ops-mix collapse-range=0,insert-range=0,map-read=0,map-write=0,punch-hole=0,"
            + "zero-range=0,zero-range-keep-size=0";
    /** Without the mapped reads and writes, so the seeded sequences these tests count on stay as they were. */
    private static final java.util.Map<String, Integer> NO_MAPS = new java.util.TreeMap<>(java.util.Map.of("map-read", 0,
            "map-write", 0));

    @Test
    void aWriteWhoseDataIsLostIsCaughtAndTheReportNamesIt() throws Exception {
        StressOptions options = SINGLE.withVerifyEvery(10);
        Trace trace = new Trace();
        long[] lost = new long[1];
        FailureReport f = failingRun(options, trace, file -> new ForwardingFile(file) {
            private int writes;

            @Override
            public int write(ByteBuffer src, long position) throws FsException {
                if (++writes >= 40 && lost[0] == 0 && position >= 0 && src.remaining() >= 16) {
                    // Zeros of the same length: the blocks are allocated as asked, only the data never arrives.
                    lost[0] = trace.count(0) + 1;
                    return inner.write(ByteBuffer.allocate(src.remaining()), position);
                }
                return inner.write(src, position);
            }
        });
        assertTrue(lost[0] > 0);
        assertEquals(77, f.seed());
        assertEquals(0, f.thread());
        assertEquals("/stress/file1", f.path());
        assertTrue(f.opNumber() >= lost[0] && f.opNumber() <= lost[0] + 10, f.format());
        assertTrue(f.headline().startsWith("MISCOMPARE at op #" + f.opNumber() + " of thread 0"), f.format());
        assertFalse(f.differences().isEmpty(), f.format());
        Difference first = f.differences().getFirst();
        assertTrue(first.note().startsWith("expected data op #" + lost[0] + " wrote for this offset of file 1"), f.format());
        assertTrue(first.note().endsWith("found zeros"), f.format());
        assertEquals(20, f.lastOps().size());
        assertTrue(f.lastOps().getLast().startsWith("#" + f.opNumber() + " "), f.format());
        assertTrue(f.lastOps().stream().anyMatch(l -> l.startsWith("#" + lost[0] + " write ")), f.format());
        assertEquals("./daxfs stress IMAGE --seed 77 --ops 3000" + NO_RANGES + " --verify-every 10", f.replay());
        String text = f.format();
        assertTrue(text.contains("first differences"), text);
        assertTrue(text.contains("replay:    ./daxfs stress IMAGE --seed 77"), text);
    }

    @Test
    void aDroppedWriteIsCaughtByTheNextWholeFileCheckAtTheLatest() throws Exception {
        StressOptions options = SINGLE.withVerifyEvery(25);
        Trace trace = new Trace();
        long[] dropped = new long[1];
        FailureReport f = failingRun(options, trace, file -> new ForwardingFile(file) {
            private int writes;

            @Override
            public int write(ByteBuffer src, long position) throws FsException {
                if (++writes == 60) {
                    dropped[0] = trace.count(0) + 1;
                    int n = src.remaining();
                    src.position(src.limit());
                    return n;
                }
                return inner.write(src, position);
            }
        });
        assertTrue(f.opNumber() >= dropped[0] && f.opNumber() <= (dropped[0] / 25 + 1) * 25, f.format());
    }

    @Test
    void aFlippedByteIsCaughtAtTheReadThatReturnedIt() throws Exception {
        Trace trace = new Trace();
        long[] at = new long[2];
        FailureReport f = failingRun(SINGLE, trace, file -> new ForwardingFile(file) {
            private int reads;

            @Override
            public int read(ByteBuffer dst, long position) throws FsException {
                int start = dst.position();
                int n = inner.read(dst, position);
                if (++reads >= 30 && at[0] == 0 && n > 0) {
                    at[0] = trace.count(0) + 1;
                    at[1] = position;
                    dst.put(start, (byte) (dst.get(start) ^ 0x40));
                }
                return n;
            }
        });
        assertEquals(at[0], f.opNumber(), f.format());
        assertTrue(f.operation().startsWith("#" + at[0] + " read " + at[1] + "+"), f.format());
        assertEquals("read returned other bytes than the model holds", f.problem());
        assertEquals(1, f.mismatch().differingBytes());
        assertEquals(at[1], f.differences().getFirst().offset());
        assertEquals(1, f.differences().getFirst().length());
    }

    @Test
    void aSwallowedErrorIsCaught() throws Exception {
        FailureReport f = failingRun(SINGLE.withOps(20_000), new Trace(), file -> new ForwardingFile(file) {
            @Override
            public void truncate(long size) throws FsException {
                if (size >= 0) {
                    inner.truncate(size);
                }
            }
        });
        assertEquals("expected EINVAL, got success (ok)", f.problem(), f.format());
        assertTrue(f.operation().matches("#\\d+ truncate -\\d+ -> ok"), f.format());
    }

    @Test
    void aWrongSizeIsCaught() throws Exception {
        FailureReport f = failingRun(SINGLE, new Trace(), file -> new ForwardingFile(file) {
            private int calls;

            @Override
            public long size() throws FsException {
                return inner.size() + (++calls > 100 ? 1 : 0);
            }
        });
        assertTrue(f.problem().matches("size is \\d+ after the operation, the model says \\d+"), f.format());
    }

    @Test
    void aLostPreallocationIsCaughtAtOnce() throws Exception {
        FailureReport f = failingRun(SINGLE, new Trace(), file -> new ForwardingFile(file) {
            @Override
            public void allocate(long offset, long length, boolean keepSize) throws FsException {
                if (!keepSize || offset < 0 || length <= 0) {
                    inner.allocate(offset, length, keepSize);
                }
            }
        });
        assertTrue(f.operation().matches("#\\d+ allocate-keep-size .*-> ok"), f.format());
        assertTrue(f.problem().startsWith("allocated blocks differ"), f.format());
    }

    @Test
    void dataLostInARemountIsCaught() throws Exception {
        FailureReport f = failingRun(SINGLE, new Trace(), file -> new ForwardingFile(file) {
            @Override
            public void remount() throws FsException {
                inner.remount();
                inner.truncate(inner.size() / 2);
            }
        });
        assertTrue(f.operation().matches("#\\d+ remount -> ok"), f.format());
        assertTrue(f.problem().startsWith("size is "), f.format());
    }

    @Test
    void aDroppedWriteInOneOfManyThreadsStopsTheRun() throws Exception {
        StressOptions options = StressOptions.defaults().withSeed(5).withMode(Mode.MULTI, 3).withOps(30_000).withMix(NO_MAPS);
        FailureReport f = failingRun(options, StressListener.none(), file -> !file.path().endsWith("/file2") ? file
                : new ForwardingFile(file) {
                    private int writes;

                    @Override
                    public int write(ByteBuffer src, long position) throws FsException {
                        if (++writes == 50) {
                            int n = src.remaining();
                            src.position(src.limit());
                            return n;
                        }
                        return inner.write(src, position);
                    }
                });
        assertEquals(1, f.thread(), f.format());
        assertEquals("/stress/file2", f.path());
        assertTrue(f.replay().endsWith("--seed 5 --ops 30000 --mode multi --threads 3 --ops-mix map-read=0,map-write=0"),
                f.replay());
    }

    @Test
    void storesThroughAWritableMappingThatNeverReachTheFileAreCaught() throws Exception {
        StressOptions options = SINGLE.withMix(new java.util.TreeMap<>(java.util.Map.of("punch-hole", 0, "zero-range", 0,
                "zero-range-keep-size", 0, "collapse-range", 0, "insert-range", 0, "map-write", 300))).withVerifyEvery(10);
        Trace trace = new Trace();
        long[] dropped = new long[1];
        FailureReport f = failingRun(options, trace, file -> new ForwardingFile(file) {
            @Override
            public MemorySegment map(MapMode mode, long offset, long length, Arena arena) throws FsException {
                MemorySegment real = inner.map(mode, offset, length, arena);
                if (mode == MapMode.READ_ONLY || dropped[0] != 0 || length < 16) {
                    return real;
                }
                // The pages are allocated as asked; the stores land in memory of their own.
                dropped[0] = trace.count(0) + 1;
                return arena.allocate(length);
            }
        });
        assertTrue(dropped[0] > 0);
        assertTrue(trace.lines.get(0).get((int) dropped[0] - 1).startsWith("#" + dropped[0] + " map-write "), f.format());
        assertTrue(f.opNumber() >= dropped[0] && f.opNumber() <= dropped[0] + 10, f.format());
        assertTrue(f.headline().startsWith("MISCOMPARE at op #" + f.opNumber()), f.format());
        assertTrue(f.differences().getFirst().note().startsWith("expected data op #" + dropped[0] + " wrote for this offset"),
                f.format());
    }

    @Test
    void aHeldMappingThatIsNeverRevokedIsCaught() throws Exception {
        StressOptions options = StressOptions.defaults().withSeed(77).withOps(3000);
        FailureReport f = failingRun(options, new Trace(), file -> new ForwardingFile(file) {
            @Override
            public MemorySegment map(MapMode mode, long offset, long length, Arena arena) throws FsException {
                MemorySegment real = inner.map(mode, offset, length, arena);
                if (mode != MapMode.READ_ONLY) {
                    return real;
                }
                // A snapshot: right when it is made, but never revoked and blind to later writes.
                return arena.allocate(length).copyFrom(real);
            }
        });
        assertTrue(f.operation().matches("#\\d+ map-read .* through the held mapping -> .*"), f.format());
    }

    @Test
    void foreignBytesInAMappedSharedReadAreCaught() throws Exception {
        StressOptions options = StressOptions.defaults().withSeed(21).withMode(Mode.DISRUPT, 3).withOps(20_000);
        boolean[] done = new boolean[1];
        FailureReport f = failingRun(options, StressListener.none(), file -> !file.path().equals("/stress/shared") ? file
                : new ForwardingFile(file) {
                    @Override
                    public MemorySegment map(MapMode mode, long offset, long length, Arena arena) throws FsException {
                        MemorySegment real = inner.map(mode, offset, length, arena);
                        MemorySegment copy;
                        synchronized (done) {
                            try {
                                // The disruptor may revoke the mapping at any moment: then it stays as it is.
                                long w = real.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                                if (done[0] || w == 0 || length < 8) {
                                    return real;
                                }
                                copy = arena.allocate(length, 8).copyFrom(real);
                            } catch (IllegalStateException revoked) {
                                return real;
                            }
                            done[0] = true;
                        }
                        copy.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 0,
                                Pattern.word(3, 1, offset >>> 3));
                        return copy;
                    }
                });
        assertEquals("foreign bytes in the shared file", f.problem(), f.format());
        assertTrue(f.operation().matches("#\\d+ shared-read mapped .*"), f.format());
        assertTrue(f.differences().getFirst().note().endsWith("found data op #1 wrote for this offset of file 3"), f.format());
    }

    @Test
    void foreignBytesInASharedReadAreCaught() throws Exception {
        FailureReport f = disruptWithInjectedWord((pos, word) -> Pattern.word(3, 1, pos >>> 3));
        assertEquals("foreign bytes in the shared file", f.problem(), f.format());
        assertTrue(f.operation().matches("#\\d+ shared-read .*"), f.format());
        assertTrue(f.differences().getFirst().note().endsWith("found data op #1 wrote for this offset of file 3"), f.format());
    }

    @Test
    void bytesOfAnotherOffsetInASharedReadAreCaught() throws Exception {
        FailureReport f = disruptWithInjectedWord((pos, word) -> Pattern.word(1, 1, (pos >>> 3) + 512));
        assertEquals("foreign bytes in the shared file", f.problem(), f.format());
        assertTrue(f.differences().getFirst().note().matches(".*found data op #1 wrote for offset \\d+ of file 1"), f.format());
    }

    // ---- flip mode ------------------------------------------------------------------------------------

    private static final StressOptions FLIP = StressOptions.defaults().withSeed(31).withMode(Mode.FLIP, 3).withOps(20_000);

    @Test
    void aFileThatStaysDaxWhenItsFlagIsClearedIsCaughtByTheFlipper() throws Exception {
        FailureReport f = failingRun(FLIP, StressListener.none(), file -> new ForwardingFile(file) {
            @Override
            public Stat stat() throws FsException {
                Stat st = inner.stat();
                return new Stat(st.ino(), st.mode(), st.nlink(), st.uid(), st.gid(), st.size(), st.blocks(), st.atime(),
                        st.mtime(), st.ctime(), st.btime(), st.flags() | Stat.FLAG_DAX_ACTIVE);
            }
        });
        assertEquals(0, f.thread(), f.format());
        assertTrue(f.problem().startsWith("with the DAX flag clear the file is DAX; under dax=inode it must be cached"),
                f.format());
        assertTrue(f.operation().matches("#\\d+ dax off"), f.format());
    }

    @Test
    void aWriteLostWhileTheFlagFlipsIsCaught() throws Exception {
        Trace trace = new Trace();
        FailureReport f = failingRun(FLIP.withVerifyEvery(20), trace, file -> new ForwardingFile(file) {
            private int writes;

            @Override
            public int write(ByteBuffer src, long position) throws FsException {
                if (++writes % 300 == 0 && src.remaining() >= 16 && Thread.currentThread().getName().equals("daxfs-stress-2")) {
                    // Zeros of the same length: the blocks are allocated as asked, only the data never arrives.
                    // Now and then, since a later write or truncate may hide one loss before it is compared.
                    return inner.write(ByteBuffer.allocate(src.remaining()), position);
                }
                return inner.write(src, position);
            }
        });
        // Whichever worker compares the file next finds it; the lost bytes are worker 2's.
        assertTrue(f.headline().startsWith("MISCOMPARE at op #"), f.format());
        assertTrue(f.differences().getFirst().note().matches("expected data op #\\d+ wrote for .* of file 2; found zeros"),
                f.format());
        assertTrue(f.replay().endsWith("--seed 31 --ops 20000 --mode flip --threads 3 --verify-every 20"), f.replay());
    }

    @Test
    void storesThroughAMappingThatNeverReachTheFileAreCaughtWhileTheFlagFlips() throws Exception {
        StressOptions options = FLIP.withMix(new java.util.TreeMap<>(java.util.Map.of("map-write", 300))).withVerifyEvery(20);
        boolean[] dropped = new boolean[1];
        FailureReport f = failingRun(options, StressListener.none(), file -> new ForwardingFile(file) {
            @Override
            public MemorySegment map(MapMode mode, long offset, long length, Arena arena) throws FsException {
                MemorySegment real = inner.map(mode, offset, length, arena);
                synchronized (dropped) {
                    if (mode == MapMode.READ_ONLY || dropped[0] || length < 16) {
                        return real;
                    }
                    dropped[0] = true;
                }
                // The pages are allocated as asked; the stores land in memory of their own, never revoked.
                return arena.allocate(length);
            }
        });
        assertTrue(f.headline().startsWith("MISCOMPARE at op #"), f.format());
        assertTrue(f.differences().getFirst().note().startsWith("expected data op #"), f.format());
    }

    @Test
    void aStuckOperationIsReportedWithTheStacksOfTheThreads() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FailureReport f;
        try (Device device = StressTesting.formatted(256)) {
            StressResult r = StressRun.run(device, SINGLE, StressListener.none(), file -> new ForwardingFile(file) {
                private int syncs;

                @Override
                public void fsync() throws FsException {
                    if (++syncs == 3) {
                        awaitUninterruptibly(release);
                    }
                    inner.fsync();
                }
            }, Duration.ofSeconds(1));
            f = r.failure();
            release.countDown();
            // The run left the file system alone; let the thread finish its operation before the device goes.
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("daxfs-stress-0")) {
                    t.join();
                }
            }
        }
        assertTrue(f.headline().startsWith("STUCK"), f.format());
        assertTrue(f.problem().startsWith("no operation finished for 1 s; threads still running:"), f.format());
        assertTrue(f.problem().contains("daxfs-stress-0 (WAITING)"), f.format());
        assertTrue(f.problem().contains("CountDownLatch.await"), f.format());
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // The test releases the latch; nothing else may end the wait.
            }
        }
    }

    private interface Injection {
        long word(long pos, long original);
    }

    /** A disrupt run in which one shared read (by a reader, of a word the disruptor wrote) gets another word. */
    private static FailureReport disruptWithInjectedWord(Injection injection) throws Exception {
        StressOptions options = StressOptions.defaults().withSeed(21).withMode(Mode.DISRUPT, 3).withOps(20_000).withMix(NO_MAPS);
        boolean[] done = new boolean[1];
        return failingRun(options, StressListener.none(), file -> !file.path().equals("/stress/shared") ? file
                : new ForwardingFile(file) {
                    @Override
                    public int read(ByteBuffer dst, long position) throws FsException {
                        int start = dst.position();
                        int n = inner.read(dst, position);
                        if (n >= 8 && !Thread.currentThread().getName().equals("daxfs-stress-0")) {
                            synchronized (done) {
                                long w = dst.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(start);
                                if (!done[0] && w != 0) {
                                    done[0] = true;
                                    dst.putLong(start, injection.word(position, w));
                                }
                            }
                        }
                        return n;
                    }
                });
    }

    private static FailureReport failingRun(StressOptions options, StressListener listener, UnaryOperator<TestedFile> wrap)
            throws Exception {
        try (Device device = StressTesting.formatted(256)) {
            StressResult r = StressRun.run(device, options, listener, wrap);
            assertFalse(r.passed(), "the broken file went unnoticed: " + r.counts());
            FailureReport f = r.failure();
            assertNotNull(f.mismatch());
            assertEquals(List.of(), r.checks(), "no check after a failed run");
            assertTrue(r.opsDone() < options.ops(), "the run stops at the failure");
            return f;
        }
    }
}
