package org.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

class DirectoryIndexTest {
    private final MemoryFileBlocks mem = new MemoryFileBlocks(5);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private DirectoryIndex format(ToLongFunction<byte[]> hash) throws Exception {
        DirectoryIndex.format(mem);
        return new DirectoryIndex(mem, hash);
    }

    private DirectoryIndex format() throws Exception {
        DirectoryIndex.format(mem);
        return new DirectoryIndex(mem, 0x5eed);
    }

    private void assertSound(DirectoryIndex dir) throws Exception {
        List<String> problems = new ArrayList<>();
        dir.check(problems::add);
        assertEquals(List.of(), problems);
    }

    @Test
    void emptyDirectory() throws Exception {
        DirectoryIndex dir = format();
        assertEquals(0, dir.count());
        assertNull(dir.lookup(bytes("a")));
        assertNull(dir.remove(bytes("a")));
        assertEquals(List.of(), dir.list(0, 10));
        assertEquals(Set.of(0L, 1L), mem.mapped());
        assertSound(dir);
    }

    @Test
    void addLookupReplaceRemove() throws Exception {
        DirectoryIndex dir = format();
        dir.add(bytes("hello"), 42, 8);
        DirectoryIndex.Entry e = dir.lookup(bytes("hello"));
        assertArrayEquals(bytes("hello"), e.name());
        assertEquals(42, e.ino());
        assertEquals(8, e.type());
        assertTrue(e.cookie() > 0);
        assertEquals(e, dir.lookup(bytes("hello")));
        assertEquals(e.hashCode(), dir.lookup(bytes("hello")).hashCode());
        assertTrue(e.toString().contains("'hello' -> 42"), e.toString());
        assertNull(dir.lookup(bytes("hell")));
        assertNull(dir.lookup(bytes("hello!")));

        dir.replace(bytes("hello"), 43, 4);
        assertEquals(43, dir.lookup(bytes("hello")).ino());
        assertEquals(4, dir.lookup(bytes("hello")).type());
        assertEquals(e.cookie(), dir.lookup(bytes("hello")).cookie());
        assertEquals(1, dir.count());

        DirectoryIndex.Entry removed = dir.remove(bytes("hello"));
        assertEquals(43, removed.ino());
        assertNull(dir.lookup(bytes("hello")));
        assertEquals(0, dir.count());
        assertSound(dir);
    }

    @Test
    void callerBugsAndBadArgumentsAreRefused() throws Exception {
        DirectoryIndex dir = format();
        dir.add(bytes("x"), 1, 1);
        assertThrows(IllegalStateException.class, () -> dir.add(bytes("x"), 2, 1));
        assertThrows(IllegalStateException.class, () -> dir.replace(bytes("y"), 2, 1));
        assertThrows(IllegalArgumentException.class, () -> dir.add(new byte[0], 2, 1));
        assertThrows(IllegalArgumentException.class, () -> dir.add(new byte[256], 2, 1));
        assertThrows(IllegalArgumentException.class, () -> dir.lookup(new byte[256]));
        assertThrows(IllegalArgumentException.class, () -> dir.add(bytes("z"), 2, 256));
        assertThrows(IllegalArgumentException.class, () -> dir.add(bytes("z"), 2, -1));
        assertThrows(IllegalArgumentException.class, () -> dir.list(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> dir.list(0, 0));
        assertEquals(List.of(), dir.list(Long.MAX_VALUE, 10));
        assertEquals(1, dir.count());
        assertEquals(1, dir.lookup(bytes("x")).ino());
        assertSound(dir);
    }

    @Test
    void longestNames() throws Exception {
        DirectoryIndex dir = format();
        Random r = new Random(11);
        Map<String, Long> model = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            byte[] name = new byte[DirectoryIndex.MAX_NAME];
            Arrays.fill(name, (byte) 'n');
            String id = Integer.toString(i);
            System.arraycopy(bytes(id), 0, name, r.nextInt(DirectoryIndex.MAX_NAME - id.length()), id.length());
            if (model.putIfAbsent(DirectoryModelTest.key(name), (long) i) == null) {
                dir.add(name, i, 1);
            }
        }
        assertTrue(mem.mapped().last() >= DirectoryIndex.OVERFLOW_BASE, "no overflow chain was exercised");
        for (Map.Entry<String, Long> m : model.entrySet()) {
            DirectoryIndex.Entry e = dir.lookup(m.getKey().getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(m.getValue(), e.ino());
            assertEquals(DirectoryIndex.MAX_NAME, e.name().length);
        }
        Set<String> listed = new HashSet<>();
        for (DirectoryIndex.Entry e : DirectoryModelTest.listAll(dir, r)) {
            assertTrue(listed.add(DirectoryModelTest.key(e.name())));
        }
        assertEquals(model.keySet(), listed);
        assertSound(dir);
    }

    /**
     * Names listed before a burst of adds that splits many buckets are not listed again, and names not yet
     * listed are listed exactly once.
     */
    @Test
    void listingResumesAcrossSplits() throws Exception {
        DirectoryIndex dir = format();
        Set<String> original = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            dir.add(bytes("orig-" + i), i, 1);
            original.add("orig-" + i);
        }
        List<String> seen = new ArrayList<>();
        long cookie = 0;
        while (seen.size() < original.size() / 2) {
            for (DirectoryIndex.Entry e : dir.list(cookie, 50)) {
                seen.add(new String(e.name(), StandardCharsets.UTF_8));
                cookie = e.cookie();
            }
        }
        long blocksBefore = mem.mapped().size();
        for (int i = 0; i < 20_000; i++) {
            dir.add(bytes("new-" + i), 100_000 + i, 1);
        }
        assertTrue(mem.mapped().size() > 5 * blocksBefore, "the table did not grow");
        for (List<DirectoryIndex.Entry> batch = dir.list(cookie, 70); !batch.isEmpty();
                batch = dir.list(cookie, 70)) {
            for (DirectoryIndex.Entry e : batch) {
                seen.add(new String(e.name(), StandardCharsets.UTF_8));
                cookie = e.cookie();
            }
        }
        List<String> originalSeen = seen.stream().filter(original::contains).toList();
        assertEquals(original.size(), originalSeen.size(), "an original name was listed twice or never");
        assertEquals(original, new HashSet<>(originalSeen));
        assertSound(dir);
    }

    /** Every name has the same hash: one chain holds them all, and a listing returns them in one batch. */
    @Test
    void fullCollisionsAreStoredFoundAndListedTogether() throws Exception {
        DirectoryIndex dir = format(name -> 0x1234_5678_9abcL);
        List<byte[]> names = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] name = bytes("same-" + i + "-" + "x".repeat(i % 200));
            names.add(name);
            dir.add(name, i, 1);
        }
        for (int i = 0; i < names.size(); i++) {
            assertEquals(i, dir.lookup(names.get(i)).ino());
        }
        assertNull(dir.lookup(bytes("same-400")));
        List<DirectoryIndex.Entry> batch = dir.list(0, 1);
        assertEquals(400, batch.size());
        for (int i = 1; i < batch.size(); i++) {
            assertTrue(Arrays.compareUnsigned(batch.get(i - 1).name(), batch.get(i).name()) < 0);
        }
        assertEquals(List.of(), dir.list(batch.get(0).cookie(), 1));
        assertSound(dir);
        for (int i = 0; i < names.size(); i += 2) {
            assertEquals(i, dir.remove(names.get(i)).ino());
        }
        for (int i = 0; i < names.size(); i++) {
            DirectoryIndex.Entry e = dir.lookup(names.get(i));
            if (i % 2 == 0) {
                assertNull(e);
            } else {
                assertEquals(i, e.ino());
            }
        }
        assertEquals(200, dir.list(0, 1).size());
        assertSound(dir);
    }

    /** A few hash values shared by many names: small pages still list every name exactly once. */
    @Test
    void partialCollisionsPageExactlyOnce() throws Exception {
        DirectoryIndex dir = format(name -> NameHash.of(3, new byte[] {(byte) (name.length % 7)}));
        Map<String, Long> model = new HashMap<>();
        for (int i = 0; i < 700; i++) {
            String name = "p".repeat(1 + i % 40) + i;
            dir.add(bytes(name), i, 1);
            model.put(name, (long) i);
        }
        for (int max : new int[] {1, 2, 3, 50, 1000}) {
            Map<String, Long> listed = new HashMap<>();
            long cookie = 0;
            for (List<DirectoryIndex.Entry> batch = dir.list(0, max); !batch.isEmpty();
                    batch = dir.list(cookie, max)) {
                for (DirectoryIndex.Entry e : batch) {
                    assertNull(listed.put(new String(e.name(), StandardCharsets.UTF_8), e.ino()));
                    cookie = e.cookie();
                }
            }
            assertEquals(model, listed, "pages of " + max);
        }
        assertSound(dir);
    }

    @Test
    void cookiesAreStableAndOrdered() throws Exception {
        DirectoryIndex dir = format();
        Map<String, Long> cookies = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            dir.add(bytes("c" + i), i, 1);
            cookies.put("c" + i, dir.lookup(bytes("c" + i)).cookie());
        }
        for (int i = 500; i < 5000; i++) {
            dir.add(bytes("c" + i), i, 1);
        }
        for (Map.Entry<String, Long> c : cookies.entrySet()) {
            assertEquals(c.getValue(), dir.lookup(bytes(c.getKey())).cookie(), "cookie moved in a split");
        }
        List<DirectoryIndex.Entry> all = dir.list(0, 10_000);
        assertEquals(5000, all.size());
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).cookie() < all.get(i).cookie());
        }
    }

    @Test
    void differentSeedsOrderNamesDifferently() throws Exception {
        MemoryFileBlocks other = new MemoryFileBlocks(5);
        DirectoryIndex a = format();
        DirectoryIndex.format(other);
        DirectoryIndex b = new DirectoryIndex(other, 0x5eed + 1);
        for (int i = 0; i < 50; i++) {
            a.add(bytes("s" + i), i, 1);
            b.add(bytes("s" + i), i, 1);
        }
        List<Long> orderA = a.list(0, 100).stream().map(DirectoryIndex.Entry::ino).toList();
        List<Long> orderB = b.list(0, 100).stream().map(DirectoryIndex.Entry::ino).toList();
        assertEquals(new HashSet<>(orderA), new HashSet<>(orderB));
        assertTrue(!orderA.equals(orderB));
    }

    @Test
    void overflowSlotsAreReused() throws Exception {
        // All names in one bucket: the chain grows and shrinks through the overflow area.
        DirectoryIndex dir = format(name -> 7);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 300; i++) {
                dir.add(bytes("r" + i + "-" + "y".repeat(100)), i, 1);
            }
            long highest = mem.mapped().last();
            assertTrue(highest >= DirectoryIndex.OVERFLOW_BASE && highest < DirectoryIndex.OVERFLOW_BASE + 40,
                    "overflow blocks at " + highest);
            for (int i = 299; i >= 0; i -= 3) {
                assertNotNull(dir.remove(bytes("r" + i + "-" + "y".repeat(100))));
            }
            assertSound(dir);
            for (int i = 0; i < 300; i++) {
                dir.remove(bytes("r" + i + "-" + "y".repeat(100)));
            }
            assertEquals(0, dir.count());
            assertTrue(mem.mapped().last() < DirectoryIndex.OVERFLOW_BASE);
            assertSound(dir);
        }
    }

    /**
     * Hundreds of overflow blocks freed in random order overflow the header's free-slot stack: the slots
     * that do not fit are forgotten, counted, and fsck still accounts for every slot.
     */
    @Test
    void freeSlotStackOverflowIsAccounted() throws Exception {
        // Four hash values: four long chains, so several hundred overflow blocks with few names.
        DirectoryIndex dir = format(name -> name[name.length - 1] & 3);
        Random r = new Random(12);
        List<byte[]> names = new ArrayList<>();
        for (int i = 0; i < 8000; i++) {
            byte[] name = new byte[DirectoryIndex.MAX_NAME];
            Arrays.fill(name, (byte) 'q');
            byte[] id = bytes(Integer.toString(i));
            System.arraycopy(id, 0, name, 0, id.length);
            name[name.length - 1] = (byte) ('a' + i % 4);
            names.add(name);
            dir.add(name, i, 1);
        }
        assertTrue(mem.mapped().tailSet(DirectoryIndex.OVERFLOW_BASE).size() > DirectoryHeader.FREE_CAPACITY);
        java.util.Collections.shuffle(names, r);
        long forgotten = 0;
        for (int i = 0; i < names.size(); i++) {
            assertNotNull(dir.remove(names.get(i)));
            forgotten = Math.max(forgotten, DirectoryHeader.open(mem.raw(0).copy(), 5).forgotten());
            if (i % 1000 == 999) {
                assertSound(dir);
            }
        }
        assertTrue(forgotten > 0, "the free-slot stack never filled");
        assertEquals(0, dir.count());
        assertTrue(mem.mapped().last() < DirectoryIndex.OVERFLOW_BASE);
        assertSound(dir);
        for (int i = 0; i < 3000; i++) {
            dir.add(names.get(i), i, 1);
        }
        assertSound(dir);
    }
}
