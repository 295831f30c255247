package org.daxfs.stress;

import static org.daxfs.stress.FileModel.BLOCK;
import static org.daxfs.stress.FileModel.MAX_FILE_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.daxfs.Errno;
import org.daxfs.format.Block;
import org.daxfs.format.ExtentTree;
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
}
