package org.daxfs.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.daxfs.format.Extent;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;

/**
 * Files laid out on a DaxFS volume for the mapping benchmarks, where the layout of a file's extents on the
 * device decides what a mapping of it costs, and checks of those layouts.
 */
final class DaxFiles {
    /** Bytes of a page and of a DaxFS block. */
    static final int PAGE = 4096;
    /** Bytes of a huge mapping entry. */
    static final long HUGE = 2L << 20;
    /** Blocks in a huge entry. */
    static final long HUGE_BLOCKS = HUGE / PAGE;

    private DaxFiles() {}

    /**
     * Creates {@code path} and writes all {@code size} bytes of it (seeded random data) in one write from
     * offset 0. On a fresh volume the allocator then gives every 2 MiB-aligned range of the file
     * 2 MiB-aligned device blocks, so mappings of it can use huge entries.
     */
    static void writeWhole(DaxFileSystem fs, String path, long size) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileHandle h = create(fs, path)) {
            MemorySegment data = seededBytes(arena, size);
            long n = h.write(data, 0);
            if (n != size) {
                throw new IOException("short write (" + n + " of " + size + " bytes): device full");
            }
        }
    }

    /**
     * Creates {@code path} and writes all but its first block in one write from offset 4 KiB, then the first
     * block. The big write does not start on a 2 MiB boundary of the file, so the allocator takes the next
     * free run wherever it starts: the file's blocks after the first are contiguous on the device, but its
     * 2 MiB-aligned ranges are not on 2 MiB-aligned blocks (unless the run happens to start one block past
     * a 2 MiB boundary, which {@link #hugeRanges} reveals), so a mapping of it uses 4 KiB entries only.
     */
    static void writeUnaligned(DaxFileSystem fs, String path, long size) throws IOException {
        if (size % PAGE != 0 || size < 2 * PAGE) {
            throw new IllegalArgumentException("size " + size + " is not a whole number of blocks, at least two");
        }
        try (Arena arena = Arena.ofConfined(); FileHandle h = create(fs, path)) {
            MemorySegment data = seededBytes(arena, size);
            if (h.write(data.asSlice(PAGE), PAGE) != size - PAGE || h.write(data.asSlice(0, PAGE), 0) != PAGE) {
                throw new IOException("short write: device full");
            }
        }
    }

    /**
     * Creates {@code path} and writes it one 4 KiB block at a time from the last block to the first. Each
     * write finds no neighbour to continue, so the allocator hands out blocks in ascending device order
     * while the file goes down: no two adjacent blocks of the file are adjacent on the device, and a mapping
     * of it needs one small entry, shown with its own kernel mapping, per page (the fragmented worst case).
     */
    static void writeBackToFront(DaxFileSystem fs, String path, long size) throws IOException {
        if (size % PAGE != 0) {
            throw new IllegalArgumentException("size " + size + " is not a whole number of blocks");
        }
        try (Arena arena = Arena.ofConfined(); FileHandle h = create(fs, path)) {
            MemorySegment data = seededBytes(arena, size);
            for (long at = size - PAGE; at >= 0; at -= PAGE) {
                if (h.write(data.asSlice(at, PAGE), at) != PAGE) {
                    throw new IOException("short write at " + at + ": device full");
                }
            }
        }
    }

    /** {@code size} bytes of seeded random longs (the same for every peer and run). */
    static MemorySegment seededBytes(Arena arena, long size) {
        MemorySegment data = arena.allocate(size, PAGE);
        SplittableRandom random = new SplittableRandom(Offsets.SEED);
        long at = 0;
        for (; at + Long.BYTES <= size; at += Long.BYTES) {
            data.set(ValueLayout.JAVA_LONG_UNALIGNED, at, random.nextLong());
        }
        for (; at < size; at++) {
            data.set(ValueLayout.JAVA_BYTE, at, (byte) random.nextInt());
        }
        return data;
    }

    /**
     * How many 2 MiB-aligned ranges of the first {@code size} bytes of a file with these extents lie in one
     * written extent on 2 MiB-aligned device blocks: the ranges the engine maps with a huge entry.
     */
    static long hugeRanges(List<Extent> extents, long size) {
        long count = 0;
        for (long idx = 0; idx + HUGE_BLOCKS <= size / PAGE; idx += HUGE_BLOCKS) {
            long i = idx;
            Extent x = extents.stream().filter(e -> e.contains(i)).findFirst().orElse(null);
            if (x != null && !x.unwritten() && x.end() >= idx + HUGE_BLOCKS && x.physicalOf(idx) % HUGE_BLOCKS == 0) {
                count++;
            }
        }
        return count;
    }

    /** Whether no two adjacent file blocks are adjacent, in the same order, on the device. */
    static boolean scattered(List<Extent> extents) {
        for (Extent e : extents) {
            if (e.length() > 1) {
                return false;
            }
        }
        for (int i = 0; i + 1 < extents.size(); i++) {
            Extent a = extents.get(i);
            Extent b = extents.get(i + 1);
            if (b.logical() == a.end() && b.physical() == a.physical() + a.length()) {
                return false;
            }
        }
        return true;
    }

    /** The file's device range, if it is one contiguous written extent of at least {@code size} bytes. */
    static long contiguousDeviceOffset(List<Extent> extents, long size) throws IOException {
        if (extents.size() != 1 || extents.getFirst().logical() != 0 || extents.getFirst().unwritten()
                || extents.getFirst().length() * PAGE < size) {
            throw new IOException("the file is not one contiguous written extent of " + size + " bytes: " + extents);
        }
        return extents.getFirst().physical() * PAGE;
    }

    private static FileHandle create(DaxFileSystem fs, String path) throws IOException {
        return fs.open(path, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE);
    }
}
