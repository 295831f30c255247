package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.cache.PageCache;
import org.daxfs.cache.Readahead;
import org.daxfs.device.Devices;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rule 1 of DESIGN.md under fire: one thread punches, truncates, collapses, inserts and zeroes ranges of a
 * victim file and at once gives the freed blocks to another file (the device is kept nearly full, so they
 * are reused), while readers read and map the victim. Every 8-byte word a reader sees must carry the
 * victim's tag byte or none: the other file's tag means a block was read after it was freed and reused.
 *
 * <p>Both for DAX files and for files that go through the page cache ({@code dax=never}, the smallest
 * cache): there readers fill pages and readahead windows, mappings show cached pages, and a reader of the
 * (preallocated, all zeros) filler file keeps the cache evicting, so slots are reused by other pages all
 * the time; a page filled from a freed block, or a slot shown after it went to another page, shows up as
 * the other file's words (or as words in the filler, which must read zeros).
 */
class StaleDataRaceTest {
    private static final int B = 4096;
    private static final long VICTIM = 1;
    private static final long OTHER = 2;
    private static final int FILE_BLOCKS = 64;

    /** A recognisable word: file tag in the top byte, generation, and the word's offset. */
    private static long word(long file, long generation, long offset) {
        return file << 56 | (generation & 0xFFFFFF) << 32 | (offset / 8 & 0xFFFFFFFFL);
    }

    private static byte[] content(long file, long generation, long from, int length) {
        MemorySegment s = MemorySegment.ofArray(new byte[length]);
        for (int i = 0; i < length; i += 8) {
            s.set(ValueLayout.JAVA_LONG_UNALIGNED, i, word(file, generation, from + i));
        }
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @ParameterizedTest(name = "cached: {0}")
    @ValueSource(booleans = {false, true})
    void readersAndMappersNeverSeeBlocksOfAnotherFile(boolean cached) throws Exception {
        int rounds = 300 * TestImages.scale();
        try (Device device = Devices.memory(16 * MIB)) {
            DaxFileSystem.format(device, FormatOptions.defaults());
            DaxFileSystem fs = DaxFileSystem.mount(device, cached
                    ? MountOptions.defaults().withDax(DaxMode.NEVER).withCacheBytes(PageCache.MIN_BYTES)
                    : MountOptions.defaults());
            FileHandle victim = fs.open("/victim", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
            FileHandle other = fs.open("/other", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
            assertEquals(!cached, victim.stat().isDaxActive());
            victim.write(MemorySegment.ofArray(content(VICTIM, 0, 0, FILE_BLOCKS * B)), 0);
            long fillerSize = fillDevice(fs);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong checkedWords = new AtomicLong();
            AtomicLong revocations = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            threads.add(new Thread(() -> readLoop(victim, done, failures, checkedWords, 1)));
            threads.add(new Thread(() -> mapLoop(victim, done, failures, checkedWords, revocations, 2)));
            if (cached) {
                threads.add(new Thread(() -> readaheadLoop(victim, done, failures, checkedWords, 3)));
                threads.add(new Thread(() -> churnLoop(fs, fillerSize, done, failures, checkedWords)));
            }
            threads.forEach(Thread::start);
            try {
                mutate(victim, other, rounds, failures);
            } finally {
                done.set(true);
                for (Thread t : threads) {
                    t.join();
                }
            }
            assertTrue(failures.isEmpty(), () -> failures.size() + " failures, first: " + failures.peek());
            assertTrue(checkedWords.get() > 0, "readers checked nothing");
            if (cached) {
                assertTrue(fs.pageCache().evictions() > 0, "the cache evicted nothing");
            }
            victim.close();
            other.close();
            fs.close();
            FsckReport report = Fsck.run(device, false, null);
            assertTrue(report.clean(), report.toString());
        }
    }

    /**
     * Leaves only a little free space, so blocks the victim frees are reused by the other file.
     *
     * @return the size of the filler file, preallocated (it reads zeros)
     */
    private static long fillDevice(DaxFileSystem fs) throws FsException {
        try (FileHandle filler = fs.open("/filler", OpenFlag.WRITE, OpenFlag.CREATE)) {
            long chunk = MIB;
            long at = 0;
            while (chunk >= B) {
                try {
                    filler.allocate(at, chunk, false);
                    at += chunk;
                } catch (FsException e) {
                    if (e.errno() != Errno.ENOSPC) {
                        throw e;
                    }
                    chunk /= 2;
                }
            }
            filler.truncate(0);
            long size = Math.max(B, at - 3L * FILE_BLOCKS * B);
            filler.allocate(0, size, false);
            return size;
        }
    }

    private static void mutate(FileHandle victim, FileHandle other, int rounds, ConcurrentLinkedQueue<String> failures)
            throws FsException {
        Random rnd = new Random(42);
        for (int gen = 1; gen <= rounds && failures.isEmpty(); gen++) {
            int a = rnd.nextInt(FILE_BLOCKS);
            int n = 1 + rnd.nextInt(FILE_BLOCKS - a);
            switch (rnd.nextInt(5)) {
                case 0 -> victim.punchHole((long) a * B, (long) n * B);
                case 1 -> victim.truncate((long) a * B + rnd.nextInt(B));
                case 2 -> {
                    if (a + n < FILE_BLOCKS) {
                        victim.collapseRange((long) a * B, (long) n * B);
                    }
                }
                case 3 -> victim.insertRange((long) a * B, (long) n * B);
                default -> victim.zeroRange((long) a * B + 100, (long) n * B, true);
            }
            // The other file takes whatever was freed, with its own recognisable words.
            other.truncate(0);
            try {
                other.write(MemorySegment.ofArray(content(OTHER, gen, 0, FILE_BLOCKS * B)), 0);
            } catch (FsException e) {
                if (e.errno() != Errno.ENOSPC) {
                    throw e;
                }
            }
            // And the victim is written again, whole, in place or in new blocks.
            victim.truncate(0);
            other.truncate(0);
            victim.write(MemorySegment.ofArray(content(VICTIM, gen, 0, FILE_BLOCKS * B)), 0);
        }
    }

    private static void check(MemorySegment seen, long fileOffset, String how, ConcurrentLinkedQueue<String> failures,
            AtomicLong checkedWords) {
        for (long i = 0; i + 8 <= seen.byteSize(); i += 8) {
            long w = seen.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
            // A read racing a write of the same range may see a word half old, half new (zeros or an older
            // generation): only its tag byte says whose block it came from.
            long tag = w >>> 56;
            if (tag != 0 && tag != VICTIM) {
                failures.add(how + " at offset " + (fileOffset + i) + " saw word 0x" + Long.toHexString(w)
                        + " of file " + (w >>> 56));
                return;
            }
        }
        checkedWords.addAndGet(seen.byteSize() / 8);
    }

    private static void readLoop(FileHandle victim, AtomicBoolean done, ConcurrentLinkedQueue<String> failures,
            AtomicLong checkedWords, long seed) {
        Random rnd = new Random(seed);
        byte[] buf = new byte[FILE_BLOCKS * B];
        try {
            while (!done.get()) {
                long at = (long) rnd.nextInt(FILE_BLOCKS) * B;
                int len = (1 + rnd.nextInt(16)) * B;
                long n = victim.read(MemorySegment.ofArray(buf).asSlice(0, len), at);
                if (n > 0) {
                    check(MemorySegment.ofArray(buf).asSlice(0, n / 8 * 8), at, "read", failures, checkedWords);
                }
            }
        } catch (Throwable t) {
            failures.add("reader: " + t);
        }
    }

    /**
     * Reads the victim as readahead(2) users do: announces a range, then reads it in small pieces, and now
     * and then a sequential pass with SEQUENTIAL advice (growing windows read ahead of the reader).
     */
    private static void readaheadLoop(FileHandle victim, AtomicBoolean done, ConcurrentLinkedQueue<String> failures,
            AtomicLong checkedWords, long seed) {
        Random rnd = new Random(seed);
        byte[] buf = new byte[B];
        try {
            while (!done.get()) {
                long at = (long) rnd.nextInt(FILE_BLOCKS) * B;
                long len = (1 + rnd.nextInt(32)) * (long) B;
                boolean sequential = rnd.nextInt(4) == 0;
                if (sequential) {
                    victim.advise(Readahead.Advice.SEQUENTIAL);
                    at = 0;
                    len = (long) FILE_BLOCKS * B;
                } else {
                    victim.readahead(at, len);
                }
                for (long pos = at; pos < at + len && !done.get(); pos += buf.length) {
                    long n = victim.read(MemorySegment.ofArray(buf), pos);
                    if (n <= 0) {
                        break;
                    }
                    check(MemorySegment.ofArray(buf).asSlice(0, n / 8 * 8), pos, "read after readahead", failures,
                            checkedWords);
                }
                if (sequential) {
                    victim.advise(Readahead.Advice.NORMAL);
                }
            }
        } catch (Throwable t) {
            failures.add("readahead reader: " + t);
        }
    }

    /**
     * Reads the filler file (preallocated: all zeros) over and over in large pieces, so the small cache keeps
     * evicting and giving slots to other pages. A word that is not zero there is some other file's data.
     */
    private static void churnLoop(DaxFileSystem fs, long fillerSize, AtomicBoolean done, ConcurrentLinkedQueue<String> failures,
            AtomicLong checkedWords) {
        byte[] buf = new byte[64 * B];
        try (FileHandle filler = fs.open("/filler", OpenFlag.READ)) {
            long pos = 0;
            while (!done.get()) {
                long n = filler.read(MemorySegment.ofArray(buf), pos);
                if (n <= 0) {
                    pos = 0;
                    continue;
                }
                MemorySegment seen = MemorySegment.ofArray(buf).asSlice(0, n / 8 * 8);
                for (long i = 0; i < seen.byteSize(); i += 8) {
                    long w = seen.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
                    if (w != 0) {
                        failures.add("filler read at offset " + (pos + i) + " saw word 0x" + Long.toHexString(w));
                        return;
                    }
                }
                checkedWords.addAndGet(seen.byteSize() / 8);
                pos = (pos + n) % fillerSize;
            }
        } catch (Throwable t) {
            failures.add("filler reader: " + t);
        }
    }

    private static void mapLoop(FileHandle victim, AtomicBoolean done, ConcurrentLinkedQueue<String> failures,
            AtomicLong checkedWords, AtomicLong revocations, long seed) {
        Random rnd = new Random(seed);
        try (Arena arena = Arena.ofShared()) {
            while (!done.get()) {
                long at = (long) rnd.nextInt(FILE_BLOCKS) * B;
                long len = (1 + rnd.nextInt(16)) * (long) B;
                MemorySegment s;
                try {
                    s = victim.map(MapMode.READ_ONLY, at, len, arena);
                } catch (FsException e) {
                    if (e.errno() == Errno.ENXIO) {
                        continue; // the file is shorter right now
                    }
                    throw e;
                }
                try {
                    for (int pass = 0; pass < 4; pass++) {
                        check(s, at, "mapping", failures, checkedWords);
                    }
                } catch (IllegalStateException revoked) {
                    revocations.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            failures.add("mapper: " + t);
        }
    }
}
