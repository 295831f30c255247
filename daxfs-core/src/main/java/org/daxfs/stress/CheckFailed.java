package org.daxfs.stress;

/** Thrown by an operation that checks DaxFS's answer itself (see {@link Operation#perform}) and finds it wrong. */
final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Mismatch mismatch;

    CheckFailed(Mismatch mismatch) {
        super(mismatch.problem(), null, false, false);
        this.mismatch = mismatch;
    }

    Mismatch mismatch() {
        return mismatch;
    }
}
