package org.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In a directory of 100,000 names, lookup, add and remove read and change a small, fixed number of blocks
 * however many the directory has: the hash table never scans.
 */
class DirectoryScaleTest {
    private static final int ENTRIES = 100_000;
    /** Header and one block; sometimes a second block of the chain. */
    private static final int LOOKUP_BOUND = 4;
    /** Header read and changed, the chain, the changed block, and a merge or pull-up. */
    private static final int REMOVE_BOUND = 7;
    /** An add that also splits a bucket: its chain read and rewritten besides the add's own blocks. */
    private static final int ADD_BOUND = 16;

    private static byte[] name(int i, int length) {
        StringBuilder sb = new StringBuilder("file-").append(i).append('.');
        while (sb.length() < length) {
            sb.append((char) ('a' + sb.length() % 26));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 255})
    void operationsTouchBoundedBlocks(int length) throws Exception {
        MemoryFileBlocks mem = new MemoryFileBlocks(3);
        DirectoryIndex.format(mem);
        DirectoryIndex dir = new DirectoryIndex(mem, 0xfeed);

        long addTotal = 0;
        long addMax = 0;
        for (int i = 0; i < ENTRIES; i++) {
            mem.resetCounts();
            dir.add(name(i, length), i, 1);
            addTotal += mem.touches();
            addMax = Math.max(addMax, mem.touches());
        }
        int blocks = mem.mapped().size();
        assertTrue(blocks > 700, "only " + blocks + " blocks: the bounds below would prove little");
        assertTrue(addMax <= ADD_BOUND, "an add touched " + addMax + " of " + blocks + " blocks");
        assertTrue(addTotal < 6L * ENTRIES, "adds touched " + (double) addTotal / ENTRIES + " blocks on average");

        Random r = new Random(length);
        long lookupMax = 0;
        for (int n = 0; n < 20_000; n++) {
            int i = r.nextInt(ENTRIES);
            mem.resetCounts();
            assertEquals(i, dir.lookup(name(i, length)).ino());
            lookupMax = Math.max(lookupMax, mem.touches());
            mem.resetCounts();
            assertNull(dir.lookup(name(ENTRIES + i, length)));
            lookupMax = Math.max(lookupMax, mem.touches());
        }
        assertTrue(lookupMax <= LOOKUP_BOUND, "a lookup touched " + lookupMax + " of " + blocks + " blocks");

        long removeMax = 0;
        for (int i = 0; i < ENTRIES; i += 2) {
            mem.resetCounts();
            assertNotNull(dir.remove(name(i, length)));
            removeMax = Math.max(removeMax, mem.touches());
        }
        assertTrue(removeMax <= REMOVE_BOUND, "a remove touched " + removeMax + " of " + blocks + " blocks");

        assertEquals(ENTRIES / 2, dir.count());
        List<String> problems = new ArrayList<>();
        dir.check(problems::add);
        assertEquals(List.of(), problems);
    }
}
