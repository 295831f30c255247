package org.daxfs.stress;

/**
 * What a caller hears while a run goes on. Calls are serialised: at most one at a time, from any of the
 * run's threads.
 */
public interface StressListener {
    /** {@code done} of {@code total} operations are done (called every few hundred operations). */
    void progress(long done, long total);

    /** Whether {@link #operation} wants every operation's line; building them costs time. */
    default boolean traces() {
        return false;
    }

    /** One operation of thread {@code thread} and its answer, as the operation log shows it. */
    default void operation(int thread, String line) {
    }

    /** A listener that hears nothing. */
    static StressListener none() {
        return (done, total) -> { };
    }
}
