package org.daxfs.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** BadSectorList against the obvious model: a set of bad sector numbers. */
class BadSectorListPropertyTest {
    private static final int SECTOR = MediaErrors.SECTOR;
    private static final int SPAN = 64 * SECTOR;

    record Op(int kind, long offset, long length) {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(0, SPAN),
                Arbitraries.longs().between(0, 6 * SECTOR)).as(Op::new);
        return op.list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void behavesLikeASetOfSectors(@ForAll("operations") List<Op> ops) {
        BadSectorList list = new BadSectorList();
        TreeSet<Long> model = new TreeSet<>();
        for (Op op : ops) {
            long end = op.offset() + op.length();
            switch (op.kind()) {
                case 0 -> {
                    list.add(op.offset(), op.length());
                    for (long s = op.offset() / SECTOR; op.length() > 0 && s * SECTOR < end; s++) {
                        model.add(s);
                    }
                }
                case 1 -> {
                    list.clear(op.offset(), op.length());
                    for (long s = Math.ceilDiv(op.offset(), SECTOR); (s + 1) * SECTOR <= end; s++) {
                        model.remove(s);
                    }
                }
                default -> {
                    long expectedFirst = -1;
                    for (long b = op.offset(); b < end; b++) {
                        if (model.contains(b / SECTOR)) {
                            expectedFirst = b;
                            break;
                        }
                    }
                    assertEquals(expectedFirst >= 0, list.touches(op.offset(), op.length()), list.toString());
                    assertEquals(expectedFirst, list.firstBad(op.offset(), op.length()), list.toString());
                }
            }
            assertEquals(model.isEmpty(), list.isEmpty());
            assertEquals(toRanges(model), asStrings(list.ranges()));
        }
    }

    /** The model's sectors as merged byte ranges, formatted like {@link #asStrings}. */
    private static List<String> toRanges(TreeSet<Long> sectors) {
        List<String> out = new ArrayList<>();
        long start = -1;
        long prev = -2;
        for (long s : sectors) {
            if (s != prev + 1) {
                if (start >= 0) {
                    out.add(start * SECTOR + "+" + (prev + 1 - start) * SECTOR);
                }
                start = s;
            }
            prev = s;
        }
        if (start >= 0) {
            out.add(start * SECTOR + "+" + (prev + 1 - start) * SECTOR);
        }
        return out;
    }

    private static List<String> asStrings(List<long[]> ranges) {
        return ranges.stream().map(r -> r[0] + "+" + r[1]).toList();
    }
}
