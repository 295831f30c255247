package org.daxfs.journal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;
import org.daxfs.locking.LockRank;
import org.daxfs.locking.RankedLock;

/**
 * The metadata journal: every metadata change is a {@link Transaction} written whole to the log, made
 * durable, and only then written to its home blocks.
 *
 * <h2>On the device</h2>
 * Journal block 0 (device block 1) is the header: common header (magic 'DXJH'), then {@code u64} the
 * lowest sequence number recovery may replay and {@code u64} the journal's size in blocks (so recovery
 * needs nothing from the superblock, which may itself be the block it must repair). The log starts at the next block and holds
 * one transaction at a time, always from its first block:
 * <pre>
 *   descriptor  'DXJD' crc 0 | u64 seq | u32 n | u32 0 | n x u64 home block numbers
 *   n data blocks (the new images)
 *   commit      'DXJC' crc 0 | u64 seq | u32 n | u32 crc32c of the descriptor and the n data blocks
 * </pre>
 * A commit persists the whole record with one flush (the commit block's CRC over everything makes a torn
 * record detectable), installs the images in the {@link MetadataCache}, writes them home and flushes
 * again. Only then does the next transaction begin, so the log never holds more than one transaction that
 * could still be needed; recovery replays the record in the log if it is whole and its sequence number is
 * not below the header's. Replaying an already-checkpointed record is harmless: blocks it names that were
 * freed and reused since would have to have been freed by a later transaction, which would have replaced
 * this record in the log.
 *
 * <h2>Locking</h2>
 * One journal lock, taken by {@link #begin()} and held until the transaction ends: metadata changes are
 * serialised. Lock order ({@link org.daxfs.locking.LockOrder}, rank {@link LockRank#JOURNAL}): inode locks,
 * then the invalidate lock, then this; never an entry or page lock before this. The device read-side
 * sections are taken inside, by the device calls.
 */
public final class Journal {
    public static final int HEADER_MAGIC = 0x484A5844; // "DXJH"
    public static final int DESCRIPTOR_MAGIC = 0x444A5844; // "DXJD"
    public static final int COMMIT_MAGIC = 0x434A5844; // "DXJC"
    /** Home block numbers one descriptor can name. */
    public static final int MAX_RECORD_BLOCKS = (Block.SIZE - 32) / 8;

    private final Device device;
    private final MetadataCache cache;
    private final long start;
    private final long blocks;
    private final boolean readOnly;
    private final RankedLock lock;
    private Allocator allocator;
    private long nextSeq;
    private Transaction current;
    private volatile FsException failure;
    private Runnable onFailure = () -> { };

    private Journal(Device device, long start, long blocks, boolean readOnly) {
        this.device = device;
        this.lock = new RankedLock(LockRank.JOURNAL, () -> "journal of " + device.describe());
        this.cache = new MetadataCache(device);
        this.start = start;
        this.blocks = blocks;
        this.readOnly = readOnly;
    }

    /** Sensible journal size for a device of {@code totalBlocks}. */
    public static long defaultSize(long totalBlocks) {
        return Math.max(Superblock.Journal_MIN * 4, Math.min(1024, totalBlocks / 64));
    }

    /** Device block of the journal header. */
    public static final long START = 1;

    /** An empty journal header (formatting, clean unmount). */
    public static Block emptyHeader(long journalBlocks, long firstSeq) {
        Block h = Block.zeroed(START);
        h.init(HEADER_MAGIC, 0);
        h.putLong(Block.HEADER_END, firstSeq);
        h.putLong(Block.HEADER_END + 8, journalBlocks);
        h.seal();
        return h;
    }

    /**
     * Opens the journal of a device and replays the transaction in the log if it is whole. This runs
     * before the superblock is read, since the superblock may be one of the blocks replayed. A read-only
     * mount replays into memory only.
     *
     * @return the journal, ready once {@link #attach} gives it the allocator
     * @throws FsException EUCLEAN if the journal header is damaged
     */
    public static Journal recover(Device device, boolean readOnly) throws FsException {
        if (device.size() < (START + 1) * Block.SIZE) {
            throw FsException.atOffset(Errno.EUCLEAN, 0, "image too small to hold a journal");
        }
        byte[] data = new byte[Block.SIZE];
        device.read(START * Block.SIZE, data, 0, Block.SIZE);
        Block header = new Block(START, data).verify(HEADER_MAGIC, "journal header");
        long size = header.getLong(Block.HEADER_END + 8);
        if (size < Superblock.Journal_MIN || (START + size) * Block.SIZE > device.size()) {
            throw header.corrupt("journal header: bad journal size " + size);
        }
        Journal j = new Journal(device, START, size, readOnly);
        j.replay(header);
        return j;
    }

    /** Journal size in blocks, header included. */
    public long blocks() {
        return blocks;
    }

    /** Gives the journal the allocator that transactions reserve from (after the bitmap is loaded). */
    public void attach(Allocator allocator) {
        this.allocator = allocator;
    }

    /** Called once if a commit fails after its record became durable: the file system must shut down. */
    public void onFailure(Runnable action) {
        this.onFailure = action;
    }

    /** Read-only access to committed metadata, for lookups outside transactions. */
    public MetadataBlocks committed() {
        return new MetadataBlocks() {
            @Override
            public Block read(long blockNo) throws FsException {
                return cache.get(blockNo);
            }

            @Override
            public Block modify(long blockNo) {
                throw new IllegalStateException("metadata change outside a transaction");
            }

            @Override
            public Block allocate(long owner, long goal) {
                throw new IllegalStateException("metadata change outside a transaction");
            }

            @Override
            public void free(long blockNo) {
                throw new IllegalStateException("metadata change outside a transaction");
            }
        };
    }

    /**
     * Begins a transaction, taking the journal lock.
     *
     * @throws FsException EROFS on a read-only mount; EIO after a failed commit
     */
    public Transaction begin() throws FsException {
        if (readOnly) {
            throw FsException.of(Errno.EROFS, null);
        }
        lock.lock();
        FsException f = failure;
        if (f != null) {
            lock.unlock();
            throw FsException.wrap(Errno.EIO, null, -1, "file system shut down after a journal failure", f);
        }
        if (current != null) {
            lock.unlock();
            throw new IllegalStateException("nested transaction");
        }
        current = new Transaction(this);
        return current;
    }

    /** Blocks one transaction may modify, with room kept for the superblock and bitmap it always adds. */
    public int budget() {
        return capacity() * 3 / 4;
    }

    private int capacity() {
        return (int) Math.min(MAX_RECORD_BLOCKS, blocks - 3);
    }

    MetadataCache cache() {
        return cache;
    }

    Allocator allocator() {
        if (allocator == null) {
            throw new IllegalStateException("journal has no allocator yet");
        }
        return allocator;
    }

    void end(Transaction t) {
        if (current == t) {
            current = null;
            lock.unlock();
        }
    }

    /** Context: journal lock held (by the committing transaction). */
    void commit(List<Block> changed) throws FsException {
        if (changed.isEmpty()) {
            return;
        }
        if (changed.size() > capacity()) {
            throw FsException.atOffset(Errno.EIO, -1,
                    "transaction of " + changed.size() + " blocks exceeds the journal (" + capacity() + ")");
        }
        changed.sort(Comparator.comparingLong(Block::number));
        long seq = nextSeq;
        long log = start + 1;
        Block descriptor = Block.zeroed(log);
        descriptor.init(DESCRIPTOR_MAGIC, 0);
        descriptor.putLong(16, seq);
        descriptor.putInt(24, changed.size());
        for (int i = 0; i < changed.size(); i++) {
            descriptor.putLong(32 + 8 * i, changed.get(i).number());
        }
        descriptor.seal();
        CRC32C all = new CRC32C();
        all.update(descriptor.data());
        for (Block b : changed) {
            all.update(b.data());
        }
        Block commit = Block.zeroed(log + changed.size() + 1);
        commit.init(COMMIT_MAGIC, 0);
        commit.putLong(16, seq);
        commit.putInt(24, changed.size());
        commit.putInt(28, (int) all.getValue());
        commit.seal();

        // 1. The whole record, one flush: from here on the transaction survives a crash.
        writeBlock(descriptor);
        for (int i = 0; i < changed.size(); i++) {
            device.write((log + 1 + i) * Block.SIZE, changed.get(i).data(), 0, Block.SIZE);
        }
        writeBlock(commit);
        device.persist(log * Block.SIZE, (changed.size() + 2L) * Block.SIZE);
        nextSeq++;
        // 2. Checkpoint: new images become visible, then go home.
        try {
            for (Block b : changed) {
                cache.install(b.number(), b.data());
            }
            writeHome(changed);
        } catch (FsException e) {
            failure = e;
            onFailure.run();
            throw e;
        }
    }

    /**
     * Blocks between two home runs below which one flush covers both: flushing clean pages costs little
     * next to another flush call (each msync walks its range; most of a transaction's blocks sit close).
     */
    private static final long FLUSH_GAP_BLOCKS = 256;

    private void writeHome(List<Block> sorted) throws FsException {
        for (Block b : sorted) {
            writeBlock(b);
        }
        int i = 0;
        while (i < sorted.size()) {
            int j = i;
            while (j + 1 < sorted.size()
                    && sorted.get(j + 1).number() - sorted.get(j).number() <= FLUSH_GAP_BLOCKS) {
                j++;
            }
            long first = sorted.get(i).number();
            device.persist(first * Block.SIZE, (sorted.get(j).number() - first + 1) * Block.SIZE);
            i = j + 1;
        }
    }

    private void writeBlock(Block b) throws FsException {
        device.write(b.number() * Block.SIZE, b.data(), 0, Block.SIZE);
    }

    /** Marks the log empty (clean unmount): recovery will replay nothing. Context: no transaction open. */
    public void quiesce() throws FsException {
        if (readOnly) {
            return;
        }
        lock.lock();
        try {
            Block h = emptyHeader(blocks, nextSeq);
            writeBlock(h);
            device.persist(start * Block.SIZE, Block.SIZE);
        } finally {
            lock.unlock();
        }
    }

    private void replay(Block header) throws FsException {
        long expected = header.getLong(Block.HEADER_END);
        nextSeq = expected;
        long log = start + 1;
        Block d = readRaw(log);
        if (d.magic() != DESCRIPTOR_MAGIC || d.getInt(Block.CRC) != Block.crcOf(d.data(), Block.CRC)) {
            return;
        }
        long seq = d.getLong(16);
        int n = d.getInt(24);
        if (seq < expected || n <= 0 || n > capacity()) {
            return;
        }
        Block c = readRaw(log + n + 1);
        if (c.magic() != COMMIT_MAGIC || c.getInt(Block.CRC) != Block.crcOf(c.data(), Block.CRC)
                || c.getLong(16) != seq || c.getInt(24) != n) {
            return;
        }
        CRC32C all = new CRC32C();
        all.update(d.data());
        List<Block> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long home = d.getLong(32 + 8 * i);
            if (home < 0 || (home >= start && home < start + blocks)
                    || (home + 1) * Block.SIZE > device.size()) {
                throw FsException.atOffset(Errno.EUCLEAN, log * Block.SIZE,
                        "journal record names block " + home + " outside the metadata area");
            }
            Block raw = readRaw(log + 1 + i);
            all.update(raw.data());
            images.add(new Block(home, raw.data()));
        }
        if ((int) all.getValue() != c.getInt(28)) {
            return; // torn record: the transaction never committed
        }
        if (readOnly) {
            for (Block b : images) {
                cache.install(b.number(), b.data());
            }
        } else {
            for (Block b : images) {
                writeBlock(b);
                device.persist(b.number() * Block.SIZE, Block.SIZE);
            }
            writeBlock(emptyHeader(blocks, seq + 1));
            device.persist(start * Block.SIZE, Block.SIZE);
        }
        nextSeq = seq + 1;
        replayed = n;
    }

    private int replayed;

    /** Blocks the last recovery wrote back (0 if the log held no whole transaction). */
    public int replayedBlocks() {
        return replayed;
    }

    private Block readRaw(long n) throws FsException {
        byte[] data = new byte[Block.SIZE];
        device.read(n * Block.SIZE, data, 0, Block.SIZE);
        return new Block(n, data);
    }
}
