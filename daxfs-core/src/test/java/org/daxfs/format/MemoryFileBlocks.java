package org.daxfs.format;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A file of metadata blocks in memory, for tests of the structures that live in such files. It counts
 * the calls made, so tests can bound how many blocks an operation touches.
 *
 * <p>{@link #read} hands out a copy, so a caller that wrongly changes a block it only read loses the change
 * and the test sees it. {@link #modify} and {@link #allocate} hand out the stored block itself, as the
 * transaction's own copy would be: a change the caller forgets to seal fails the next read's CRC check.
 * Contract violations (modifying a hole, allocating over a mapped block, freeing a hole) throw
 * {@link IllegalStateException}.
 */
final class MemoryFileBlocks implements FileBlocks {
    private final long owner;
    private final Map<Long, Block> blocks = new HashMap<>();
    private long nextPhysical = 1000;
    private long reads;
    private long modifies;
    private long allocates;
    private long frees;

    MemoryFileBlocks(long owner) {
        this.owner = owner;
    }

    @Override
    public Block read(long logical) {
        reads++;
        Block b = blocks.get(logical);
        return b == null ? null : b.copy();
    }

    @Override
    public Block modify(long logical) {
        modifies++;
        Block b = blocks.get(logical);
        if (b == null) {
            throw new IllegalStateException("modify of hole " + logical);
        }
        return b;
    }

    @Override
    public Block allocate(long logical) {
        allocates++;
        if (blocks.containsKey(logical)) {
            throw new IllegalStateException("allocate over mapped block " + logical);
        }
        Block b = Block.zeroed(nextPhysical++);
        blocks.put(logical, b);
        return b;
    }

    @Override
    public void free(long logical) {
        frees++;
        if (blocks.remove(logical) == null) {
            throw new IllegalStateException("free of hole " + logical);
        }
    }

    @Override
    public long owner() {
        return owner;
    }

    /** Read and modify calls since the last {@link #resetCounts}: the blocks an operation looked at. */
    long touches() {
        return reads + modifies;
    }

    long allocates() {
        return allocates;
    }

    long frees() {
        return frees;
    }

    void resetCounts() {
        reads = modifies = allocates = frees = 0;
    }

    /** The stored block itself, for tests that damage it. */
    Block raw(long logical) {
        return blocks.get(logical);
    }

    /** Drops a block without the bookkeeping of {@link #free}, as damage would. */
    void punch(long logical) {
        blocks.remove(logical);
    }

    /** The mapped logical blocks, in order. */
    TreeSet<Long> mapped() {
        return new TreeSet<>(blocks.keySet());
    }

    /** A deep copy, so a test can damage one image many ways. */
    MemoryFileBlocks copy() {
        MemoryFileBlocks c = new MemoryFileBlocks(owner);
        blocks.forEach((l, b) -> c.blocks.put(l, b.copy()));
        c.nextPhysical = nextPhysical;
        return c;
    }
}
