package org.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.junit.jupiter.api.Test;

class ExtentTreeTest {
    private static final long OWNER = 42;
    private static final long LIMIT = ExtentTree.MAX_LOGICAL + 1;

    private final MemoryMetadataBlocks blocks = new MemoryMetadataBlocks();
    private final byte[] root = new byte[ExtentTree.ROOT_SIZE];
    private final ExtentTree tree;

    ExtentTreeTest() {
        ExtentTree.initRoot(root);
        tree = new ExtentTree(blocks, root, OWNER);
    }

    private static Extent ext(long logical, long physical, long length) {
        return new Extent(logical, physical, length, false);
    }

    private static Extent unwritten(long logical, long physical, long length) {
        return new Extent(logical, physical, length, true);
    }

    static int depth(byte[] root) {
        return (root[2] & 0xff) | (root[3] & 0xff) << 8;
    }

    /** Inserts {@code n} extents that cannot merge: gaps between them, descending if asked. */
    private List<Extent> fill(int n, boolean descending) throws FsException {
        List<Extent> expected = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int i = descending ? n - 1 - k : k;
            Extent e = ext(3L * i, 100 + 5L * i, 2);
            tree.insert(e);
            blocks.assertSealed();
        }
        for (int i = 0; i < n; i++) {
            expected.add(ext(3L * i, 100 + 5L * i, 2));
        }
        return expected;
    }

    private Set<Long> nodes() throws FsException {
        Set<Long> s = new TreeSet<>();
        tree.forEachNode(n -> assertTrue(s.add(n), "node " + n + " reported twice"));
        return s;
    }

    private static void assertErrno(Errno errno, FsException e) {
        assertEquals(errno, e.errno(), e.getMessage());
    }

    // ---- basics --------------------------------------------------------------------------------

    @Test
    void emptyTree() throws FsException {
        assertNull(tree.find(0));
        assertNull(tree.next(0));
        assertEquals(List.of(), tree.all());
        assertEquals(List.of(), tree.extents(0, Long.MAX_VALUE));
        assertEquals(0, tree.mappedBlocks());
        assertEquals(List.of(), tree.remove(0, Long.MAX_VALUE));
        tree.check();
        assertEquals(Set.of(), nodes());
    }

    @Test
    void findAndNext() throws FsException {
        tree.insert(ext(10, 500, 5));
        tree.insert(ext(30, 900, 1));
        assertNull(tree.find(9));
        assertEquals(ext(10, 500, 5), tree.find(10));
        assertEquals(ext(10, 500, 5), tree.find(14));
        assertNull(tree.find(15));
        assertEquals(ext(10, 500, 5), tree.next(0));
        assertEquals(ext(10, 500, 5), tree.next(12));
        assertEquals(ext(30, 900, 1), tree.next(15));
        assertNull(tree.next(31));
        assertEquals(List.of(ext(10, 500, 5), ext(30, 900, 1)), tree.extents(14, 31));
        assertEquals(List.of(ext(30, 900, 1)), tree.extents(15, 31));
        assertEquals(List.of(), tree.extents(15, 30));
        assertEquals(6, tree.mappedBlocks());
    }

    @Test
    void mergesWithNeighboursThatContinueIt() throws FsException {
        tree.insert(ext(0, 100, 4));
        tree.insert(ext(8, 108, 4));
        assertEquals(2, tree.all().size());
        tree.insert(ext(4, 104, 4));
        assertEquals(List.of(ext(0, 100, 12)), tree.all());
        // Logically adjacent but not physically, or in another state: kept apart.
        tree.insert(ext(12, 200, 1));
        tree.insert(unwritten(13, 201, 1));
        tree.insert(ext(14, 202, 1));
        assertEquals(List.of(ext(0, 100, 12), ext(12, 200, 1), unwritten(13, 201, 1), ext(14, 202, 1)), tree.all());
        tree.check();
    }

    @Test
    void mergeRespectsTheMaximumLength() throws FsException {
        long max = ExtentTree.MAX_LENGTH;
        tree.insert(ext(0, 1, max));
        tree.insert(ext(max, 1 + max, 1));
        assertEquals(List.of(ext(0, 1, max), ext(max, 1 + max, 1)), tree.all());
    }

    @Test
    void extentLongerThanOneEntryIsStoredInPieces() throws FsException {
        long len = ExtentTree.MAX_LENGTH + 10;
        tree.insert(ext(5, 1000, len));
        assertEquals(List.of(ext(5, 1000, ExtentTree.MAX_LENGTH), ext(5 + ExtentTree.MAX_LENGTH, 1000 + ExtentTree.MAX_LENGTH, 10)),
                tree.all());
        assertEquals(len, tree.mappedBlocks());
        tree.check();
    }

    @Test
    void insertOverMappedBlocksIsRefused() throws FsException {
        tree.insert(ext(10, 100, 10));
        assertThrows(IllegalArgumentException.class, () -> tree.insert(ext(19, 500, 1)));
        assertThrows(IllegalArgumentException.class, () -> tree.insert(ext(0, 500, 11)));
        assertThrows(IllegalArgumentException.class, () -> tree.insert(ext(5, 500, 100)));
        assertEquals(List.of(ext(10, 100, 10)), tree.all());
    }

    @Test
    void blocksBeyondTheMaximumAreEfbig() throws FsException {
        assertErrno(Errno.EFBIG, assertThrows(FsException.class, () -> tree.find(LIMIT)));
        assertErrno(Errno.EFBIG, assertThrows(FsException.class, () -> tree.next(LIMIT)));
        assertErrno(Errno.EFBIG, assertThrows(FsException.class, () -> tree.insert(ext(LIMIT - 1, 10, 2))));
        assertErrno(Errno.EFBIG, assertThrows(FsException.class, () -> tree.extents(LIMIT + 1, LIMIT + 2)));
        tree.insert(ext(ExtentTree.MAX_LOGICAL, 10, 1));
        assertEquals(ext(ExtentTree.MAX_LOGICAL, 10, 1), tree.find(ExtentTree.MAX_LOGICAL));
        tree.insert(ext(100, 50, 1));
        assertErrno(Errno.EFBIG, assertThrows(FsException.class, () -> tree.shift(100, 1)));
        // A range may run past the end: that is how truncation to the end asks.
        assertEquals(List.of(ext(ExtentTree.MAX_LOGICAL, 10, 1)), tree.remove(200, Long.MAX_VALUE));
        assertEquals(List.of(ext(100, 50, 1)), tree.all());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> tree.find(-1));
        assertThrows(IllegalArgumentException.class, () -> tree.remove(5, 4));
        assertThrows(IllegalArgumentException.class, () -> tree.setUnwritten(-1, 4, true));
        assertThrows(IllegalArgumentException.class, () -> new ExtentTree(blocks, new byte[64], OWNER));
    }

    // ---- remove --------------------------------------------------------------------------------

    @Test
    void removeSplitsAnExtentInTheMiddle() throws FsException {
        tree.insert(unwritten(0, 1000, 100));
        assertEquals(List.of(unwritten(40, 1040, 20)), tree.remove(40, 60));
        assertEquals(List.of(unwritten(0, 1000, 40), unwritten(60, 1060, 40)), tree.all());
        assertEquals(80, tree.mappedBlocks());
        tree.check();
    }

    @Test
    void removeReturnsClippedPiecesInOrder() throws FsException {
        tree.insert(ext(0, 100, 10));
        tree.insert(ext(20, 300, 10));
        tree.insert(ext(40, 500, 10));
        assertEquals(List.of(ext(5, 105, 5), ext(20, 300, 10), ext(40, 500, 2)), tree.remove(5, 42));
        assertEquals(List.of(ext(0, 100, 5), ext(42, 502, 8)), tree.all());
        assertEquals(List.of(), tree.remove(10, 42));
    }

    @Test
    void removingEverythingFreesEveryNode() throws FsException {
        List<Extent> all = fill(3000, false);
        assertTrue(depth(root) >= 2);
        assertEquals(all, tree.remove(0, Long.MAX_VALUE));
        blocks.assertSealed();
        assertEquals(Set.of(), blocks.allocated());
        assertEquals(0, depth(root));
        assertEquals(List.of(), tree.all());
        tree.check();
    }

    @Test
    void removingMostOfABigTreePullsTheRootBackDown() throws FsException {
        fill(3000, false);
        tree.remove(3 * 5, Long.MAX_VALUE);
        blocks.assertSealed();
        assertEquals(0, depth(root));
        assertEquals(5, tree.all().size());
        assertEquals(Set.of(), blocks.allocated());
        tree.check();
    }

    // ---- growth --------------------------------------------------------------------------------

    @Test
    void splitsToDepthTwoAscending() throws FsException {
        checkBigTree(fill(3000, false));
    }

    @Test
    void splitsToDepthTwoDescending() throws FsException {
        checkBigTree(fill(3000, true));
    }

    private void checkBigTree(List<Extent> expected) throws FsException {
        assertTrue(depth(root) >= 2, "depth " + depth(root));
        tree.check();
        assertEquals(expected, tree.all());
        assertEquals(expected.subList(100, 200), tree.extents(expected.get(100).logical() + 1, expected.get(199).end()));
        for (Extent e : expected) {
            assertEquals(e, tree.find(e.logical() + 1));
            assertNull(tree.find(e.end()));
            assertEquals(e, tree.next(e.logical() - 1 < 0 ? 0 : e.logical() - 1));
        }
        assertEquals(nodes(), blocks.allocated());
        assertEquals(0, blocks.strayReads());
    }

    @Test
    void newNodesGoNearTheData() throws FsException {
        for (int i = 0; i < 8; i++) {
            tree.insert(ext(2L * i, 7000 + 2L * i, 1));
        }
        assertEquals(List.of(7014L), blocks.goals());
    }

    @Test
    void runningOutOfSpaceChangesNothing() throws FsException {
        // Append until the tree is two levels deep, first offering each insert fewer blocks than it may need.
        // Growing to depth two splits a full leaf under a full root: two blocks at once.
        int refusedWithOneBlock = 0;
        for (int n = 0; depth(root) < 2; n++) {
            Extent e = ext(3L * n, 100 + 5L * n, 2);
            for (int budget = 0; ; budget++) {
                Map<Long, byte[]> image = new HashMap<>();
                for (long b : blocks.allocated()) {
                    image.put(b, blocks.raw(b).data().clone());
                }
                byte[] rootBefore = root.clone();
                blocks.allowAllocations(budget);
                try {
                    tree.insert(e);
                    break;
                } catch (FsException x) {
                    assertErrno(Errno.ENOSPC, x);
                    assertArrayEquals(rootBefore, root);
                    assertEquals(image.keySet(), blocks.allocated());
                    for (long b : image.keySet()) {
                        assertArrayEquals(image.get(b), blocks.raw(b).data(), "block " + b);
                    }
                    if (budget == 1) {
                        refusedWithOneBlock++;
                    }
                }
            }
            blocks.allowAllocations(Integer.MAX_VALUE);
            blocks.assertSealed();
        }
        assertEquals(1, refusedWithOneBlock);
        tree.check();
    }

    // ---- unwritten -----------------------------------------------------------------------------

    @Test
    void setUnwrittenSplitsAndMergesBack() throws FsException {
        tree.insert(unwritten(0, 1000, 100));
        tree.setUnwritten(10, 20, false);
        assertEquals(List.of(unwritten(0, 1000, 10), ext(10, 1010, 10), unwritten(20, 1020, 80)), tree.all());
        tree.setUnwritten(20, 30, false);
        assertEquals(List.of(unwritten(0, 1000, 10), ext(10, 1010, 20), unwritten(30, 1030, 70)), tree.all());
        tree.setUnwritten(0, 200, true);
        assertEquals(List.of(unwritten(0, 1000, 100)), tree.all());
        tree.setUnwritten(0, 200, false);
        assertEquals(List.of(ext(0, 1000, 100)), tree.all());
        tree.check();
    }

    @Test
    void setUnwrittenLeavesHolesAndOtherExtentsAlone() throws FsException {
        tree.insert(ext(0, 100, 10));
        tree.insert(unwritten(20, 500, 10));
        tree.setUnwritten(5, 25, false);
        assertEquals(List.of(ext(0, 100, 10), ext(20, 500, 5), unwritten(25, 505, 5)), tree.all());
    }

    @Test
    void setUnwrittenAcrossManyLeaves() throws FsException {
        List<Extent> all = fill(3000, false);
        tree.setUnwritten(all.get(10).logical() + 1, all.get(2500).logical() + 1, true);
        blocks.assertSealed();
        tree.check();
        List<Extent> got = tree.all();
        assertEquals(3002, got.size());
        assertEquals(all.get(10).clip(0, all.get(10).logical() + 1), got.get(10));
        assertEquals(all.get(10).clip(all.get(10).logical() + 1, Long.MAX_VALUE).withUnwritten(true), got.get(11));
        assertEquals(all.get(2500).clip(0, all.get(2500).logical() + 1).withUnwritten(true), got.get(2501));
        assertEquals(all.get(2500).clip(all.get(2500).logical() + 1, Long.MAX_VALUE), got.get(2502));
        assertEquals(all.get(1000).withUnwritten(true), got.get(1001));
    }

    // ---- shift ---------------------------------------------------------------------------------

    @Test
    void shiftMovesExtentsAndIndexKeys() throws FsException {
        List<Extent> all = fill(3000, false);
        long from = all.get(1500).logical();
        tree.shift(from, 1_000_000);
        blocks.assertSealed();
        tree.check();
        List<Extent> expected = new ArrayList<>();
        for (Extent e : all) {
            expected.add(e.logical() >= from ? new Extent(e.logical() + 1_000_000, e.physical(), e.length(), false) : e);
        }
        assertEquals(expected, tree.all());
        assertNull(tree.find(from));
        assertEquals(all.get(1500).physical(), tree.find(from + 1_000_000).physical());

        tree.shift(from + 1_000_000, -1_000_000);
        blocks.assertSealed();
        tree.check();
        assertEquals(all, tree.all());
    }

    @Test
    void collapseMergesExtentsThatMeet() throws FsException {
        tree.insert(ext(0, 100, 10));
        tree.insert(ext(20, 110, 10));
        tree.insert(ext(40, 300, 10));
        tree.shift(20, -10);
        assertEquals(List.of(ext(0, 100, 20), ext(30, 300, 10)), tree.all());
        tree.shift(30, -10);
        assertEquals(List.of(ext(0, 100, 20), ext(20, 300, 10)), tree.all());
    }

    @Test
    void insertRangeInsideAnExtentCutsIt() throws FsException {
        tree.insert(ext(0, 100, 10));
        tree.insert(ext(20, 300, 10));
        tree.shift(4, 6);
        assertEquals(List.of(ext(0, 100, 4), ext(10, 104, 6), ext(26, 300, 10)), tree.all());
        tree.check();
    }

    @Test
    void collapseRefusesStraddlingAndOverlap() throws FsException {
        tree.insert(ext(0, 100, 10));
        tree.insert(ext(20, 300, 10));
        assertThrows(IllegalArgumentException.class, () -> tree.shift(25, -5));
        assertThrows(IllegalArgumentException.class, () -> tree.shift(20, -11));
        assertThrows(IllegalArgumentException.class, () -> tree.shift(15, -21));
        assertEquals(List.of(ext(0, 100, 10), ext(20, 300, 10)), tree.all());
        tree.shift(15, 0);
        tree.shift(31, 1000);
        assertEquals(List.of(ext(0, 100, 10), ext(20, 300, 10)), tree.all());
    }

    // ---- clear ---------------------------------------------------------------------------------

    @Test
    void clearFreesEveryNodeAndReturnsEveryExtent() throws FsException {
        List<Extent> all = fill(5000, true);
        assertTrue(depth(root) >= 2);
        assertFalse(blocks.allocated().isEmpty());
        assertEquals(all, tree.clear());
        assertEquals(Set.of(), blocks.allocated());
        byte[] empty = new byte[ExtentTree.ROOT_SIZE];
        ExtentTree.initRoot(empty);
        assertArrayEquals(empty, root);
        assertEquals(List.of(), tree.all());
    }

    @Test
    void clearOfADamagedTreeChangesNothing() throws FsException {
        fill(1000, false);
        Set<Long> nodes = nodes();
        long victim = nodes.stream().skip(nodes.size() / 2).findFirst().orElseThrow();
        blocks.raw(victim).data()[100] ^= 1;
        byte[] before = root.clone();
        assertErrno(Errno.EUCLEAN, assertThrows(FsException.class, tree::clear));
        assertArrayEquals(before, root);
        assertEquals(nodes, blocks.allocated());
    }

    // ---- damage --------------------------------------------------------------------------------

    /** Every call that reads the tree fails with EUCLEAN, or succeeds if it does not touch the damage. */
    private void assertOnlyClean(long anyBlock) {
        List<ThrowingRunnable> calls = List.of(
                () -> tree.find(anyBlock),
                () -> tree.next(anyBlock),
                () -> tree.extents(anyBlock, anyBlock + 100),
                tree::all,
                tree::mappedBlocks,
                () -> tree.forEachNode(n -> { }));
        for (ThrowingRunnable c : calls) {
            try {
                c.run();
            } catch (FsException e) {
                assertErrno(Errno.EUCLEAN, e);
            } catch (Throwable t) {
                throw new AssertionError("damaged tree gave " + t, t);
            }
        }
        FsException e = assertThrows(FsException.class, tree::check);
        assertErrno(Errno.EUCLEAN, e);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void everyFlippedByteOfANodeIsCaught() throws FsException {
        List<Extent> all = fill(600, false);
        Set<Long> nodes = nodes();
        assertTrue(nodes.size() >= 3);
        for (long node : nodes) {
            Block b = blocks.raw(node);
            long firstKey = b.getUInt(24);
            for (int off = 0; off < Block.SIZE; off += 7) {
                b.data()[off] ^= 0x10;
                FsException e = assertThrows(FsException.class, () -> tree.find(firstKey), "offset " + off);
                assertErrno(Errno.EUCLEAN, e);
                assertTrue(e.getMessage().contains("block " + node), e.getMessage());
                assertOnlyClean(firstKey);
                b.data()[off] ^= 0x10;
            }
        }
        tree.check();
        assertEquals(all, tree.all());
    }

    @Test
    void sealedButWrongNodesAreCaught() throws FsException {
        fill(3000, false);
        long leaf = leafOf(3 * 1500);
        long index = nodes().stream().filter(n -> blocks.raw(n).getShort(16) == 1).findFirst().orElse(-1L);
        // Each damage is written with a valid CRC, as a bug (not a bad disk) would.
        List<String> expected = new ArrayList<>();
        damage(leaf, b -> b.putShort(18, 255), "count 255 exceeds capacity 254", expected);
        damage(leaf, b -> b.putShort(18, 0), "empty node", expected);
        damage(leaf, b -> b.putShort(16, 1), "depth 1 under a parent of depth", expected);
        damage(leaf, b -> b.putLong(Block.OWNER, 43), "belongs to inode 43", expected);
        damage(leaf, b -> b.putInt(24 + 16 * 3 + 4, 0), "has length 0", expected);
        damage(leaf, b -> b.putLong(24 + 16 * 3 + 8, 0), "bad physical block 0", expected);
        damage(leaf, b -> b.putInt(24 + 16 * 3, b.getInt(24 + 16 * 2)), "overlaps or precedes", expected);
        damage(leaf, b -> b.putInt(24, b.getInt(24) + 1), "differs from the parent's key", expected);
        damage(leaf, b -> b.putInt(24 + 16 * (b.getShort(18) - 1), 3 * 3000 + 1_000_000), "beyond the parent's bound", expected);
        assertTrue(index >= 0, "no index node below the root");
        damage(index, b -> b.putLong(24 + 8, 5), "bad magic", expected);
        damage(index, b -> b.putLong(24 + 16 + 8, b.getLong(24 + 8)), "referenced twice", expected);
        damage(index, b -> b.putInt(24 + 16, b.getInt(24)), "not above key", expected);
        assertEquals(List.of(), expected);
        tree.check();
    }

    private long leafOf(long lblk) throws FsException {
        long[] found = {-1};
        tree.forEachNode(n -> {
            Block b = blocks.raw(n);
            if (b.getShort(16) == 0 && b.getUInt(24) <= lblk && (found[0] < 0 || b.getUInt(24) > blocks.raw(found[0]).getUInt(24))) {
                found[0] = n;
            }
        });
        return found[0];
    }

    private void damage(long node, java.util.function.Consumer<Block> change, String message, List<String> missed) {
        Block b = blocks.raw(node);
        byte[] saved = b.data().clone();
        change.accept(b);
        b.seal();
        try {
            tree.check();
            missed.add(message + " (check passed)");
        } catch (FsException e) {
            assertErrno(Errno.EUCLEAN, e);
            if (!e.getMessage().contains(message)) {
                missed.add(message + " (got " + e.getMessage() + ")");
            }
        }
        assertOnlyCleanOrSuccess();
        b.putBytes(0, saved, 0, Block.SIZE);
    }

    private void assertOnlyCleanOrSuccess() {
        for (long at : new long[] {0, 3 * 1500, 3 * 2999}) {
            try {
                tree.find(at);
                tree.next(at);
                tree.all();
            } catch (FsException e) {
                assertErrno(Errno.EUCLEAN, e);
            }
        }
    }

    @Test
    void damagedRootIsCaught() throws FsException {
        fill(3, false);
        byte[] good = root.clone();
        root[0] ^= 1;
        assertErrno(Errno.EUCLEAN, assertThrows(FsException.class, () -> tree.find(0)));
        System.arraycopy(good, 0, root, 0, root.length);
        root[2] = 9;
        assertErrno(Errno.EUCLEAN, assertThrows(FsException.class, () -> tree.find(0)));
        System.arraycopy(good, 0, root, 0, root.length);
        root[4] = 8;
        assertErrno(Errno.EUCLEAN, assertThrows(FsException.class, () -> tree.check()));
        System.arraycopy(good, 0, root, 0, root.length);
        root[2] = 1; // entries read as index entries whose children are not nodes
        assertErrno(Errno.EUCLEAN, assertThrows(FsException.class, () -> tree.find(0)));
        System.arraycopy(good, 0, root, 0, root.length);
        tree.check();
    }

    @Test
    void randomDamageNeverEscapesAsAnotherException() throws FsException {
        List<Extent> all = fill(1500, false);
        List<Long> nodes = new ArrayList<>(nodes());
        Map<Long, byte[]> image = blocks.snapshot();
        byte[] goodRoot = root.clone();
        Random r = new Random(11);
        int scale = Integer.getInteger("daxfs.test.scale", 1);
        for (int round = 0; round < 2000 * scale; round++) {
            Block b = blocks.raw(nodes.get(r.nextInt(nodes.size())));
            int changes = 1 + r.nextInt(3);
            for (int c = 0; c < changes; c++) {
                // Mostly header and entry fields, where damage is interesting.
                int off = r.nextBoolean() ? 16 + r.nextInt(8 + 16 * 8) : 24 + r.nextInt(Block.SIZE - 24);
                b.data()[off] = (byte) r.nextInt(256);
            }
            if (r.nextInt(4) > 0) {
                b.seal(); // damage done by a bug rather than the disk: the CRC cannot help
            }
            if (r.nextInt(8) == 0) {
                root[8 + r.nextInt(ExtentTree.ROOT_SIZE - 8)] = (byte) r.nextInt(256);
            }
            long at = 3L * r.nextInt(1500);
            List<ThrowingRunnable> calls = List.of(
                    () -> tree.find(at),
                    () -> tree.next(at),
                    () -> tree.extents(at, at + 3000),
                    tree::all,
                    tree::check,
                    tree::mappedBlocks,
                    () -> tree.setUnwritten(at, at + 1 + r.nextInt(1000), r.nextBoolean()),
                    () -> tree.remove(at, at + 1 + r.nextInt(1000)),
                    () -> {
                        try {
                            tree.insert(ext(3L * 1500 + 10 + r.nextInt(1000), 5_000_000, 1));
                        } catch (IllegalArgumentException mappedInTheDamagedTree) {
                            // legitimate if the damage made an extent reach there
                        }
                    },
                    () -> {
                        try {
                            tree.shift(3L * 1500 + 5, 1);
                        } catch (FsException e) {
                            if (e.errno() != Errno.EFBIG) { // legitimate if an extent was moved to the end
                                throw e;
                            }
                        }
                    },
                    tree::clear);
            for (ThrowingRunnable c : calls) {
                try {
                    c.run();
                } catch (FsException e) {
                    assertErrno(Errno.EUCLEAN, e);
                } catch (Throwable t) {
                    fail("round " + round + ": " + t, t);
                }
            }
            blocks.restore(image);
            System.arraycopy(goodRoot, 0, root, 0, root.length);
        }
        tree.check();
        assertEquals(all, tree.all());
    }

    // ---- scale ---------------------------------------------------------------------------------

    @Test
    void hundredThousandRandomSingleBlockExtents() throws FsException {
        int n = 100_000;
        List<Long> positions = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            positions.add(i * 2); // every other block, so no two extents touch
        }
        Random r = new Random(1);
        Collections.shuffle(positions, r);
        for (long p : positions) {
            tree.insert(ext(p, 10 + p * 3, 1));
        }
        blocks.assertSealed();
        assertTrue(depth(root) >= 2 && depth(root) <= 3, "depth " + depth(root));
        tree.check();
        List<Extent> all = tree.all();
        assertEquals(n, all.size());
        for (int i = 0; i < n; i++) {
            assertEquals(ext(2L * i, 10 + 6L * i, 1), all.get(i));
        }
        assertEquals(n, tree.mappedBlocks());
        assertEquals(nodes(), blocks.allocated());
        for (int k = 0; k < 1000; k++) {
            long p = r.nextInt(2 * n);
            Extent e = tree.find(p);
            assertEquals(p % 2 == 0 ? ext(p, 10 + p * 3, 1) : null, e);
        }
        // Punch random ranges until nothing is left; every node must be freed on the way.
        long removed = 0;
        while (removed < n) {
            long from = r.nextInt(2 * n);
            removed += tree.remove(from, from + r.nextInt(5000)).size();
        }
        blocks.assertSealed();
        assertEquals(List.of(), tree.all());
        assertEquals(Set.of(), blocks.allocated());
    }
}
