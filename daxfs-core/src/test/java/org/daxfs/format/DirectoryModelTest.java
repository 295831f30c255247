package org.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random adds, removes, replaces and lookups against a HashMap, with the whole directory compared, listed
 * page by page and checked at intervals. Growth and shrink phases alternate so splits, overflow chains,
 * merges and freed overflow slots all happen. Scale with -Ddaxfs.test.scale=N.
 */
class DirectoryModelTest {
    static final int SCALE = Integer.parseInt(System.getProperty("daxfs.test.scale", "1"));

    /** A name of random bytes without '/' or NUL: mostly short, a quarter up to 255 bytes. */
    static byte[] randomName(Random r) {
        int length = r.nextInt(4) == 0 ? 1 + r.nextInt(DirectoryIndex.MAX_NAME) : 1 + r.nextInt(16);
        byte[] name = new byte[length];
        for (int i = 0; i < length; i++) {
            byte c;
            do {
                c = (byte) r.nextInt(256);
            } while (c == 0 || c == '/');
            name[i] = c;
        }
        return name;
    }

    /** Names from a small set, so adds hit present names and removes hit absent ones. */
    private static byte[] smallName(Random r) {
        byte[] name = new byte[1 + r.nextInt(5)];
        for (int i = 0; i < name.length; i++) {
            name[i] = (byte) ('a' + r.nextInt(3));
        }
        return name;
    }

    static String key(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    record Target(long ino, int type) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void matchesHashMap(long seed) throws Exception {
        Random r = new Random(seed);
        MemoryFileBlocks mem = new MemoryFileBlocks(77);
        DirectoryIndex.format(mem);
        DirectoryIndex dir = new DirectoryIndex(mem, seed * 0x9e3779b97f4a7c15L);
        Map<String, Target> model = new HashMap<>();
        List<String> names = new ArrayList<>();
        int ops = 30_000 * SCALE;
        for (int i = 0; i < ops; i++) {
            boolean growing = (i / 6000) % 2 == 0;
            int op = r.nextInt(100);
            if (op < (growing ? 50 : 20)) {
                byte[] name = r.nextInt(10) == 0 ? smallName(r) : randomName(r);
                Target t = new Target(r.nextLong(), r.nextInt(256));
                if (model.containsKey(key(name))) {
                    dir.replace(name, t.ino(), t.type());
                } else {
                    dir.add(name, t.ino(), t.type());
                    names.add(key(name));
                }
                model.put(key(name), t);
            } else if (op < 70) {
                byte[] name = pick(r, names);
                DirectoryIndex.Entry removed = dir.remove(name);
                Target t = model.remove(key(name));
                if (t == null) {
                    assertNull(removed);
                } else {
                    assertNotNull(removed, "remove " + key(name));
                    assertArrayEquals(name, removed.name());
                    assertEquals(t, new Target(removed.ino(), removed.type()));
                    if (names.get(names.size() - 1).equals(key(name))) {
                        names.remove(names.size() - 1);
                    } else {
                        names.remove(key(name));
                    }
                }
            } else if (op < 80 && !names.isEmpty()) {
                byte[] name = pick(r, names);
                if (model.containsKey(key(name))) {
                    Target t = new Target(r.nextLong(), r.nextInt(256));
                    dir.replace(name, t.ino(), t.type());
                    model.put(key(name), t);
                }
            } else {
                byte[] name = pick(r, names);
                DirectoryIndex.Entry e = dir.lookup(name);
                Target t = model.get(key(name));
                assertEquals(t, e == null ? null : new Target(e.ino(), e.type()), "lookup " + key(name));
            }
            if (i % 2000 == 1999) {
                verify(dir, model, r);
            }
        }
        verify(dir, model, r);
        for (String name : model.keySet()) {
            assertNotNull(dir.remove(name.getBytes(StandardCharsets.ISO_8859_1)));
        }
        model.clear();
        verify(dir, model, r);
        // Emptied, the directory keeps its table but no overflow block.
        assertTrue(mem.mapped().last() < DirectoryIndex.OVERFLOW_BASE, "overflow blocks left: " + mem.mapped());
    }

    /**
     * A name to remove, replace or look up: usually a present one (moved to the end of {@code names} so a
     * removal can drop it cheaply), sometimes a random one.
     */
    private static byte[] pick(Random r, List<String> names) {
        if (names.isEmpty() || r.nextInt(5) == 0) {
            return r.nextBoolean() ? smallName(r) : randomName(r);
        }
        int i = r.nextInt(names.size());
        String name = names.get(i);
        names.set(i, names.get(names.size() - 1));
        names.set(names.size() - 1, name);
        return name.getBytes(StandardCharsets.ISO_8859_1);
    }

    static void verify(DirectoryIndex dir, Map<String, Target> model, Random r) throws Exception {
        assertEquals(model.size(), dir.count());
        List<String> problems = new ArrayList<>();
        dir.check(problems::add);
        assertEquals(List.of(), problems);

        Map<String, Target> listed = new HashMap<>();
        for (DirectoryIndex.Entry e : listAll(dir, r)) {
            assertNull(listed.put(key(e.name()), new Target(e.ino(), e.type())), "listed twice: " + key(e.name()));
        }
        assertEquals(model, listed);

        Map<String, Target> each = new HashMap<>();
        dir.forEach(e -> each.put(key(e.name()), new Target(e.ino(), e.type())));
        assertEquals(model, each);
    }

    /**
     * Pages through the whole directory with random batch sizes, checking that cookies only grow and that
     * a batch exceeds its size only by entries sharing the cookie of its last regular entry.
     */
    static List<DirectoryIndex.Entry> listAll(DirectoryIndex dir, Random r) throws Exception {
        List<DirectoryIndex.Entry> all = new ArrayList<>();
        long cookie = 0;
        while (true) {
            int max = 1 + r.nextInt(64);
            List<DirectoryIndex.Entry> batch = dir.list(cookie, max);
            if (batch.isEmpty()) {
                return all;
            }
            long previous = cookie;
            for (int i = 0; i < batch.size(); i++) {
                long c = batch.get(i).cookie();
                assertTrue(c > cookie && c >= previous, "cookie " + c + " after " + previous);
                if (i >= max) {
                    assertEquals(batch.get(max - 1).cookie(), c, "batch longer than " + max);
                }
                previous = c;
            }
            cookie = previous;
            all.addAll(batch);
        }
    }
}
