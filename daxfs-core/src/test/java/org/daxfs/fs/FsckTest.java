package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.bytes;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.readFile;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.DirectoryIndex;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;
import org.daxfs.journal.Journal;
import org.daxfs.journal.Transaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fsck without repair: clean images stay clean (fresh, after a rich workload, with orphans), each kind of
 * damage is found with a line naming what is wrong and exit 4, and nothing is ever written.
 */
class FsckTest {
    private Device device;

    @BeforeEach
    void setUp() throws Exception {
        device = Devices.memory(64 * MIB);
        DaxFileSystem.format(device, FormatOptions.defaults());
    }

    @AfterEach
    void tearDown() {
        device.close();
    }

    // ---- clean images ----------------------------------------------------------------------------

    @Test
    void freshImageIsClean() {
        List<Long> progress = new ArrayList<>();
        FsckReport r = Fsck.run(device, false, progress::add);
        assertClean(r);
        assertEquals(1000L, progress.getLast(), "progress ends at 1000");
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) > progress.get(i - 1), "progress goes forward: " + progress);
        }
    }

    @Test
    void richWorkloadIsClean() throws Exception {
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            Workload.populate(fs);
        }
        assertClean(Fsck.run(device, false, null));
        assertClean(Fsck.run(device, true, null));
    }

    @Test
    void unlinkedOpenFilesLeftByACrashAreLegitimateOrphans() throws Exception {
        DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults());
        writeFile(fs, "/kept", pattern(1, 10_000));
        // Both stay open: the handles are abandoned with the file system, as a crash abandons them.
        FileHandle h = fs.open("/orphan", OpenFlag.WRITE, OpenFlag.CREATE);
        h.write(ByteBuffer.wrap(pattern(2, 50_000)), 0);
        fs.unlink("/orphan");
        fs.mkdir("/gone", 0755);
        fs.open("/gone", OpenFlag.READ);
        fs.rmdir("/gone");
        // No close, no unmount: the image is what a crash leaves, with two inodes on the orphan list.
        assertClean(Fsck.run(device, false, null));
        try (DaxFileSystem again = DaxFileSystem.mount(device, MountOptions.defaults())) {
            assertArrayEquals(pattern(1, 10_000), readFile(again, "/kept"));
        }
        assertClean(Fsck.run(device, false, null));
    }

    @Test
    void inodesBeingFreedMayHaveLostTheirBlocks() throws Exception {
        long dir;
        long link;
        long free;
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            fs.mkdir("/d", 0755);
            fs.symlink("/" + "t".repeat(300), "/long");
            dir = fs.stat("/d").ino();
            link = fs.lstat("/long").ino();
            free = fs.statfs().freeBlocks();
        }
        // What a crash leaves between freeing an inode's blocks and freeing the inode (rmdir, unlink).
        try (Surgery s = new Surgery(device)) {
            s.removeEntry(InodeTable.ROOT_INO, "d");
            s.removeEntry(InodeTable.ROOT_INO, "long");
            s.editRecord(InodeTable.ROOT_INO, r -> r.nlink--);
            for (long ino : new long[] {dir, link}) {
                long head = s.superblock().orphanHead();
                s.editRecord(ino, r -> {
                    r.nlink = 0;
                    r.next = head;
                });
                s.editSuperblock(sb -> sb.setOrphanHead(ino));
                s.freeData(ino);
            }
        }
        assertClean(Fsck.run(device, false, null));
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            assertEquals(free + 3, fs.statfs().freeBlocks(), "their blocks stay free and mount frees the inodes");
        }
        assertClean(Fsck.run(device, false, null));
    }

    @Test
    void symlinkWithoutItsTargetBlockIsFoundWhenNotBeingFreed() throws Exception {
        long link;
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            fs.symlink("/" + "t".repeat(300), "/long");
            link = fs.lstat("/long").ino();
        }
        try (Surgery s = new Surgery(device)) {
            s.freeData(link);
        }
        assertProblem(Fsck.run(device, false, null), "inode " + link + " (/long): symlink has no target block");
    }

    // ---- damage found --------------------------------------------------------------------------

    @Test
    void leakedBlockIsFound() throws Exception {
        long leaked;
        try (Surgery s = new Surgery(device)) {
            leaked = s.leakBlock();
        }
        assertProblem(Fsck.run(device, false, null), "block " + leaked + " is marked in use but belongs to nothing");
    }

    @Test
    void blockMarkedFreeWhileInUseIsFound() throws Exception {
        long ino;
        long blk;
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            writeFile(fs, "/f", pattern(3, 3 * 4096));
            ino = fs.stat("/f").ino();
            blk = fs.extents("/f").getFirst().physical() + 1;
        }
        try (Surgery s = new Surgery(device)) {
            s.markFree(blk);
        }
        assertProblem(Fsck.run(device, false, null), "block " + blk + " is in use by inode " + ino + " (data) but marked free");
    }

    @Test
    void wrongLinkCountIsFound() throws Exception {
        long ino = Workload.file(device, "/f", 5000);
        try (Surgery s = new Surgery(device)) {
            s.editRecord(ino, r -> r.nlink = 3);
        }
        assertProblem(Fsck.run(device, false, null), "inode " + ino + " (/f): link count 3, should be 1");
    }

    @Test
    void wrongFreeCountIsFound() throws Exception {
        long free;
        try (Surgery s = new Surgery(device)) {
            free = s.superblock().freeBlocks();
            s.editSuperblock(sb -> sb.setFreeBlocks(free + 7));
        }
        assertProblem(Fsck.run(device, false, null),
                "superblock: free block count " + (free + 7) + ", the bitmap has " + free + " free");
    }

    @Test
    void entryNamingAFreeInodeIsFound() throws Exception {
        try (Surgery s = new Surgery(device)) {
            s.addEntry(InodeTable.ROOT_INO, "ghost", 40, 8);
        }
        assertProblem(Fsck.run(device, false, null), "inode 2 (/): entry 'ghost' names free inode 40");
    }

    @Test
    void bitFlipInAnInodeRecordIsFound() throws Exception {
        long ino = Workload.file(device, "/f", 5000);
        try (Surgery s = new Surgery(device)) {
            s.flipBit(s.recordBlock(ino), (int) (ino % InodeRecord.PER_BLOCK) * InodeRecord.SIZE * 8 + 130);
        }
        FsckReport r = Fsck.run(device, false, null);
        assertProblem(r, "inode " + ino + ": damaged record in block");
        assertProblem(r, "checksum mismatch");
        assertProblem(r, "entry 'f' names damaged inode " + ino);
    }

    @Test
    void bitFlipInADirectoryBlockIsFound() throws Exception {
        long dir;
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            fs.mkdir("/d", 0755);
            writeFile(fs, "/d/x", bytes("x"));
            dir = fs.stat("/d").ino();
        }
        try (Surgery s = new Surgery(device)) {
            s.flipBit(s.fileBlock(dir, 1), 8 * 40 + 3);
        }
        assertProblem(Fsck.run(device, false, null), "inode " + dir + " (/d): block ");
        assertProblem(Fsck.run(device, false, null), "directory " + dir + " block 1: checksum mismatch");
    }

    @Test
    void bitFlipInAnExtentNodeIsFound() throws Exception {
        long ino = Workload.fragmented(device, "/frag", 40);
        long node;
        try (Surgery s = new Surgery(device)) {
            node = s.treeNodes(ino).getFirst();
            s.flipBit(node, 8 * 100 + 1);
        }
        assertProblem(Fsck.run(device, false, null), "inode " + ino + " (/frag): block " + node
                + ": extent node of inode " + ino + ": checksum mismatch");
    }

    @Test
    void bitFlipInTheSuperblockIsFound() throws Exception {
        try (Surgery s = new Surgery(device)) {
            s.flipBit(Superblock.BLOCK_NUMBER, 8 * 44 + 2);
        }
        FsckReport r = Fsck.run(device, false, null);
        assertEquals(List.of("superblock: superblock checksum mismatch"), r.problems());
        assertEquals(FsckReport.EXIT_UNCORRECTED, r.exitCode());
    }

    @Test
    void damagedJournalHeaderAndBitmapAreFound() throws Exception {
        long bitmap;
        try (Surgery s = new Surgery(device)) {
            bitmap = s.superblock().bitmapStart();
        }
        Surgery.flip(device, Journal.START, 8 * 20);
        Surgery.flip(device, bitmap, 8 * 3000);
        FsckReport r = Fsck.run(device, false, null);
        assertProblem(r, "block 1: journal header: checksum mismatch");
        assertProblem(r, "bitmap block 0 (block " + bitmap + "): checksum mismatch");
    }

    @Test
    void blockOwnedTwiceIsFound() throws Exception {
        long a = Workload.file(device, "/a", 4096);
        long b = Workload.file(device, "/b", 4096);
        long shared;
        try (Surgery s = new Surgery(device)) {
            shared = s.extents(a).getFirst().physical();
            s.mapBlock(b, 5, shared);
        }
        assertProblem(Fsck.run(device, false, null), "inode " + b + " (/b): block " + shared
                + " of its data is also claimed by inode " + a + " (data)");
    }

    @Test
    void nameless_andLinklessInodesAreFound() throws Exception {
        long named = Workload.file(device, "/lost", 5000);
        long linkless = Workload.file(device, "/linkless", 5000);
        try (Surgery s = new Surgery(device)) {
            s.removeEntry(InodeTable.ROOT_INO, "lost");
            s.removeEntry(InodeTable.ROOT_INO, "linkless");
            s.editRecord(linkless, r -> r.nlink = 0);
        }
        FsckReport r = Fsck.run(device, false, null);
        assertProblem(r, "inode " + named + ": in use but has no name");
        assertProblem(r, "inode " + linkless + ": has no links and is not on the orphan list");
    }

    @Test
    void brokenListsAreFound() throws Exception {
        long ino = Workload.file(device, "/f", 100);
        try (Surgery s = new Surgery(device)) {
            long head = s.superblock().freeInodeHead();
            s.editRecord(ino, r -> r.next = 77);
            s.editSuperblock(sb -> {
                sb.setOrphanHead(head);
                sb.setFreeInodes(sb.freeInodes() + 3);
            });
        }
        FsckReport r = Fsck.run(device, false, null);
        assertProblem(r, "orphan list: the superblock's head points to inode");
        assertProblem(r, "which is free");
        assertProblem(r, "superblock: free inode count");
    }

    // ---- read only -------------------------------------------------------------------------------

    @Test
    void withoutRepairNothingIsWritten() throws Exception {
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            Workload.populate(fs);
        }
        // Damage, and a committed transaction still in the log that recovery would write home.
        try (Surgery s = new Surgery(device)) {
            s.leakBlock();
            s.addEntry(InodeTable.ROOT_INO, "ghost", 9999, 8);
        }
        Block sb = Surgery.readBlock(device, Superblock.BLOCK_NUMBER);
        Superblock changed = new Superblock(sb.copy());
        changed.setMountCount(changed.mountCount() + 5);
        Surgery.writeLogRecord(device, List.of(changed.block()));
        byte[] before = snapshot(device);
        FsckReport r = Fsck.run(device, false, null);
        assertEquals(FsckReport.EXIT_UNCORRECTED, r.exitCode(), r.problems().toString());
        assertArrayEquals(before, snapshot(device), "fsck without repair wrote to the device");
    }

    @Test
    void journalIsReplayedInMemoryOnly() throws Exception {
        Block good = Surgery.readBlock(device, Superblock.BLOCK_NUMBER);
        try (Surgery s = new Surgery(device)) {
            s.editSuperblock(sb -> sb.setFreeBlocks(sb.freeBlocks() + 5));
        }
        assertProblem(Fsck.run(device, false, null), "superblock: free block count");
        // A whole transaction in the log puts the right superblock back: the check sees it, the disk keeps the wrong one.
        Surgery.writeLogRecord(device, List.of(good));
        byte[] before = snapshot(device);
        assertClean(Fsck.run(device, false, null));
        assertArrayEquals(before, snapshot(device));
        assertClean(Fsck.run(device, true, null));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static void assertClean(FsckReport r) {
        assertEquals(List.of(), r.problems());
        assertEquals(FsckReport.EXIT_CLEAN, r.exitCode());
    }

    static void assertProblem(FsckReport r, String fragment) {
        assertEquals(FsckReport.EXIT_UNCORRECTED, r.exitCode(), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains(fragment)),
                "expected a problem containing \"" + fragment + "\" in " + r.problems());
    }

    static byte[] snapshot(Device device) throws FsException {
        byte[] all = new byte[(int) device.size()];
        device.read(0, MemorySegment.ofArray(all));
        return all;
    }

    // ---- building images -------------------------------------------------------------------------

    /** Workloads that leave images fsck must find clean. */
    static final class Workload {
        private Workload() {
        }

        /** Creates {@code path} holding {@code size} bytes on an unmounted image; returns its inode. */
        static long file(Device device, String path, int size) throws FsException {
            try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
                writeFile(fs, path, pattern(path.hashCode(), size));
                return fs.stat(path).ino();
            }
        }

        /** A file of {@code extents} one-block extents (with holes between), so its tree has nodes. */
        static long fragmented(Device device, String path, int extents) throws FsException {
            try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
                try (FileHandle h = fs.open(path, OpenFlag.WRITE, OpenFlag.CREATE)) {
                    for (int i = 0; i < extents; i++) {
                        h.write(ByteBuffer.wrap(pattern(i, 100)), i * 8192L);
                    }
                }
                return fs.stat(path).ino();
            }
        }

        /** Every kind of file and change the engine has; returns each regular file's expected content. */
        static Map<String, byte[]> populate(DaxFileSystem fs) throws FsException {
            Map<String, byte[]> files = new LinkedHashMap<>();
            fs.mkdir("/a", 0755);
            fs.mkdir("/a/b", 0755);
            fs.mkdir("/a/b/c", 0700);
            int[] sizes = {0, 1, 4095, 4096, 4097, 100_000, (int) MIB + 3, (int) (3 * MIB)};
            for (int i = 0; i < sizes.length; i++) {
                String p = (i % 2 == 0 ? "/a/f" : "/a/b/f") + i;
                writeFile(fs, p, pattern(i, sizes[i]));
                files.put(p, pattern(i, sizes[i]));
            }
            try (FileHandle h = fs.open("/sparse", OpenFlag.WRITE, OpenFlag.CREATE)) {
                h.write(ByteBuffer.wrap(bytes("head")), 0);
                h.write(ByteBuffer.wrap(bytes("tail")), 10 * MIB);
            }
            try (FileHandle h = fs.open("/prealloc", OpenFlag.WRITE, OpenFlag.CREATE)) {
                h.allocate(0, 2 * MIB, true);
                h.allocate(0, MIB / 2, false);
                h.write(ByteBuffer.wrap(bytes("inside")), 12_345);
            }
            fs.symlink("/a/f0", "/short");
            fs.symlink("/a/" + "x/".repeat(100) + "../".repeat(100) + "f2", "/long");
            fs.symlink("x".repeat(DaxFileSystem.INLINE_SYMLINK_MAX), "/exactly-inline");
            fs.link("/a/f2", "/a/b/c/hard");
            fs.link("/a/f2", "/hard2");
            fs.setXattr("/a/f2", "user.color", bytes("blue"), 0);
            fs.setXattr("/a", "user.dir", new byte[1000], 0);
            fs.setXattr("/short", "trusted.t", bytes("v"), 0);
            fs.rename("/a/b/f1", "/moved");
            files.put("/moved", files.remove("/a/b/f1"));
            fs.rename("/a/b/c", "/c2");
            fs.rename("/a/f4", "/a/f6");
            files.put("/a/f6", files.remove("/a/f4"));
            fs.rename("/a/f0", "/moved", RenameFlag.EXCHANGE);
            byte[] m = files.get("/moved");
            files.put("/moved", files.get("/a/f0"));
            files.put("/a/f0", m);
            FileHandle open = fs.open("/tmp", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
            open.write(ByteBuffer.wrap(pattern(9, 70_000)), 0);
            fs.unlink("/tmp");
            open.close();
            writeFile(fs, "/shrink", pattern(10, 50_000));
            fs.truncate("/shrink", 5000);
            fs.truncate("/shrink", 9000);
            byte[] shrunk = new byte[9000];
            System.arraycopy(pattern(10, 50_000), 0, shrunk, 0, 5000);
            files.put("/shrink", shrunk);
            try (FileHandle h = fs.open("/frag", OpenFlag.WRITE, OpenFlag.CREATE)) {
                for (int i = 0; i < 600; i++) {
                    h.write(ByteBuffer.wrap(pattern(i, 100)), i * 8192L);
                }
            }
            fs.truncate("/frag", 100 * 8192L);
            fs.mkdir("/big", 0755);
            for (int i = 0; i < 400; i++) {
                writeFile(fs, "/big/entry-with-a-longish-name-" + i, bytes("#" + i));
            }
            for (int i = 0; i < 400; i += 3) {
                fs.unlink("/big/entry-with-a-longish-name-" + i);
            }
            fs.mkdir("/empty", 0755);
            fs.rmdir("/empty");
            return files;
        }
    }

    /**
     * Precise changes to an unmounted image's metadata, through the journal as the engine makes them, or
     * raw bit flips: how the tests damage images.
     */
    static final class Surgery implements AutoCloseable {
        private final Device device;
        private final Journal journal;
        private final Allocator allocator;
        private final InodeTable table;

        Surgery(Device device) throws FsException {
            this.device = device;
            this.journal = Journal.recover(device, false);
            Superblock sb = new Superblock(journal.committed().read(Superblock.BLOCK_NUMBER));
            this.allocator = Allocator.load(journal.committed(), sb);
            journal.attach(allocator);
            this.table = new InodeTable(journal, allocator);
        }

        @Override
        public void close() throws FsException {
            journal.quiesce();
        }

        interface Edit<T> {
            void apply(T t) throws FsException;
        }

        Superblock superblock() throws FsException {
            return new Superblock(journal.committed().read(Superblock.BLOCK_NUMBER));
        }

        void editSuperblock(Edit<Superblock> edit) throws FsException {
            try (Transaction txn = journal.begin()) {
                edit.apply(new Superblock(txn.modify(Superblock.BLOCK_NUMBER)));
                txn.commit();
            }
        }

        void editRecord(long ino, Edit<InodeRecord> edit) throws FsException {
            try (Transaction txn = journal.begin()) {
                InodeRecord r = table.read(txn, ino);
                edit.apply(r);
                table.write(txn, new Inode(ino, r));
                txn.commit();
            }
        }

        /** Changes inode {@code ino}'s xattr block in place, through the journal; the edit reseals it. */
        void editXattrBlock(long ino, Edit<Block> edit) throws FsException {
            try (Transaction txn = journal.begin()) {
                edit.apply(txn.modify(table.read(txn, ino).xattrBlock));
                txn.commit();
            }
        }

        long recordBlock(long ino) throws FsException {
            return table.blockOf(journal.committed(), ino);
        }

        /** Marks a free data block in use, belonging to nobody. */
        long leakBlock() throws FsException {
            try (Transaction txn = journal.begin()) {
                long[] run = allocator.reserve(0, 1, true, false);
                txn.claim(run[0], 1);
                txn.commit();
                return run[0];
            }
        }

        void markFree(long blk) throws FsException {
            try (Transaction txn = journal.begin()) {
                allocator.markFree(txn, blk, 1);
                txn.commit();
            }
        }

        private DirectoryIndex index(MetadataBlocks mb, long dir, InodeRecord r) throws FsException {
            long seed = superblock().hashSeed();
            return new DirectoryIndex(new DirectoryBlocks(mb, dir, r), seed);
        }

        void addEntry(long dir, String name, long ino, int type) throws FsException {
            try (Transaction txn = journal.begin()) {
                InodeRecord r = table.read(txn, dir);
                index(txn, dir, r).add(bytes(name), ino, type);
                table.write(txn, new Inode(dir, r));
                txn.commit();
            }
        }

        void removeEntry(long dir, String name) throws FsException {
            try (Transaction txn = journal.begin()) {
                InodeRecord r = table.read(txn, dir);
                index(txn, dir, r).remove(bytes(name));
                table.write(txn, new Inode(dir, r));
                txn.commit();
            }
        }

        /** Maps device block {@code physical} at {@code logical} of file {@code ino}, counting it. */
        void mapBlock(long ino, long logical, long physical) throws FsException {
            try (Transaction txn = journal.begin()) {
                InodeRecord r = table.read(txn, ino);
                new ExtentTree(txn, r.root, ino).insert(new Extent(logical, physical, 1, false));
                r.blocks++;
                table.write(txn, new Inode(ino, r));
                txn.commit();
            }
        }

        /** Unmaps and frees every data block of {@code ino}, keeping its count right, as truncate does. */
        void freeData(long ino) throws FsException {
            try (Transaction txn = journal.begin()) {
                InodeRecord r = table.read(txn, ino);
                for (Extent e : new ExtentTree(txn, r.root, ino).remove(0, ExtentTree.MAX_LOGICAL)) {
                    txn.freeRange(e.physical(), e.length());
                    r.blocks -= e.length();
                }
                table.write(txn, new Inode(ino, r));
                txn.commit();
            }
        }

        List<Extent> extents(long ino) throws FsException {
            InodeRecord r = table.read(journal.committed(), ino);
            return new ExtentTree(journal.committed(), r.root, ino).all();
        }

        /** The device block at logical block {@code logical} of inode {@code ino}. */
        long fileBlock(long ino, long logical) throws FsException {
            InodeRecord r = table.read(journal.committed(), ino);
            return new ExtentTree(journal.committed(), r.root, ino).find(logical).physicalOf(logical);
        }

        List<Long> treeNodes(long ino) throws FsException {
            InodeRecord r = table.read(journal.committed(), ino);
            List<Long> out = new ArrayList<>();
            new ExtentTree(journal.committed(), r.root, ino).forEachNode(out::add);
            return out;
        }

        /**
         * Flips bit {@code bit} of block {@code blk} on the device, bypassing the journal (not the journal
         * header, which {@link #close()} rewrites: flip that after closing, with {@link #flip}).
         */
        void flipBit(long blk, int bit) throws FsException {
            flip(device, blk, bit);
        }

        static void flip(Device device, long blk, int bit) throws FsException {
            long at = blk * Block.SIZE + bit / 8;
            byte[] one = new byte[1];
            device.read(at, one, 0, 1);
            one[0] ^= (byte) (1 << (bit % 8));
            device.write(at, one, 0, 1);
        }

        static Block readBlock(Device device, long n) throws FsException {
            byte[] data = new byte[Block.SIZE];
            device.read(n * Block.SIZE, data, 0, Block.SIZE);
            return new Block(n, data);
        }

        /**
         * Writes {@code images} into the log as one whole committed transaction that recovery will replay
         * (its sequence number is the header's), without writing them home: what a crash right after a
         * commit's first flush leaves.
         */
        static void writeLogRecord(Device device, List<Block> images) throws FsException {
            long seq = readBlock(device, Journal.START).getLong(Block.HEADER_END);
            long log = Journal.START + 1;
            Block d = Block.zeroed(log);
            d.init(Journal.DESCRIPTOR_MAGIC, 0);
            d.putLong(16, seq);
            d.putInt(24, images.size());
            for (int i = 0; i < images.size(); i++) {
                d.putLong(32 + 8 * i, images.get(i).number());
            }
            d.seal();
            CRC32C all = new CRC32C();
            all.update(d.data());
            device.write(log * Block.SIZE, d.data(), 0, Block.SIZE);
            for (int i = 0; i < images.size(); i++) {
                all.update(images.get(i).data());
                device.write((log + 1 + i) * Block.SIZE, images.get(i).data(), 0, Block.SIZE);
            }
            Block c = Block.zeroed(log + images.size() + 1);
            c.init(Journal.COMMIT_MAGIC, 0);
            c.putLong(16, seq);
            c.putInt(24, images.size());
            c.putInt(28, (int) all.getValue());
            c.seal();
            device.write(c.number() * Block.SIZE, c.data(), 0, Block.SIZE);
        }
    }
}
