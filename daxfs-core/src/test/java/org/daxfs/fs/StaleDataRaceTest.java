package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
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
import org.daxfs.device.Devices;
import org.junit.jupiter.api.Test;

/**
 * Rule 1 of DESIGN.md under fire: one thread punches, truncates, collapses, inserts and zeroes ranges of a
 * victim file and at once gives the freed blocks to another file (the device is kept nearly full, so they
 * are reused), while readers read and map the victim. Every 8-byte word a reader sees must carry the
 * victim's tag byte or none: the other file's tag means a block was read after it was freed and reused.
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

    @Test
    void readersAndMappersNeverSeeBlocksOfAnotherFile() throws Exception {
        int rounds = 300 * TestImages.scale();
        try (Device device = Devices.memory(16 * MIB)) {
            DaxFileSystem fs = TestImages.formatAndMount(device);
            FileHandle victim = fs.open("/victim", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
            FileHandle other = fs.open("/other", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
            victim.write(MemorySegment.ofArray(content(VICTIM, 0, 0, FILE_BLOCKS * B)), 0);
            fillDevice(fs);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong checkedWords = new AtomicLong();
            AtomicLong revocations = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            threads.add(new Thread(() -> readLoop(victim, done, failures, checkedWords, 1)));
            threads.add(new Thread(() -> mapLoop(victim, done, failures, checkedWords, revocations, 2)));
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
            victim.close();
            other.close();
            fs.close();
            FsckReport report = Fsck.run(device, false, null);
            assertTrue(report.clean(), report.toString());
        }
    }

    /** Leaves only a little free space, so blocks the victim frees are reused by the other file. */
    private static void fillDevice(DaxFileSystem fs) throws FsException {
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
            filler.allocate(0, Math.max(B, at - 3L * FILE_BLOCKS * B), false);
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
