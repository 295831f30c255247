package org.daxfs.stress;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.daxfs.FsException;
import org.daxfs.format.Extent;
import org.daxfs.fs.Stat;

/**
 * Compares a whole file with its model: size, DAX flag and whether the file is DAX now, the blocks it has allocated (exactly the set the
 * model says, and st_blocks to match), and its contents byte for byte.
 *
 * <p>Files can be sparse and huge (data just below the 16 TiB limit), so the contents are read where either
 * side can hold data: every page of the model, every block DaxFS maps, the first and last bytes, and a few
 * random probes of what both sides call holes. Everything else is a hole in the model and unmapped in DaxFS,
 * which reads as zeros by construction. Stateless; the caller's thread does the reads.
 */
final class WholeFileCheck {
    private static final int BLOCK = FileModel.BLOCK;
    private static final int CHUNK = 1 << 20;
    private static final int PROBES = 2;

    private WholeFileCheck() {
    }

    /** Null if the file matches its model, else what differs. */
    static Mismatch check(FileModel model, TestedFile file, Rng probes) throws FsException {
        long size = file.size();
        if (size != model.size()) {
            return Mismatch.of("size is " + size + ", the model says " + model.size());
        }
        Stat st = file.stat();
        if (st.size() != size) {
            return Mismatch.of("stat says size " + st.size() + ", the handle says " + size);
        }
        // While another thread flips the flag (flip mode) neither can be known; the flipper checks them.
        if (!model.modeUnknown()) {
            if (st.isDax() != model.dax()) {
                return Mismatch.of("DAX flag is " + onOff(st.isDax()) + ", the model says " + onOff(model.dax()));
            }
            if (st.isDaxActive() != model.daxActive()) {
                return Mismatch.of("the file is " + (st.isDaxActive() ? "DAX" : "cached") + " with the DAX flag "
                        + onOff(st.isDax()) + "; the model says " + (model.daxActive() ? "DAX" : "cached"));
            }
        }
        BlockSet mapped = new BlockSet();
        Mismatch m = allocation(model, file, mapped);
        if (m != null) {
            return m;
        }
        for (long[] r : rangesToRead(model, mapped, size, probes)) {
            m = compareRange(model, file, r[0], r[1]);
            if (m != null) {
                return m;
            }
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        int n = file.read(one, size);
        if (n != -1) {
            return Mismatch.of("a read at the end of file (" + size + ") returned " + n + ", not end of file");
        }
        return null;
    }

    private static String onOff(boolean flag) {
        return flag ? "set" : "clear";
    }

    /**
     * Null if DaxFS maps exactly the blocks the model says the file has allocated and st_blocks agrees, else
     * what differs. The blocks mapped are added to {@code mapped}.
     */
    static Mismatch allocation(FileModel model, TestedFile file, BlockSet mapped) throws FsException {
        List<Extent> extents = file.extents();
        for (Extent e : extents) {
            mapped.add(e.logical(), e.end());
        }
        if (!mapped.equals(model.allocated())) {
            return Mismatch.of("allocated blocks differ: DaxFS maps blocks the model says are free: "
                    + mapped.minus(model.allocated()) + "; the model has blocks DaxFS does not map: "
                    + model.allocated().minus(mapped));
        }
        long data = model.allocated().count() * BLOCK;
        // st_blocks may or may not count extent-tree nodes on top of the data; allow a few per hundred extents.
        long slack = (extents.size() / 64 + 4L) * BLOCK;
        long blocks = file.stat().blocks();
        if (blocks < data || blocks > data + slack) {
            return Mismatch.of("st_blocks is " + blocks + " bytes for " + data + " bytes of allocated blocks");
        }
        return null;
    }

    private static List<long[]> rangesToRead(FileModel model, BlockSet mapped, long size, Rng probes) {
        List<long[]> wanted = new ArrayList<>(model.contentRanges());
        for (long[] r : mapped.ranges()) {
            wanted.add(new long[] {r[0] * BLOCK, r[1] * BLOCK});
        }
        if (size > 0) {
            wanted.add(new long[] {0, Math.min(size, BLOCK)});
            wanted.add(new long[] {Math.max(0, size - BLOCK), size});
            for (int i = 0; i < PROBES; i++) {
                long at = probes.below(size);
                wanted.add(new long[] {at, at + BLOCK});
            }
        }
        wanted.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : wanted) {
            long s = Math.max(0, r[0]);
            long e = Math.min(size, r[1]);
            if (s >= e) {
                continue;
            }
            if (!merged.isEmpty() && merged.getLast()[1] >= s) {
                merged.getLast()[1] = Math.max(merged.getLast()[1], e);
            } else {
                merged.add(new long[] {s, e});
            }
        }
        return merged;
    }

    private static Mismatch compareRange(FileModel model, TestedFile file, long from, long to) throws FsException {
        for (long pos = from; pos < to; pos += CHUNK) {
            int len = (int) Math.min(CHUNK, to - pos);
            ByteBuffer buf = ByteBuffer.allocate(len);
            int n = file.read(buf, pos);
            if (n != len) {
                return Mismatch.of("a read of " + Ranges.of(pos, len) + " inside the file returned " + n);
            }
            Mismatch m = Comparison.bytes("the file differs from the model", pos, model.bytes(pos, len), buf.array(), len);
            if (m != null) {
                return m;
            }
        }
        return null;
    }
}
