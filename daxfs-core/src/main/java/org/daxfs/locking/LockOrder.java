package org.daxfs.locking;

import java.util.List;

/**
 * The lock order of DaxFS, and its checker (debug mode).
 *
 * <h2>Lock order (outermost first)</h2>
 * <pre>
 *   NAMESPACE        namespace lock of a mounted file system (DaxFileSystem)
 *     INODE          inode lock (Inode.lock): writers, truncate, fallocate; readers where needed
 *       INVALIDATE   a file's invalidate lock: fill paths shared, block-removing paths exclusive
 *         JOURNAL    the journal lock, held by a transaction from begin to commit or abort
 *           MAPPING_ENTRY / PAGE   a mapping entry lock or a cached page lock (one level)
 *             DEVICE_SECTION       a device read-side section, entered inside each device call
 * </pre>
 * A thread may take a lock of the level of the innermost lock it holds or of any deeper level, never an outer
 * one: no namespace lock under an inode lock, no transaction begun under an entry or page lock, nothing but
 * another section inside a device section. Nesting within one level is not checked: code that takes two
 * locks of one level must rule out the opposite order itself (rename takes two inode locks only with the
 * namespace lock held exclusive). Leaf monitors (the allocator, the bad-sector list) are not ranked.
 *
 * <h2>The checker</h2>
 * Off unless the JVM runs with {@code -Ddaxfs.lockorder=true} (the test suite does). Off, every method
 * returns at once on a static final flag the JIT folds away: no allocation, no thread-local access. On, each
 * thread's held locks are recorded ({@link RankedLock}, {@link RankedReadWriteLock} and device sections report
 * themselves; other locks report through {@link #acquired} and {@link #released}), and taking a lock outer to
 * one held throws {@link LockOrderViolation} naming both and where the held one was taken. Re-taking a lock
 * the thread holds (reentrancy, or read while holding write) is no inversion; releases may come in any order.
 * A try-lock that succeeds is recorded but not checked (it cannot wait, so it cannot deadlock); later
 * acquisitions are checked against it. Violations are also counted, so a test can assert that none happened
 * on any thread ({@link #violations()}).
 *
 * <p>Code that legitimately runs outside its caller's lock context (a test hook that mounts another file
 * system from inside a device call) runs in a {@link #suspend()} scope.
 *
 * <p>Context: any thread, any lock held; the methods take no lock (the violation list, only when one is
 * reported).
 */
public final class LockOrder {
    /** True if the JVM runs with {@code -Ddaxfs.lockorder=true}: locks are recorded and checked. */
    public static final boolean ENABLED = Boolean.getBoolean("daxfs.lockorder");

    /** The order as one line, for messages. */
    static final String ORDER =
            "NAMESPACE > INODE > INVALIDATE > JOURNAL > MAPPING_ENTRY = PAGE > DEVICE_SECTION (outermost first)";

    private static final LockOrderChecker CHECKER = new LockOrderChecker(ENABLED);

    private LockOrder() {}

    /**
     * A scope from {@link #suspend()}; closing it restores the locks held before. Close it on the thread that
     * opened it, innermost scope first.
     */
    public interface Scope extends AutoCloseable {
        /** The scope handed out while the checker is off: closing it does nothing. */
        Scope NONE = () -> { };

        @Override
        void close();
    }

    /**
     * Reports that the current thread takes {@code lock} of {@code rank}: checks the order against the locks
     * it holds, then records the lock as held. Call it before waiting for the lock, so an inversion is
     * reported instead of a deadlock (if the lock then cannot be taken, call {@link #released}), or right
     * after taking it. Taking a lock the thread already holds counts one more hold.
     *
     * @param lock the lock's identity (compared with ==); its toString names it in messages
     * @param shared true for a shared (read) hold, for messages
     * @throws LockOrderViolation if the thread holds a lock of a level inner to {@code rank}; the lock is
     *     then not recorded as held (a caller that already took it should give it back)
     */
    public static void acquired(LockRank rank, Object lock, boolean shared) {
        if (!ENABLED) {
            return;
        }
        CHECKER.acquired(rank, lock, shared);
    }

    /**
     * Reports that the current thread took {@code lock} without waiting (a try-lock that succeeded): recorded
     * as held, not checked, since it cannot deadlock. Later acquisitions are checked against it.
     */
    public static void tryAcquired(LockRank rank, Object lock, boolean shared) {
        if (!ENABLED) {
            return;
        }
        CHECKER.tryAcquired(rank, lock, shared);
    }

    /**
     * Reports that the current thread gave back one hold of {@code lock}. Releases may come in any order; a
     * lock the thread is not recorded as holding is ignored.
     */
    public static void released(LockRank rank, Object lock) {
        if (!ENABLED) {
            return;
        }
        CHECKER.released(rank, lock);
    }

    /**
     * Sets the current thread's held locks aside until the returned scope closes: inside, the thread counts
     * as holding nothing, so it may take any lock. For code that runs outside its caller's lock context,
     * e.g. a crash simulator's persist listener that mounts another file system from inside a device
     * section. Locks released inside that were taken before are still found; locks taken inside and still
     * held when the scope closes count as held afterwards. Use with try-with-resources.
     */
    public static Scope suspend() {
        if (!ENABLED) {
            return Scope.NONE;
        }
        return CHECKER.suspend();
    }

    /**
     * Violations reported on any thread since the JVM started (the first hundred), oldest first. Always
     * empty while the checker is off.
     */
    public static List<LockOrderViolation> violations() {
        return CHECKER.violations();
    }

    /** How many violations have been reported on any thread since the JVM started. */
    public static long violationCount() {
        return CHECKER.violationCount();
    }

    /** The checker in use, for tests in this package. */
    static LockOrderChecker checker() {
        return CHECKER;
    }
}
