package org.daxfs.stress;

import static org.daxfs.stress.FileModel.BLOCK;
import static org.daxfs.stress.FileModel.MAX_FILE_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.daxfs.Errno;
import org.daxfs.format.Block;
import org.daxfs.format.ExtentTree;
import org.daxfs.fs.DaxMode;
import org.junit.jupiter.api.Test;

/** The model itself: Linux's answers for the cases the checker holds DaxFS to. */
class FileModelTest {
    private final FileModel m = new FileModel(1, "/f");

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void writePastEndLeavesAHoleOfZeros() {
        assertEquals(3, m.write(10_000, filled(3, 7), false).value());
        assertEquals(10_003, m.size());
        Outcome r = m.read(9_998, 10);
        assertEquals(5, r.value());
        assertArrayEquals(new byte[] {0, 0, 7, 7, 7}, r.data());
        assertEquals("[2,3)", m.allocated().toString());
        assertEquals(-1, m.read(10_003, 1).value());
        assertEquals(0, m.read(10_003, 0).value());
    }

    @Test
    void truncateDownZeroesWhatComesBackOnTheWayUp() {
        m.write(0, filled(3 * BLOCK, 9), false);
        m.truncate(BLOCK + 100);
        assertEquals("[0,2)", m.allocated().toString());
        m.truncate(3 * BLOCK);
        assertArrayEquals(new byte[] {9, 0}, m.read(BLOCK + 99, 2).data());
        assertArrayEquals(new byte[BLOCK], m.read(2 * BLOCK, BLOCK).data());
    }

    @Test
    void preallocationKeepsOrExtendsTheSize() {
        m.write(0, filled(100, 1), false);
        assertEquals(Outcome.ok(), m.allocate(BLOCK * 4L, 10, true));
        assertEquals(100, m.size());
        assertEquals("[0,1) [4,5)", m.allocated().toString());
        m.allocate(BLOCK, 5, false);
        assertEquals(BLOCK + 5, m.size());
        assertEquals("[0,2) [4,5)", m.allocated().toString());
    }

    @Test
    void truncateToTheSameSizeGivesBackBlocksPastTheEndButGrowingKeepsThem() {
        m.write(0, filled(3, 1), false);
        m.allocate(0, 1 << 20, true);
        m.truncate(100);
        assertEquals(256, m.allocated().count(), "growing keeps preallocated blocks");
        m.truncate(100);
        assertEquals(1, m.allocated().count(), "the same size frees them, as ext4 and XFS do");
    }

    @Test
    void appendingHandleWritesAtTheEndButStillRejectsANegativeOffset() {
        m.write(0, filled(10, 1), false);
        m.reopen(true, false);
        assertEquals(5, m.write(3, filled(5, 2), false).value());
        assertEquals(15, m.size());
        assertEquals(Errno.EINVAL, m.write(-1, filled(5, 2), false).errno());
        assertEquals(15, m.landing(3, false));
        assertEquals(Outcome.ok(), m.reopen(false, true));
        assertEquals(0, m.size());
        assertEquals(0, m.allocated().count());
    }

    @Test
    void limitsAndErrors() {
        assertEquals(Errno.EINVAL, m.read(-1, 1).errno());
        assertEquals(Errno.EINVAL, m.write(-1, new byte[0], false).errno());
        assertEquals(Errno.EFBIG, m.write(MAX_FILE_SIZE, filled(1, 1), false).errno());
        assertEquals(0, m.write(MAX_FILE_SIZE + 5, new byte[0], false).value(), "nothing to write is no error");
        assertEquals(4, m.write(MAX_FILE_SIZE - 4, filled(10, 3), false).value(), "cut short at the limit");
        assertEquals(MAX_FILE_SIZE, m.size());
        assertEquals(Errno.EFBIG, m.write(0, filled(1, 1), true).errno(), "appending at the limit");
        assertEquals(Errno.EINVAL, m.truncate(-1).errno());
        assertEquals(Errno.EFBIG, m.truncate(MAX_FILE_SIZE + 1).errno());
        assertNull(m.truncate(MAX_FILE_SIZE).errno());
        assertEquals(Errno.EINVAL, m.allocate(0, 0, false).errno());
        assertEquals(Errno.EINVAL, m.allocate(-5, 10, true).errno());
        assertEquals(Errno.EFBIG, m.allocate(MAX_FILE_SIZE - 10, 11, false).errno());
        assertEquals(Errno.EFBIG, m.allocate(Long.MAX_VALUE - 10, 100, true).errno(), "an end past Long.MAX_VALUE");
        assertNull(m.allocate(MAX_FILE_SIZE - 10, 10, true).errno());
    }

    @Test
    void theLimitIsTheEngines() {
        assertEquals(ExtentTree.MAX_LOGICAL * Block.SIZE, MAX_FILE_SIZE);
    }

    @Test
    void contentRangesAreWholePagesMerged() {
        m.write(5, filled(1, 1), false);
        m.write(BLOCK + 5, filled(1, 1), false);
        m.write(10L * BLOCK, filled(1, 1), false);
        assertEquals(2, m.contentRanges().size());
        assertArrayEquals(new long[] {0, 2L * BLOCK}, m.contentRanges().get(0));
    }

    @Test
    void punchHoleClipsAtTheBlockHoldingEofAndFreesWholeBlocks() {
        m.write(0, filled(2 * BLOCK + 10, 5), false);
        m.allocate(0, 6 * BLOCK, true);
        assertEquals(Outcome.ok(), m.punchHole(5 * BLOCK, BLOCK));
        assertEquals("[0,6)", m.allocated().toString());
        assertEquals(Outcome.ok(), m.punchHole(100, 100 * BLOCK));
        assertEquals("[0,1) [3,6)", m.allocated().toString());
        assertArrayEquals(filled(2, 5), m.read(98, 2).data());
        assertArrayEquals(new byte[2], m.read(100, 2).data());
        assertEquals(2 * BLOCK + 10, m.size());
        assertEquals(Errno.EINVAL, m.punchHole(-1, 1).errno());
        assertEquals(Errno.EFBIG, m.punchHole(MAX_FILE_SIZE, 1).errno());
    }

    @Test
    void zeroRangeAllocatesEveryTouchedBlockAndGrowsUnlessKeepSize() {
        m.write(0, filled(BLOCK, 5), false);
        assertEquals(Outcome.ok(), m.zeroRange(10, 2 * BLOCK, true));
        assertEquals(BLOCK, m.size());
        assertEquals("[0,3)", m.allocated().toString());
        assertArrayEquals(filled(10, 5), m.read(0, 10).data());
        assertEquals(Outcome.ok(), m.zeroRange(5, 3 * BLOCK, false));
        assertEquals(3 * BLOCK + 5, m.size());
        assertEquals("[0,4)", m.allocated().toString());
    }

    @Test
    void collapseAndInsertMoveDataAndBlocks() {
        m.write(0, filled(BLOCK, 1), false);
        m.write(BLOCK, filled(BLOCK, 2), false);
        m.write(3 * BLOCK, filled(BLOCK, 3), false);
        assertEquals(Errno.EINVAL, m.collapseRange(BLOCK, 3 * BLOCK).errno(), "reaches EOF");
        assertEquals(Errno.EINVAL, m.collapseRange(1, BLOCK).errno());
        assertEquals(Outcome.ok(), m.collapseRange(BLOCK, BLOCK));
        assertEquals(3 * BLOCK, m.size());
        assertEquals("[0,1) [2,3)", m.allocated().toString());
        assertArrayEquals(filled(1, 3), m.read(2 * BLOCK, 1).data());
        assertEquals(Errno.EINVAL, m.insertRange(3 * BLOCK, BLOCK).errno(), "at EOF");
        assertEquals(Errno.EFBIG, m.insertRange(3 * BLOCK, MAX_FILE_SIZE - 2 * BLOCK).errno(), "size limit before EOF");
        assertEquals(Outcome.ok(), m.insertRange(0, 2 * BLOCK));
        assertEquals(5 * BLOCK, m.size());
        assertEquals("[2,3) [4,5)", m.allocated().toString());
        assertArrayEquals(filled(1, 1), m.read(2 * BLOCK, 1).data());
        assertArrayEquals(new byte[1], m.read(0, 1).data());
    }

    @Test
    void insertRangeRefusesToMovePreallocationPastTheLimit() {
        m.write(0, filled(BLOCK, 1), false);
        m.allocate(MAX_FILE_SIZE - BLOCK, BLOCK, true);
        assertEquals(Errno.EFBIG, m.insertRange(0, BLOCK).errno());
        assertEquals(BLOCK, m.size());
    }

    @Test
    void mappingsNeverExtendTheFileAndRejectWhatMmapRejects() {
        assertEquals(Errno.ENXIO, m.mapRead(0, 1).errno(), "an empty file has nothing to map");
        m.write(0, filled(3 * BLOCK, 4), false);
        assertEquals(Errno.EINVAL, m.mapRead(-1, 10).errno());
        assertEquals(Errno.EINVAL, m.mapRead(Long.MIN_VALUE, 10).errno());
        assertEquals(Errno.EINVAL, m.mapRead(0, 0).errno());
        assertEquals(Errno.EINVAL, m.mapRead(0, -1).errno());
        assertEquals(Errno.EINVAL, m.mapRead(Long.MAX_VALUE - 10, 2 * BLOCK).errno(), "an end past Long.MAX_VALUE");
        assertEquals(Errno.EINVAL, m.mapRead(5 * BLOCK, 0).errno(), "EINVAL before ENXIO");
        assertEquals(Errno.ENXIO, m.mapRead(3 * BLOCK - 1, 2).errno());
        assertEquals(Errno.ENXIO, m.mapWrite(3 * BLOCK, 1, 3 * BLOCK, new byte[0], false).errno());
        Outcome r = m.mapRead(3 * BLOCK - 5, 5);
        assertEquals(5, r.value());
        assertArrayEquals(filled(5, 4), r.data());
        assertEquals(Errno.ENXIO, m.hold(0, 3 * BLOCK + 1).errno());
        assertEquals(false, m.holding(), "a failed mapping holds nothing");
        assertEquals(3 * BLOCK, m.size());
        assertEquals("[0,3)", m.allocated().toString());
    }

    @Test
    void writableMappingsNeedAWritableHandle() {
        m.write(0, filled(BLOCK, 4), false);
        m.handleReadOnly();
        assertEquals(Errno.EACCES, m.mapWrite(0, 10, 0, filled(10, 1), false).errno());
        assertEquals(Errno.EACCES, m.mapWrite(-1, 0, 0, new byte[0], false).errno(), "EACCES before EINVAL");
        assertEquals(Errno.EACCES, m.mapWrite(0, 10, 0, filled(10, 1), true).errno(), "EACCES before EOPNOTSUPP");
        assertEquals(10, m.mapRead(0, 10).value(), "reading needs no more than a readable handle");
        assertArrayEquals(filled(10, 4), m.read(0, 10).data());
    }

    @Test
    void syncMappingsNeedAFileThatIsDaxNow() {
        m.write(0, filled(BLOCK, 4), false);
        assertEquals(false, m.daxActive(), "no DAX flag");
        assertEquals(Errno.EOPNOTSUPP, m.mapWrite(0, 10, 0, filled(10, 1), true).errno());
        assertEquals(Errno.EOPNOTSUPP, m.mapWrite(-1, 0, 0, new byte[0], true).errno(), "EOPNOTSUPP before EINVAL");
        assertEquals(Errno.EOPNOTSUPP, m.mapWrite(BLOCK, 10, BLOCK, new byte[0], true).errno(), "and before ENXIO");
        assertEquals(Outcome.ok(10), m.mapWrite(0, 10, 0, filled(10, 1), false), "a cached file maps");
        m.setDax(true);
        assertEquals(Outcome.ok(10), m.mapWrite(10, 10, 10, filled(10, 2), true));
        assertEquals(Errno.ENXIO, m.mapWrite(BLOCK, 10, BLOCK, new byte[0], true).errno());
        assertEquals(Errno.EOPNOTSUPP, m.mapWrite(0, 10, 0, filled(10, 1), true, false).errno(), "as the mode says");
    }

    @Test
    void theMountsPolicyDecidesWhichFilesAreDax() {
        assertEquals(true, new DaxPolicy(DaxMode.ALWAYS, true).active(false));
        assertEquals(false, new DaxPolicy(DaxMode.NEVER, true).active(true));
        assertEquals(true, new DaxPolicy(DaxMode.INODE, true).active(true));
        assertEquals(false, new DaxPolicy(DaxMode.INODE, true).active(false));
        assertEquals(false, new DaxPolicy(DaxMode.INODE, false).active(true), "a block-only device has no DAX files");
        assertEquals(new DaxPolicy(DaxMode.NEVER, false), DaxPolicy.of(null, false));
        assertEquals(new DaxPolicy(DaxMode.INODE, true), DaxPolicy.of(null, true));
        assertEquals(new DaxPolicy(DaxMode.ALWAYS, true), DaxPolicy.of(DaxMode.ALWAYS, true));

        FileModel never = new FileModel(1, "/f", true, new DaxPolicy(DaxMode.NEVER, true));
        never.truncate(BLOCK);
        never.hold(0, 10);
        never.setDax(false);
        assertEquals(10, never.readHeld(0, 10).value(), "a flag that changes no mode revokes nothing");
        assertEquals(false, never.daxActive());
    }

    @Test
    void handlesOfOneFileShareItsContentsAndHaveMappingsOfTheirOwn() {
        FileModel other = m.anotherHandle();
        m.write(0, filled(2 * BLOCK, 3), false);
        assertEquals(2 * BLOCK, other.size());
        assertArrayEquals(filled(10, 3), other.read(0, 10).data());
        other.reopen(true, false);
        assertEquals(false, m.appending(), "APPEND belongs to a handle");
        m.hold(0, 10);
        other.hold(BLOCK, 10);
        other.punchHole(0, 1);
        assertEquals(Outcome.revoked(), m.readHeld(0, 1), "a punch through one handle revokes the other's mapping");
        assertEquals(10, other.readHeld(0, 10).value());
        m.hold(0, 10);
        other.setDax(true);
        assertEquals(Outcome.revoked(), m.readHeld(0, 1), "switching to DAX revokes every mapping");
        assertEquals(Outcome.revoked(), other.readHeld(0, 1));
        assertEquals(true, m.daxActive());
    }

    @Test
    void aWritableMappingAllocatesWholeBlocksOfItsPagesAndKeepsTheSize() {
        m.truncate(6000);
        m.allocate(0, 10, true);
        byte[] stored = filled(10, 9);
        assertEquals(Outcome.ok(10), m.mapWrite(5000, 1000, 5500, stored, false));
        assertEquals(6000, m.size());
        assertEquals("[0,2)", m.allocated().toString(), "block 1 whole, for 1000 bytes of it");
        assertArrayEquals(new byte[500], m.read(5000, 500).data());
        assertArrayEquals(stored, m.read(5500, 10).data());
        assertEquals(Outcome.ok(0), m.mapWrite(100, 1, 100, new byte[0], false), "mapped, nothing stored");
        assertArrayEquals(new byte[10], m.read(0, 10).data());
    }

    @Test
    void theHeldMappingShowsWritesAndIsRevokedByRangeOperationsOverItsPages() {
        m.truncate(8 * BLOCK);
        assertEquals(BLOCK + 100, m.hold(5000, BLOCK + 100).value());
        assertEquals(5000, m.heldOffset());
        // Pages [1, 3): the mapping covers bytes [5000, 9196).
        m.write(6000, filled(3, 7), false);
        m.mapWrite(8 * BLOCK - 10, 10, 8 * BLOCK - 10, filled(10, 8), false);
        assertArrayEquals(filled(3, 7), m.readHeld(1000, 3).data(), "a write into a hole shows up");
        m.punchHole(3 * BLOCK, BLOCK);
        m.punchHole(0, BLOCK);
        m.zeroRange(6 * BLOCK, 1, true);
        m.collapseRange(4 * BLOCK, BLOCK);
        m.insertRange(4 * BLOCK, BLOCK);
        m.truncate(9 * BLOCK);
        assertEquals(3, m.readHeld(1000, 3).value(), "nothing touched pages 1 and 2");
        m.punchHole(3 * BLOCK - 1, 1);
        assertEquals(Outcome.revoked(), m.readHeld(0, 1), "one byte of page 2 revokes it");
        assertEquals(false, m.holding(), "dropped once found revoked");

        m.hold(5000, 10);
        m.truncate(BLOCK + 1);
        assertEquals(Outcome.revoked(), m.readHeld(0, 1), "truncate revokes from the page of the new size");
        m.truncate(2 * BLOCK + 100);
        m.hold(2 * BLOCK, 100);
        m.truncate(2 * BLOCK + 200);
        assertEquals(Outcome.revoked(), m.readHeld(0, 1), "growing too, within the page");
        m.hold(BLOCK, 10);
        assertEquals(Errno.EINVAL, m.punchHole(0, 0).errno());
        assertEquals(Errno.EINVAL, m.collapseRange(0, 100).errno());
        assertEquals(10, m.readHeld(0, 10).value(), "a refused call revokes nothing");
        m.insertRange(BLOCK, BLOCK);
        assertEquals(Outcome.revoked(), m.readHeld(0, 1));
        m.hold(0, 10);
        m.allocate(MAX_FILE_SIZE - BLOCK, BLOCK, true);
        assertEquals(Errno.EFBIG, m.insertRange(0, BLOCK).errno());
        assertEquals(Outcome.revoked(), m.readHeld(0, 1), "DaxFS revokes before refusing to move preallocation");
        m.hold(0, 10);
        m.reopen(false, true);
        assertEquals(Outcome.revoked(), m.readHeld(0, 1), "O_TRUNC");
        m.write(0, filled(10, 1), false);
        m.hold(0, 10);
        m.reopen(true, false);
        assertEquals(10, m.readHeld(0, 10).value(), "closing the handle revokes nothing");
        m.setDax(true);
        assertEquals(Outcome.revoked(), m.readHeld(0, 1), "switching the file to DAX revokes");
        m.hold(0, 10);
        m.setDax(true);
        assertEquals(10, m.readHeld(0, 10).value(), "setting the flag it has changes nothing");
        m.unmounted();
        assertEquals(Outcome.revoked(), m.readHeld(0, 1));
    }
}
