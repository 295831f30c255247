package org.daxfs.fs;

import java.util.Map;
import java.util.TreeMap;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.DirectoryIndex;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;
import org.daxfs.journal.Journal;

/**
 * Writes a new, empty file system: superblock, empty journal, bitmap, a first chunk of the inode table
 * and the root directory. Builds every block in memory, writes them, flushes, and writes the superblock
 * last, so a crash while formatting leaves an image that mount refuses rather than a half-made one.
 */
final class Formatter {
    /** Smallest device: 16 MiB. */
    static final long MIN_BLOCKS = 4096;
    /** Largest device: 64 TiB (the allocator keeps its bits in one Java array). */
    static final long MAX_BLOCKS = 1L << 34;

    private Formatter() {
    }

    static void format(Device device, FormatOptions options) throws FsException {
        if (device.isReadOnly()) {
            throw FsException.of(Errno.EROFS, device.describe());
        }
        long total = device.size() / Block.SIZE;
        if (total < MIN_BLOCKS) {
            throw FsException.of(Errno.EINVAL, device.describe(), "device too small: DaxFS needs at least 16 MiB");
        }
        if (total > MAX_BLOCKS) {
            throw FsException.of(Errno.EINVAL, device.describe(), "device too large: DaxFS supports up to 64 TiB");
        }
        long journalBlocks = options.journalBlocks() > 0 ? options.journalBlocks() : Journal.defaultSize(total);
        if (journalBlocks < Superblock.Journal_MIN || journalBlocks > total / 4) {
            throw FsException.of(Errno.EINVAL, device.describe(), "bad journal size " + journalBlocks);
        }
        long bitmapStart = Journal.START + journalBlocks;
        long firstData = bitmapStart + Allocator.bitmapBlocksFor(total);
        Allocator allocator = Allocator.fresh(total, bitmapStart, firstData);
        MemoryBlocks blocks = new MemoryBlocks(allocator);
        long now = System.currentTimeMillis() * 1_000_000L;

        Block sbBlock = Block.zeroed(Superblock.BLOCK_NUMBER);
        Superblock.create(sbBlock, total, journalBlocks, DaxFileSystem.randomUuid(), now, DaxFileSystem.randomSeed());

        // The inode table: one chunk; inodes 0 and 1 are reserved, 2 is the root, the rest are free.
        InodeRecord table = new InodeRecord();
        table.mode = FileType.REGULAR.modeBits() | 0600;
        table.nlink = 1;
        table.atime = table.mtime = table.ctime = table.btime = now;
        ExtentTree.initRoot(table.root);
        long[] run = allocator.reserve(firstData, InodeTable.CHUNK_BLOCKS, false, false);
        if (run[1] != InodeTable.CHUNK_BLOCKS) {
            throw new IllegalStateException("a fresh device has no room for the inode table");
        }
        new ExtentTree(blocks, table.root, InodeTable.TABLE_INO).insert(new Extent(0, run[0], run[1], false));
        long slots = run[1] * InodeRecord.PER_BLOCK;
        table.size = slots * InodeRecord.SIZE;
        table.blocks = run[1];

        InodeRecord root = new InodeRecord();
        root.mode = FileType.DIRECTORY.modeBits() | 0755;
        root.nlink = 2;
        root.atime = root.mtime = root.ctime = root.btime = now;
        root.parent = InodeTable.ROOT_INO;
        root.flags = options.daxInherit() ? InodeRecord.FLAG_DAX : 0;
        ExtentTree.initRoot(root.root);
        DirectoryIndex.format(new DirectoryBlocks(blocks, InodeTable.ROOT_INO, root));

        for (long i = 0; i < run[1]; i++) {
            Block b = blocks.fresh(run[0] + i);
            for (int k = 0; k < InodeRecord.PER_BLOCK; k++) {
                long ino = i * InodeRecord.PER_BLOCK + k;
                if (ino == InodeTable.ROOT_INO) {
                    root.encode(b, k * InodeRecord.SIZE, ino);
                } else {
                    long next = ino >= InodeTable.FIRST_FREE_INO && ino + 1 < slots ? ino + 1 : 0;
                    InodeRecord.free(next).encode(b, k * InodeRecord.SIZE, ino);
                }
            }
        }

        Superblock sb = new Superblock(sbBlock);
        table.encode(sbBlock, Superblock.TABLE_INODE_OFFSET, InodeTable.TABLE_INO);
        sb.setTableInodes(slots);
        sb.setFreeInodeHead(InodeTable.FIRST_FREE_INO);
        sb.setFreeInodes(slots - InodeTable.FIRST_FREE_INO);
        sb.setFreeBlocks(allocator.freeBlocks());

        // Old superblock first, so that nothing mounts a half-formatted image; superblock last.
        device.zero(0, Block.SIZE);
        device.persist(0, Block.SIZE);
        device.write(Journal.START * Block.SIZE, Journal.emptyHeader(journalBlocks, 1).data(), 0, Block.SIZE);
        device.zero((Journal.START + 1) * Block.SIZE, Block.SIZE);
        for (Block b : blocks.all()) {
            device.write(b.number() * Block.SIZE, b.data(), 0, Block.SIZE);
        }
        long bitmapBlocks = Allocator.bitmapBlocksFor(total);
        for (long i = 0; i < bitmapBlocks; i++) {
            device.write((bitmapStart + i) * Block.SIZE, allocator.encode(i).data(), 0, Block.SIZE);
            if (options.progress() != null && (i % 64 == 0 || i == bitmapBlocks - 1)) {
                options.progress().accept((i + 1) * 1000 / bitmapBlocks);
            }
        }
        device.persistAll();
        device.write(0, sbBlock.data(), 0, Block.SIZE);
        device.persist(0, Block.SIZE);
    }

    /** Metadata blocks built in memory while formatting; allocation comes from the fresh allocator. */
    private static final class MemoryBlocks implements MetadataBlocks {
        private final Allocator allocator;
        private final Map<Long, Block> blocks = new TreeMap<>();

        MemoryBlocks(Allocator allocator) {
            this.allocator = allocator;
        }

        Block fresh(long n) {
            Block b = Block.zeroed(n);
            blocks.put(n, b);
            return b;
        }

        Iterable<Block> all() {
            return blocks.values();
        }

        @Override
        public Block read(long blockNo) {
            Block b = blocks.get(blockNo);
            if (b == null) {
                throw new IllegalStateException("format reads block " + blockNo + " it did not write");
            }
            return b;
        }

        @Override
        public Block modify(long blockNo) {
            return read(blockNo);
        }

        @Override
        public Block allocate(long owner, long goal) throws FsException {
            long[] r = allocator.reserve(goal, 1, false, false);
            return fresh(r[0]);
        }

        @Override
        public void free(long blockNo) {
            throw new IllegalStateException("format frees nothing");
        }
    }
}
