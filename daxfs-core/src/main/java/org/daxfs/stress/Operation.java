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
