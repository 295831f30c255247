package org.daxfs.stress;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table of operation types: one row per kind, with its name, weights, modes and generator.
 *
 * <p>Adding an operation (copy_file_range, say) is one class and one row: the class draws its parameters
 * (from {@link Choices}, with the cases Linux rejects now and then), applies itself to the
 * {@link FileModel} (which gains the operation's Linux semantics, errors included) and to the
 * {@link TestedFile} (which gains the engine call, forwarded by {@link DaxFile}), and says whether it
 * changes the allocation. A range operation that removes blocks also belongs in the disruptor's weights,
 * and its readers then check old-or-new-or-zero as {@link SharedReadOp} does; if it takes blocks away, the
 * model also revokes the mappings over them ({@link FileModel#hold}).
 *
 * <p>The operations: read, write and append; reads and writes through zero-copy mappings (map-read, which
 * also keeps a mapping across operations and reads through it later, map-write); truncate; the fallocate
 * modes (allocate with and without KEEP_SIZE, punch hole, zero range with and without KEEP_SIZE, collapse
 * range, insert range); fsync and fdatasync; reopen; remount; DAX flag flips; and in disrupt mode the
 * readers' shared-read, through the handle or through mappings. In flip mode a thread of its own flips
 * the DAX flag ({@link Flipper}); the operations there say which bytes they touch ({@link
 * Operation#footprint}) and settle what only DaxFS's answer can tell ({@link Operation#settle}).
 */
public final class Operations {
    private static final Set<Mode> ALL = EnumSet.allOf(Mode.class);

    /**
     * The operations, with weights in thousandths or so: remounting costs milliseconds, so it gets a few
     * per thousand operations while reads and writes get a fifth each.
     */
    static final List<OperationType> TABLE = List.of(
            new OperationType("read", 200, 100, ALL, ReadOp::draw),
            new OperationType("write", 200, 250, ALL, WriteOp::draw),
            new OperationType("append", 50, 50, ALL, AppendOp::draw),
            new OperationType("map-read", 60, 0, ALL, MapReadOp::draw),
            new OperationType("map-write", 60, 0, ALL, MapWriteOp::draw),
            new OperationType("truncate", 80, 250, ALL, TruncateOp::draw),
            new OperationType("allocate", 40, 100, ALL, FallocateOp.drawer(FallocateOp.Mode.ALLOCATE)),
            new OperationType("allocate-keep-size", 40, 100, ALL, FallocateOp.drawer(FallocateOp.Mode.ALLOCATE_KEEP_SIZE)),
            new OperationType("punch-hole", 60, 250, ALL, FallocateOp.drawer(FallocateOp.Mode.PUNCH_HOLE)),
            new OperationType("zero-range", 30, 100, ALL, FallocateOp.drawer(FallocateOp.Mode.ZERO_RANGE)),
            new OperationType("zero-range-keep-size", 30, 100, ALL, FallocateOp.drawer(FallocateOp.Mode.ZERO_RANGE_KEEP_SIZE)),
            // They move data to other offsets, which a shared reader could not tell from foreign data.
            new OperationType("collapse-range", 50, 0, ALL, FallocateOp.drawer(FallocateOp.Mode.COLLAPSE_RANGE)),
            new OperationType("insert-range", 50, 0, ALL, FallocateOp.drawer(FallocateOp.Mode.INSERT_RANGE)),
            new OperationType("fsync", 20, 20, ALL, c -> new SyncOp(false)),
            new OperationType("fdatasync", 20, 20, ALL, c -> new SyncOp(true)),
            new OperationType("reopen", 20, 0, ALL, ReopenOp::draw),
            new OperationType("remount", 3, 0, EnumSet.of(Mode.SINGLE), c -> new RemountOp()),
            // In flip mode the flipper does nothing else.
            new OperationType("dax-flip", 20, 100, EnumSet.of(Mode.SINGLE, Mode.MULTI, Mode.DISRUPT), DaxFlagOp::draw),
            new OperationType("shared-read", 400, 0, EnumSet.of(Mode.DISRUPT), SharedReadOp::draw));

    private Operations() {
    }

    /** The names of every operation, in table order, as {@code --ops-mix} spells them. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (OperationType t : TABLE) {
            names.add(t.name());
        }
        return names;
    }

    /** Each operation's default weight on a thread's own file ({@code shared-read}: in disrupt mode), in table order. */
    public static Map<String, Integer> defaultWeights() {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (OperationType t : TABLE) {
            weights.put(t.name(), t.defaultWeight());
        }
        return weights;
    }

    /** The row named {@code name}, or null. */
    static OperationType named(String name) {
        for (OperationType t : TABLE) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Index of {@code type} in the table, for counting. */
    static int indexOf(OperationType type) {
        return TABLE.indexOf(type);
    }
}
