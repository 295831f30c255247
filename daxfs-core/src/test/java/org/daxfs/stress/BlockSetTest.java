package org.daxfs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** BlockSet against a BitSet, over random adds, cuts, differences and intersections with ranges. */
class BlockSetTest {
    private static final int SPAN = 300;

    @Test
    void agreesWithABitSet() {
        Rng r = new Rng(5);
        for (int round = 0; round < 200 * StressTesting.scale(); round++) {
            BlockSet a = new BlockSet();
            BlockSet b = new BlockSet();
            BitSet ba = new BitSet();
            BitSet bb = new BitSet();
            for (int i = 0; i < 30; i++) {
                long from = r.below(SPAN);
                long to = from + r.below(40);
                boolean first = r.percent(50);
                if (r.percent(10)) {
                    (first ? a : b).removeFrom(from);
                    (first ? ba : bb).clear((int) from, SPAN + 100);
                } else {
                    (first ? a : b).add(from, to);
                    (first ? ba : bb).set((int) from, (int) to);
                }
                assertEquals(toBits(a), ba);
                assertEquals(ba.cardinality(), a.count());
                BitSet diff = (BitSet) ba.clone();
                diff.andNot(bb);
                assertEquals(diff, toBits(a.minus(b)));
                assertEquals(ba.equals(bb), a.equals(b));
                int lo = (int) r.below(SPAN);
                int hi = lo + (int) r.below(SPAN);
                BitSet within = ba.get(0, hi);
                within.clear(0, lo);
                assertEquals(within, toBits(a.within(lo, hi)));
            }
        }
    }

    private static BitSet toBits(BlockSet s) {
        BitSet bits = new BitSet();
        long last = -1;
        for (long[] range : s.ranges()) {
            assertEquals(true, range[0] > last, "ranges are disjoint, apart and ordered: " + s);
            bits.set((int) range[0], (int) range[1]);
            last = range[1];
        }
        return bits;
    }
}
