package org.daxfs.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.daxfs.FsException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drives the tree with random inserts, removes, state changes and shifts and compares it after every step
 * with a plain sorted map of extents. Both sides are compared block by block (after merging what can be
 * merged), because the tree is free to keep an extent in one piece or two.
 *
 * <p>{@code -Ddaxfs.test.scale=N} multiplies the steps; {@code -Ddaxfs.test.seed=S} replays one seed.
 */
class ExtentTreePropertyTest {
    private static final long OWNER = 7;

    static LongStream seeds() {
        String seed = System.getProperty("daxfs.test.seed");
        return seed != null ? LongStream.of(Long.parseLong(seed)) : LongStream.rangeClosed(1, 4);
    }

    private static int scale() {
        String s = System.getProperty("daxfs.test.scale");
        return s == null || s.isBlank() ? 1 : Integer.parseInt(s);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void behavesLikeASortedMap(long seed) throws FsException {
        new Run(seed).go(6000 * scale());
    }

    private static final class Run {
        final Random r;
        final long seed;
        final MemoryMetadataBlocks blocks = new MemoryMetadataBlocks();
        final byte[] root = new byte[ExtentTree.ROOT_SIZE];
        final ExtentTree tree;
        /** The model: non-overlapping extents by logical block. */
        final TreeMap<Long, Extent> model = new TreeMap<>();
        long span = 40_000;
        long nextPhysical = 1;
        int maxDepth;
        int maxExtents;
        boolean growing;
        int step;
        String op;

        Run(long seed) {
            this.seed = seed;
            this.r = new Random(seed);
            ExtentTree.initRoot(root);
            tree = new ExtentTree(blocks, root, OWNER);
        }

        void go(int steps) throws FsException {
            for (step = 0; step < steps; step++) {
                // Grow for the first half, then mostly shrink, so splits and frees both happen at depth.
                growing = step < steps / 2;
                int dice = r.nextInt(100);
                try {
                    if (dice < (growing ? 70 : 25)) {
                        insert();
                    } else if (dice < (growing ? 78 : 70)) {
                        remove();
                    } else if (dice < 88) {
                        setUnwritten();
                    } else if (dice < 98) {
                        shift();
                    } else {
                        lookups();
                    }
                    compare();
                } catch (AssertionError | RuntimeException | FsException e) {
                    throw new AssertionError("seed " + seed + " step " + step + " " + op + ": " + e.getMessage(), e);
                }
                maxDepth = Math.max(maxDepth, ExtentTreeTest.depth(root));
                maxExtents = Math.max(maxExtents, model.size());
            }
            assertTrue(maxDepth >= 2, "seed " + seed + " only reached depth " + maxDepth + " with " + maxExtents + " extents");
            assertEquals(normalize(List.copyOf(model.values())), normalize(tree.clear()));
            assertEquals(Set.of(), blocks.allocated());
        }

        void insert() throws FsException {
            long at = r.nextLong(span);
            Map.Entry<Long, Extent> before = model.floorEntry(at);
            if (before != null && before.getValue().end() > at) {
                op = "insert (skipped)";
                return;
            }
            Long after = model.higherKey(at);
            long room = (after == null ? ExtentTree.MAX_LOGICAL + 1 : after) - at;
            long len = Math.min(room, 1 + r.nextInt(r.nextInt(20) == 0 ? 100 : 6));
            boolean unwritten = r.nextBoolean();
            long physical;
            if (before != null && before.getValue().end() == at && r.nextInt(3) == 0) {
                // Continue the extent before, so the tree gets to merge.
                Extent b = before.getValue();
                physical = b.physical() + b.length();
                unwritten = b.unwritten();
            } else {
                nextPhysical += 1 + r.nextInt(1000);
                physical = nextPhysical;
                nextPhysical += len;
            }
            Extent e = new Extent(at, physical, len, unwritten);
            op = "insert " + e;
            tree.insert(e);
            model.put(at, e);
        }

        long[] randomRange() {
            long from = r.nextLong(span);
            long len = switch (r.nextInt(10)) {
                // Huge ranges only while shrinking: while growing they would keep the tree small.
                case 0 -> growing ? 1 + r.nextInt(1000) : r.nextLong(span);
                case 1, 2 -> 1 + r.nextInt(200);
                default -> 1 + r.nextInt(10);
            };
            return new long[] {from, from + len};
        }

        void remove() throws FsException {
            long[] range = randomRange();
            op = "remove [" + range[0] + ", " + range[1] + ")";
            List<Extent> expected = new ArrayList<>();
            for (Extent e : overlapping(range[0], range[1])) {
                model.remove(e.logical());
                expected.add(e.clip(range[0], range[1]));
                putClip(e, e.logical(), range[0]);
                putClip(e, range[1], e.end());
            }
            List<Extent> removed = tree.remove(range[0], range[1]);
            assertEquals(normalize(expected), normalize(removed), "removed pieces");
            for (int i = 0; i < removed.size(); i++) {
                Extent e = removed.get(i);
                assertTrue(e.logical() >= range[0] && e.end() <= range[1], "piece " + e + " outside the range");
                assertTrue(i == 0 || removed.get(i - 1).end() <= e.logical(), "pieces out of order");
            }
        }

        void setUnwritten() throws FsException {
            long[] range = randomRange();
            boolean u = r.nextBoolean();
            op = "setUnwritten [" + range[0] + ", " + range[1] + ") " + u;
            for (Extent e : overlapping(range[0], range[1])) {
                model.remove(e.logical());
                putClip(e, e.logical(), range[0]);
                Extent mid = e.clip(range[0], range[1]).withUnwritten(u);
                model.put(mid.logical(), mid);
                putClip(e, range[1], e.end());
            }
            tree.setUnwritten(range[0], range[1], u);
        }

        void shift() throws FsException {
            long from = r.nextLong(span);
            long delta;
            if (r.nextBoolean()) {
                // Insert range: may fall inside an extent, which the tree cuts.
                delta = 1 + r.nextInt(300);
                Map.Entry<Long, Extent> at = model.floorEntry(from);
                if (at != null && at.getValue().end() > from && at.getKey() < from) {
                    model.remove(at.getKey());
                    putClip(at.getValue(), at.getKey(), from);
                    putClip(at.getValue(), from, at.getValue().end());
                }
            } else {
                // Collapse: never from inside a run the tree may hold as one extent, never onto mapped blocks.
                from = runStart(from);
                Map.Entry<Long, Extent> first = model.ceilingEntry(from);
                Map.Entry<Long, Extent> prev = model.lowerEntry(from);
                long gap = first == null ? 0 : first.getKey() - (prev == null ? 0 : prev.getValue().end());
                delta = gap == 0 ? 0 : -1 - r.nextLong(gap);
            }
            op = "shift " + from + " by " + delta;
            TreeMap<Long, Extent> moved = new TreeMap<>();
            for (Extent e : List.copyOf(model.tailMap(from, true).values())) {
                model.remove(e.logical());
                moved.put(e.logical() + delta, new Extent(e.logical() + delta, e.physical(), e.length(), e.unwritten()));
            }
            model.putAll(moved);
            tree.shift(from, delta);
            if (!model.isEmpty()) {
                span = Math.max(span, model.lastEntry().getValue().end() + 100);
            }
        }

        /** The start of the mergeable run of model extents holding {@code at}, or {@code at} in a hole. */
        long runStart(long at) {
            Map.Entry<Long, Extent> e = model.floorEntry(at);
            if (e == null || e.getValue().end() <= at) {
                return at;
            }
            while (true) {
                Map.Entry<Long, Extent> before = model.lowerEntry(e.getKey());
                Extent b = before == null ? null : before.getValue();
                Extent c = e.getValue();
                if (b == null || b.end() != c.logical() || b.physical() + b.length() != c.physical()
                        || b.unwritten() != c.unwritten()) {
                    return c.logical();
                }
                e = before;
            }
        }

        void lookups() throws FsException {
            long[] range = randomRange();
            op = "extents [" + range[0] + ", " + range[1] + ")";
            List<Extent> got = tree.extents(range[0], range[1]);
            for (int i = 1; i < got.size(); i++) {
                assertTrue(got.get(i - 1).end() <= got.get(i).logical(), "extents out of order");
            }
            assertEquals(normalize(clipAll(overlapping(range[0], range[1]), range)), normalize(clipAll(got, range)));
        }

        void compare() throws FsException {
            tree.check();
            blocks.assertSealed();
            assertEquals(0, blocks.strayReads());
            List<Extent> all = tree.all();
            assertEquals(normalize(List.copyOf(model.values())), normalize(all));
            Set<Long> nodes = new TreeSet<>();
            tree.forEachNode(nodes::add);
            assertEquals(blocks.allocated(), nodes, "node blocks leaked or foreign");
            assertEquals(model.values().stream().mapToLong(Extent::length).sum(), tree.mappedBlocks());
            for (int k = 0; k < 20; k++) {
                long at = k < 10 || model.isEmpty() ? r.nextLong(span) : edgeNear(r.nextLong(span));
                Map.Entry<Long, Extent> m = model.floorEntry(at);
                Extent expected = m != null && m.getValue().contains(at) ? m.getValue() : null;
                Extent found = tree.find(at);
                if (expected == null) {
                    assertEquals(null, found, "find " + at);
                } else {
                    assertTrue(found != null && found.contains(at) && found.physicalOf(at) == expected.physicalOf(at)
                            && found.unwritten() == expected.unwritten(), "find " + at + ": " + found + " for " + expected);
                }
                Extent next = tree.next(at);
                long expectedStart = expected != null ? at : nextStart(at);
                if (expectedStart < 0) {
                    assertEquals(null, next, "next " + at);
                } else {
                    long s = Math.max(at, next.logical());
                    Extent e = model.floorEntry(expectedStart).getValue();
                    assertTrue(s == expectedStart && next.physicalOf(s) == e.physicalOf(s) && next.unwritten() == e.unwritten(),
                            "next " + at + ": " + next + " for " + e);
                }
            }
        }

        /** A block at or next to an extent boundary, where off-by-one errors live. */
        long edgeNear(long at) {
            Map.Entry<Long, Extent> e = model.floorEntry(at);
            if (e == null) {
                e = model.firstEntry();
            }
            long edge = r.nextBoolean() ? e.getKey() : e.getValue().end();
            return Math.max(0, Math.min(ExtentTree.MAX_LOGICAL, edge + r.nextInt(3) - 1));
        }

        long nextStart(long at) {
            Long k = model.higherKey(at);
            return k == null ? -1 : k;
        }

        List<Extent> overlapping(long from, long to) {
            List<Extent> out = new ArrayList<>();
            Map.Entry<Long, Extent> before = model.lowerEntry(from);
            if (before != null && before.getValue().end() > from) {
                out.add(before.getValue());
            }
            out.addAll(model.subMap(from, true, to, false).values());
            return out;
        }

        void putClip(Extent e, long from, long to) {
            Extent c = e.clip(from, to);
            if (c != null) {
                model.put(c.logical(), c);
            }
        }

        static List<Extent> clipAll(List<Extent> in, long[] range) {
            List<Extent> out = new ArrayList<>();
            for (Extent e : in) {
                out.add(e.clip(range[0], range[1]));
            }
            return out;
        }
    }

    /** Merges every pair that continues each other logically and physically in the same state. */
    static List<Extent> normalize(List<Extent> in) {
        List<Extent> out = new ArrayList<>();
        for (Extent e : in) {
            Extent last = out.isEmpty() ? null : out.getLast();
            if (last != null && last.end() == e.logical() && last.physical() + last.length() == e.physical()
                    && last.unwritten() == e.unwritten()) {
                out.set(out.size() - 1, new Extent(last.logical(), last.physical(), last.length() + e.length(), e.unwritten()));
            } else {
                out.add(e);
            }
        }
        return out;
    }
}
