package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * One step of a run, its parameters already chosen. The checker applies it to the model, which says what
 * DaxFS must answer, then to DaxFS, and compares. Each kind of operation is one small class, made by the
 * generator of its {@link OperationType}; a new operation is one such class plus one row of
 * {@link Operations#TABLE}.
 *
 * <p>An operation is used by the one thread that made it.
 */
interface Operation {
    /** Applies the operation to the model and returns what DaxFS must answer. Called before {@link #perform}. */
    Outcome expect(FileModel model);

    /**
     * Applies the operation to the file under test and returns what it answered. An {@link FsException}
     * thrown here is DaxFS's answer too: the checker turns it into a failed {@link Outcome}.
     *
     * @throws CheckFailed if the operation checks DaxFS's answer itself and finds it wrong (for answers that
     *     no single expected outcome describes, such as old-or-new data)
     */
    Outcome perform(TestedFile file) throws FsException, CheckFailed;

    /**
     * One line for the operation log: the name and the parameters. It depends on nothing but the seed, so
     * the same seed gives the same lines.
     */
    String describe();

    /**
     * The bytes of the file the operation reads or changes, for flip mode, where threads work on disjoint
     * parts of one file at once: {@link Footprint#NOTHING} if it touches no byte (fsync), null if it
     * touches the whole file or its size (truncate, collapse, append, an invalid range). Called with the
     * model's lock held, after {@link #expect}'s draw and before it.
     */
    default Footprint footprint(FileModel model) {
        return null;
    }

    /**
     * The outcome DaxFS must have given, now that it answered {@code actual}: {@code expected}, except for
     * answers that depend on what the model cannot know in flip mode, where another thread flips the
     * file's DAX flag: whether the file was DAX when mapped (a sync mapping of a cached file fails), and
     * whether a mapping was revoked under the operation. Such an operation checks what it can (the bytes
     * read before a revocation; bytes stored before one are there, those after are not), updates the model
     * to what happened, and returns the outcome to compare with. Called after {@link #perform}, with the
     * model's lock held.
     *
     * @throws CheckFailed if DaxFS's answer fits neither mode
     */
    default Outcome settle(FileModel model, Outcome expected, Outcome actual) throws CheckFailed {
        return expected;
    }

    /** What differs between the expected and the actual outcome, or null. Reads override it to say where their bytes lie. */
    default Mismatch compare(Outcome expected, Outcome actual) {
        return Comparison.compare(expected, actual, 0);
    }

    /**
     * Whether the blocks the file has allocated are compared with the model's right after this operation:
     * for the operations whose space accounting is subtle (truncate, preallocate), so that a difference is
     * reported at the operation that made it.
     */
    default boolean changesAllocation() {
        return false;
    }

    /** Whether the whole file is compared with the model right after this operation (remount, reopen). */
    default boolean checksWholeFileAfter() {
        return false;
    }
}
