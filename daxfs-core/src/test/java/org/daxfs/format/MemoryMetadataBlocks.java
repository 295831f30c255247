package org.daxfs.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * An in-memory {@link MetadataBlocks} for tests that is strict where the journal would be silently
 * forgiving: {@link #read} returns a private copy, so a caller that writes to a block it only read loses the
 * write (and the test sees it); freeing a block that is not allocated, or modifying one, fails at once;
 * {@link #assertSealed()} fails if a modified or allocated block was left without a valid CRC. It counts
 * allocations and frees so tests can assert that nothing leaked, and can be told to run out of space.
 * Reading a block that was never allocated returns zeros (as a real device would return whatever is there)
 * and is counted in {@link #strayReads()}.
 */
final class MemoryMetadataBlocks implements MetadataBlocks {
    private final Map<Long, Block> live = new HashMap<>();
    private final Set<Long> dirty = new HashSet<>();
    private final List<Long> goals = new ArrayList<>();
    private long nextNumber;
    private int allocationsLeft = Integer.MAX_VALUE;
    private int strayReads;

    MemoryMetadataBlocks(long firstNumber) {
        this.nextNumber = firstNumber;
    }

    MemoryMetadataBlocks() {
        this(1_000_000);
    }

    @Override
    public Block read(long blockNo) {
        Block b = live.get(blockNo);
        if (b == null) {
            strayReads++;
            return Block.zeroed(blockNo);
        }
        return b.copy();
    }

    @Override
    public Block modify(long blockNo) {
        Block b = live.get(blockNo);
        if (b == null) {
            throw new IllegalStateException("modify of unallocated block " + blockNo);
        }
        dirty.add(blockNo);
        return b;
    }

    @Override
    public Block allocate(long owner, long goal) throws FsException {
        if (allocationsLeft == 0) {
            throw FsException.atOffset(Errno.ENOSPC, -1, "test device full");
        }
        allocationsLeft--;
        goals.add(goal);
        Block b = Block.zeroed(nextNumber++);
        live.put(b.number(), b);
        dirty.add(b.number());
        return b;
    }

    @Override
    public void free(long blockNo) {
        if (live.remove(blockNo) == null) {
            throw new IllegalStateException("free of unallocated block " + blockNo);
        }
        dirty.remove(blockNo);
    }

    /** Fails if a block modified or allocated since the last call has no valid CRC; then forgets them. */
    void assertSealed() {
        for (long n : dirty) {
            Block b = live.get(n);
            if (b.getInt(Block.CRC) != Block.crcOf(b.data(), Block.CRC)) {
                throw new AssertionError("block " + n + " modified but not sealed");
            }
        }
        dirty.clear();
    }

    /** After {@code n} more allocations, allocate throws ENOSPC. */
    void allowAllocations(int n) {
        allocationsLeft = n;
    }

    /** Block numbers currently allocated, sorted. */
    Set<Long> allocated() {
        return new TreeSet<>(live.keySet());
    }

    /** The goals passed to allocate, in order. */
    List<Long> goals() {
        return goals;
    }

    int strayReads() {
        return strayReads;
    }

    /** A copy of every allocated block, for {@link #restore}. */
    Map<Long, byte[]> snapshot() {
        Map<Long, byte[]> image = new HashMap<>();
        live.forEach((n, b) -> image.put(n, b.data().clone()));
        return image;
    }

    /** Makes the allocated blocks exactly those of {@code image}, with its contents, as an abort would. */
    void restore(Map<Long, byte[]> image) {
        live.clear();
        dirty.clear();
        image.forEach((n, data) -> live.put(n, new Block(n, data.clone())));
    }

    /** The live block itself, to damage it the way a bad disk or a bug would. */
    Block raw(long blockNo) {
        Block b = live.get(blockNo);
        if (b == null) {
            throw new IllegalArgumentException("no block " + blockNo);
        }
        return b;
    }
}
