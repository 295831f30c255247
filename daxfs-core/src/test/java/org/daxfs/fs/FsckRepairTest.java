package org.daxfs.fs;

import static org.daxfs.fs.FsckTest.assertClean;
import static org.daxfs.fs.FsckTest.assertProblem;
import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.bytes;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.readFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.format.Block;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.Superblock;
import org.daxfs.fs.FsckTest.Surgery;
import org.daxfs.fs.FsckTest.Workload;
import org.daxfs.journal.Journal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fsck with repair: each repairable kind of damage is corrected (exit 1), a second check is clean, and
 * the image mounts with its files intact; damage fsck cannot repair is left (exit 4) and made no worse.
 */
class FsckRepairTest {
    private Device device;
    private Map<String, byte[]> files;

    @BeforeEach
    void setUp() throws Exception {
        device = Devices.memory(64 * MIB);
        DaxFileSystem.format(device, FormatOptions.defaults());
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            files = Workload.populate(fs);
        }
        assertClean(Fsck.run(device, false, null));
    }

    @AfterEach
    void tearDown() {
        device.close();
    }

    private long ino(String path) throws FsException {
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults().withReadOnly(true))) {
            return fs.stat(path).ino();
        }
    }

    /** Repairs: the check without repair found {@code fragment}; repair corrects everything it found. */
    private FsckReport repairs(String fragment) throws FsException {
        assertProblem(Fsck.run(device, false, null), fragment);
        FsckReport r = Fsck.run(device, true, null);
        assertEquals(FsckReport.EXIT_CORRECTED, r.exitCode(), r.problems().toString());
        assertEquals(r.problems().size(), r.corrected());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains(fragment)), r.problems().toString());
        assertClean(Fsck.run(device, false, null));
        assertFilesReadBack();
        return r;
    }

    /** Mounts, reads every file the workload left, unmounts; the image stays clean. */
    private void assertFilesReadBack() throws FsException {
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                assertArrayEquals(f.getValue(), readFile(fs, f.getKey()), f.getKey());
            }
        }
        assertClean(Fsck.run(device, false, null));
    }

    @Test
    void leakedBlockIsFreed() throws Exception {
        long leaked;
        long free;
        try (Surgery s = new Surgery(device)) {
            free = s.superblock().freeBlocks();
            leaked = s.leakBlock();
        }
        repairs("block " + leaked + " is marked in use but belongs to nothing");
        try (Surgery s = new Surgery(device)) {
            assertEquals(free, s.superblock().freeBlocks());
        }
    }

    @Test
    void blockMarkedFreeIsMarkedInUse() throws Exception {
        long ino = ino("/a/f6");
        long blk;
        try (Surgery s = new Surgery(device)) {
            blk = s.extents(ino).getFirst().physical();
            s.markFree(blk);
        }
        repairs("block " + blk + " is in use by inode " + ino + " (data) but marked free");
    }

    @Test
    void wrongLinkCountIsSet() throws Exception {
        long ino = ino("/hard2");
        try (Surgery s = new Surgery(device)) {
            s.editRecord(ino, r -> r.nlink = 1);
        }
        // The path shown is the first name the walk meets, so only the numbers are checked.
        repairs("link count 1, should be 3");
    }

    @Test
    void wrongDirectoryLinkCountAndParentAreSet() throws Exception {
        long a = ino("/a");
        long b = ino("/a/b");
        try (Surgery s = new Surgery(device)) {
            s.editRecord(a, r -> r.nlink = 7);
            s.editRecord(b, r -> r.parent = InodeTable.ROOT_INO);
        }
        repairs("inode " + a + " (/a): link count 7, should be 3");
        assertProblemWasFixed("inode " + b + " (/a/b): parent is inode 2, should be " + a);
    }

    private long blocksOf(long ino) throws FsException {
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults().withReadOnly(true))) {
            return fs.stat("/a/f2").blocks() / Block.SIZE;
        }
    }

    private void assertProblemWasFixed(String fragment) throws FsException {
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults().withReadOnly(true))) {
            assertEquals(fs.stat("/a").ino(), fs.stat("/a/b/..").ino(), fragment);
        }
    }

    @Test
    void wrongFreeCountsAreSet() throws Exception {
        try (Surgery s = new Surgery(device)) {
            s.editSuperblock(sb -> {
                sb.setFreeBlocks(sb.freeBlocks() - 100);
                sb.setFreeInodes(sb.freeInodes() + 2);
            });
        }
        FsckReport r = repairs("superblock: free block count");
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("superblock: free inode count")), r.problems().toString());
    }

    @Test
    void wrongBlockCountIsSet() throws Exception {
        long ino = ino("/a/f2");
        try (Surgery s = new Surgery(device)) {
            s.editRecord(ino, r -> r.blocks += 5);
        }
        assertProblem(Fsck.run(device, false, null), "inode " + ino + " (");
        repairs("block count " + (blocksOf(ino)) + ", should be ");
    }

    @Test
    void entryNamingAFreeInodeIsRemoved() throws Exception {
        long free;
        try (Surgery s = new Surgery(device)) {
            free = s.superblock().freeInodeHead();
            s.addEntry(ino("/a/b"), "ghost", free, 8);
        }
        repairs("inode " + ino("/a/b") + " (/a/b): entry 'ghost' names free inode " + free);
    }

    @Test
    void entryOfTheWrongTypeIsRetyped() throws Exception {
        long f = ino("/a/f2");
        try (Surgery s = new Surgery(device)) {
            s.removeEntry(InodeTable.ROOT_INO, "hard2");
            s.addEntry(InodeTable.ROOT_INO, "hard2", f, 4);
        }
        repairs("entry 'hard2' has type 4, but inode " + f + " is a regular file");
    }

    @Test
    void damagedInodeRecordIsClearedAndItsNamesRemoved() throws Exception {
        long ino = ino("/moved");
        long free;
        try (Surgery s = new Surgery(device)) {
            free = s.superblock().freeBlocks();
            s.flipBit(s.recordBlock(ino), (int) (ino % InodeRecord.PER_BLOCK) * InodeRecord.SIZE * 8 + 70);
        }
        files.remove("/moved");
        repairs("inode " + ino + ": damaged record in block");
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            assertFalse(fs.readdir("/").stream().anyMatch(e -> e.name().equals("moved")));
            assertTrue(fs.statfs().freeBlocks() > free, "the cleared file's blocks are free again");
        }
    }

    @Test
    void damagedBitmapBlockIsRewritten() throws Exception {
        long bitmap;
        try (Surgery s = new Surgery(device)) {
            bitmap = s.superblock().bitmapStart();
        }
        Surgery.flip(device, bitmap, 8 * 2000 + 5);
        repairs("bitmap block 0 (block " + bitmap + "): checksum mismatch");
    }

    @Test
    void damagedJournalHeaderIsRewritten() throws Exception {
        Surgery.flip(device, Journal.START, 8 * 17);
        repairs("block 1: journal header: checksum mismatch");
    }

    @Test
    void journalSizeThatDisagreesWithTheSuperblockIsRewritten() throws Exception {
        long size;
        try (Surgery s = new Surgery(device)) {
            size = s.superblock().journalBlocks();
        }
        device.write(Journal.START * Block.SIZE, Journal.emptyHeader(size - 10, 50).data(), 0, Block.SIZE);
        repairs("journal header: journal of " + (size - 10) + " blocks, the superblock says " + size);
    }

    @Test
    void namelessInodesGoToLostAndFound() throws Exception {
        long file = ino("/a/f6");
        long dir = ino("/c2");
        try (Surgery s = new Surgery(device)) {
            s.removeEntry(ino("/a"), "f6");
            s.removeEntry(InodeTable.ROOT_INO, "c2");
        }
        files.put("/lost+found/#" + file, files.remove("/a/f6"));
        repairs("inode " + file + ": in use but has no name");
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            assertTrue(fs.stat("/lost+found/#" + dir).isDirectory());
            assertEquals(fs.stat("/a/f2").ino(), fs.stat("/lost+found/#" + dir + "/hard").ino());
            assertEquals(fs.stat("/lost+found").ino(), fs.stat("/lost+found/#" + dir + "/..").ino());
            assertEquals(3, fs.stat("/lost+found").nlink());
        }
    }

    @Test
    void linklessInodeGoesOnTheOrphanListAndIsFreedAtMount() throws Exception {
        long ino = ino("/a/f6");
        long free;
        try (Surgery s = new Surgery(device)) {
            s.removeEntry(ino("/a"), "f6");
            s.editRecord(ino, r -> r.nlink = 0);
            free = s.superblock().freeBlocks();
        }
        files.remove("/a/f6");
        repairs("inode " + ino + ": has no links and is not on the orphan list");
        try (Surgery s = new Surgery(device)) {
            assertTrue(s.superblock().freeBlocks() > free, "the next mount freed the orphan");
        }
    }

    @Test
    void brokenFreeInodeAndOrphanListsAreRebuilt() throws Exception {
        long ino = ino("/a/f2");
        try (Surgery s = new Surgery(device)) {
            long head = s.superblock().freeInodeHead();
            s.editRecord(head, r -> r.next = ino);
            s.editSuperblock(sb -> sb.setOrphanHead(head));
        }
        FsckReport r = repairs("free-inode list: inode");
        assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("orphan list:")), r.problems().toString());
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            for (int i = 0; i < 300; i++) {
                TestImages.writeFile(fs, "/new" + i, bytes("n" + i));
            }
        }
        assertClean(Fsck.run(device, false, null));
    }

    // ---- what repair leaves alone ----------------------------------------------------------------

    private void leftAlone(String fragment) throws FsException {
        assertProblem(Fsck.run(device, false, null), fragment);
        FsckReport r = Fsck.run(device, true, null);
        assertEquals(FsckReport.EXIT_UNCORRECTED, r.exitCode(), r.problems().toString());
        assertTrue(r.corrected() < r.problems().size());
        assertProblem(Fsck.run(device, false, null), fragment);
    }

    @Test
    void damagedSuperblockIsLeftAlone() throws Exception {
        Surgery.flip(device, Superblock.BLOCK_NUMBER, 8 * 60);
        byte[] before = FsckTest.snapshot(device);
        leftAlone("superblock: superblock checksum mismatch");
        assertArrayEquals(before, FsckTest.snapshot(device), "nothing can be repaired without a superblock");
    }

    @Test
    void damagedDirectoryIsLeftAloneAndNothingIsFreed() throws Exception {
        long dir = ino("/big");
        long free;
        try (Surgery s = new Surgery(device)) {
            free = s.superblock().freeBlocks();
            s.flipBit(s.fileBlock(dir, 1), 8 * 100);
        }
        leftAlone("inode " + dir + " (/big): block ");
        try (Surgery s = new Surgery(device)) {
            assertEquals(free, s.superblock().freeBlocks(), "files named only in the damaged directory keep their blocks");
        }
        files.keySet().removeIf(p -> p.startsWith("/big/"));
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults().withReadOnly(true))) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                assertArrayEquals(f.getValue(), readFile(fs, f.getKey()), f.getKey());
            }
        }
    }

    @Test
    void damagedExtentTreeIsLeftAlone() throws Exception {
        long ino = ino("/frag");
        try (Surgery s = new Surgery(device)) {
            s.flipBit(s.treeNodes(ino).getFirst(), 8 * 64);
        }
        leftAlone("inode " + ino + " (/frag): block ");
    }

    @Test
    void blockOwnedTwiceIsLeftAlone() throws Exception {
        long a = ino("/a/f2");
        long b = ino("/a/f6");
        try (Surgery s = new Surgery(device)) {
            s.mapBlock(b, 1000, s.extents(a).getFirst().physical());
        }
        leftAlone("is also claimed by inode " + a + " (data)");
    }
}
