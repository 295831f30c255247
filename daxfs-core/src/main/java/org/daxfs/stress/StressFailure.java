package org.daxfs.stress;

import java.util.List;

/**
 * A checker thread found DaxFS disagreeing with its model: which thread and file, at which operation, what
 * differed, and the operations that led there. The run turns it into a {@link FailureReport}.
 */
final class StressFailure extends Exception {
    private static final long serialVersionUID = 1L;

    final transient Mismatch mismatch;
    final int thread;
    final String path;
    final long opNumber;
    final String operation;
    final transient List<String> lastOps;
    /** What kind of failure, for the headline: MISCOMPARE unless the run itself went wrong. */
    final String kind;

    StressFailure(int thread, String path, long opNumber, String operation, Mismatch mismatch, List<String> lastOps,
            Throwable cause) {
        this("MISCOMPARE", thread, path, opNumber, operation, mismatch, lastOps, cause);
    }

    StressFailure(String kind, int thread, String path, long opNumber, String operation, Mismatch mismatch,
            List<String> lastOps, Throwable cause) {
        super(mismatch.problem(), cause);
        this.kind = kind;
        this.thread = thread;
        this.path = path;
        this.opNumber = opNumber;
        this.operation = operation;
        this.mismatch = mismatch;
        this.lastOps = lastOps;
    }
}
