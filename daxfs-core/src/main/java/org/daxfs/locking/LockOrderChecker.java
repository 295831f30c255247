package org.daxfs.locking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The lock-order checker behind {@link LockOrder}: per thread, the locks held, and a check at each
 * acquisition. {@link LockOrder} holds one instance, enabled or not by {@code -Ddaxfs.lockorder}; tests
 * create their own, in either mode, without restarting the JVM.
 *
 * <h2>What a thread's state holds</h2>
 * A stack of held locks in the order they were first taken, one entry per lock (its rank, identity, the mode
 * of the first acquisition, a hold count for reentrancy, and a stack trace of where it was taken). Taking a
 * lock the thread already holds (reentrant, or read while holding write) only counts up. Releases may come
 * in any order: the entry is found by identity. {@link #suspend()} sets the stack aside and starts an empty
 * one until the scope closes.
 *
 * <p>Context: the per-thread state is confined to its thread; the violation list is shared and safe.
 */
final class LockOrderChecker {
    /** Violations remembered for {@link #violations()}; later ones are only counted. */
    static final int MAX_REMEMBERED = 100;

    private final boolean enabled;
    private final ThreadLocal<ThreadState> state;
    private final AtomicLong violationCount = new AtomicLong();
    private final List<LockOrderViolation> remembered = new ArrayList<>(); // guarded by itself

    /** @param enabled false makes every method return at once (the checker is off) */
    LockOrderChecker(boolean enabled) {
        this.enabled = enabled;
        this.state = enabled ? ThreadLocal.withInitial(ThreadState::new) : null;
    }

    boolean isEnabled() {
        return enabled;
    }

    /**
     * Checks that {@code lock} may be taken now, then records it as held.
     *
     * @throws LockOrderViolation if the thread holds a lock of a higher level than {@code rank} (one inner
     *     to it); the lock is then not recorded
     */
    void acquired(LockRank rank, Object lock, boolean shared) {
        if (!enabled) {
            return;
        }
        ThreadState t = state.get();
        Entry held = t.find(lock);
        if (held != null) {
            held.holds++;
            return;
        }
        Entry inner = t.innermostAbove(rank.level());
        if (inner != null) {
            throw violation(inner, rank, lock, shared);
        }
        t.push(new Entry(rank, lock, shared));
    }

    /** Records {@code lock} as held without the order check: it was taken without waiting (a try-lock). */
    void tryAcquired(LockRank rank, Object lock, boolean shared) {
        if (!enabled) {
            return;
        }
        ThreadState t = state.get();
        Entry held = t.find(lock);
        if (held != null) {
            held.holds++;
        } else {
            t.push(new Entry(rank, lock, shared));
        }
    }

    /**
     * Records one release of {@code lock}. The lock is looked up in the current stack, then in those set
     * aside by {@link #suspend()}, innermost first; a lock the thread is not recorded as holding is ignored.
     */
    void released(LockRank rank, Object lock) {
        if (!enabled) {
            return;
        }
        state.get().release(lock);
    }

    /** Sets the thread's held locks aside until the returned scope closes; see {@link LockOrder#suspend()}. */
    LockOrder.Scope suspend() {
        if (!enabled) {
            return LockOrder.Scope.NONE;
        }
        ThreadState t = state.get();
        t.saved.add(new Saved(t.stack, t.depth));
        t.stack = new Entry[ThreadState.INITIAL];
        t.depth = 0;
        return new Suspension(t, t.saved.size());
    }

    /** Locks the current thread is recorded as holding in its current stack (not those set aside). */
    int heldCount() {
        return enabled ? state.get().depth : 0;
    }

    /** Hold count of {@code lock} in the current stack of this thread, 0 if not held. */
    int holds(Object lock) {
        if (!enabled) {
            return 0;
        }
        Entry e = state.get().find(lock);
        return e == null ? 0 : e.holds;
    }

    /** The first {@value #MAX_REMEMBERED} violations reported by this checker, oldest first. */
    List<LockOrderViolation> violations() {
        synchronized (remembered) {
            return List.copyOf(remembered);
        }
    }

    /** How many violations this checker has reported. */
    long violationCount() {
        return violationCount.get();
    }

    /** Forgets the violations reported so far (tests that provoke them on purpose). */
    void clearViolations() {
        synchronized (remembered) {
            remembered.clear();
            violationCount.set(0);
        }
    }

    private LockOrderViolation violation(Entry held, LockRank rank, Object lock, boolean shared) {
        String message = "lock order violation on thread " + Thread.currentThread().getName() + ": taking "
                + rank + " lock '" + describe(lock) + "' (" + mode(shared) + ") while holding " + held.rank
                + " lock '" + describe(held.lock) + "' (" + mode(held.shared) + "), which is inner to it; "
                + "the order is " + LockOrder.ORDER + ". The held lock was taken at " + where(held.site);
        LockOrderViolation v = new LockOrderViolation(message, held.site);
        synchronized (remembered) {
            violationCount.incrementAndGet();
            if (remembered.size() < MAX_REMEMBERED) {
                remembered.add(v);
            }
        }
        return v;
    }

    private static String mode(boolean shared) {
        return shared ? "shared" : "exclusive";
    }

    /** The name of a lock for messages: a ranked lock's name, else what its toString says. */
    static String describe(Object lock) {
        if (lock instanceof RankedLock r) {
            return r.name();
        }
        if (lock instanceof RankedReadWriteLock r) {
            return r.name();
        }
        try {
            return String.valueOf(lock);
        } catch (RuntimeException e) {
            return lock.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(lock));
        }
    }

    /** Classes whose frames say nothing about where a lock was taken. */
    private static final List<String> PLUMBING = List.of(LockOrderChecker.class.getName(), LockOrder.class.getName(),
            RankedLock.class.getName(), RankedReadWriteLock.class.getName(), "java.util.concurrent.locks.");

    /** The first frames of {@code site} outside the checker, the ranked locks and the JDK's lock classes. */
    private static String where(Throwable site) {
        StackTraceElement[] frames = site.getStackTrace();
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (StackTraceElement f : frames) {
            if (isPlumbing(f.getClassName())) {
                continue;
            }
            sb.append(shown == 0 ? "" : " <- ").append(f);
            if (++shown == 3) {
                break;
            }
        }
        return shown == 0 ? "(unknown)" : sb.toString();
    }

    private static boolean isPlumbing(String className) {
        for (String p : PLUMBING) {
            if (className.equals(p) || className.startsWith(p.endsWith(".") ? p : p + "$")) {
                return true;
            }
        }
        return false;
    }

    /** Resolves a lock name given as a String or a Supplier of one. */
    static String nameOf(Object name) {
        if (name instanceof Supplier<?> s) {
            return String.valueOf(s.get());
        }
        return String.valueOf(name);
    }

    /** One held lock. */
    private static final class Entry {
        final LockRank rank;
        final Object lock;
        final boolean shared;
        final Throwable site;
        int holds = 1;

        Entry(LockRank rank, Object lock, boolean shared) {
            this.rank = rank;
            this.lock = lock;
            this.shared = shared;
            this.site = new Throwable(rank + " lock acquired here (held when the violation was found)");
        }
    }

    /** A stack set aside by a suspension. */
    private record Saved(Entry[] stack, int depth) {}

    /** What one thread holds. */
    private static final class ThreadState {
        static final int INITIAL = 8;
        final Thread owner = Thread.currentThread();
        Entry[] stack = new Entry[INITIAL];
        int depth;
        /** Stacks set aside by open suspensions, outermost first. */
        final List<Saved> saved = new ArrayList<>(2);

        Entry find(Object lock) {
            for (int i = depth - 1; i >= 0; i--) {
                if (stack[i].lock == lock) {
                    return stack[i];
                }
            }
            return null;
        }

        /** The most recently taken held lock whose level is above {@code level}, or null. */
        Entry innermostAbove(int level) {
            for (int i = depth - 1; i >= 0; i--) {
                if (stack[i].rank.level() > level) {
                    return stack[i];
                }
            }
            return null;
        }

        void push(Entry e) {
            if (depth == stack.length) {
                stack = Arrays.copyOf(stack, depth * 2);
            }
            stack[depth++] = e;
        }

        void release(Object lock) {
            if (releaseFrom(stack, depth, lock)) {
                depth--;
                return;
            }
            for (int s = saved.size() - 1; s >= 0; s--) {
                Saved sv = saved.get(s);
                Entry[] st = sv.stack();
                if (indexOf(st, sv.depth(), lock) >= 0) {
                    if (releaseFrom(st, sv.depth(), lock)) {
                        saved.set(s, new Saved(st, sv.depth() - 1));
                    }
                    return;
                }
            }
        }

        /** Counts down one hold of {@code lock} in {@code st}; true if its entry was removed. */
        private static boolean releaseFrom(Entry[] st, int depth, Object lock) {
            int i = indexOf(st, depth, lock);
            if (i < 0 || --st[i].holds > 0) {
                return false;
            }
            System.arraycopy(st, i + 1, st, i, depth - i - 1);
            st[depth - 1] = null;
            return true;
        }

        private static int indexOf(Entry[] st, int depth, Object lock) {
            for (int i = depth - 1; i >= 0; i--) {
                if (st[i].lock == lock) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Restores the stack set aside by one {@link #suspend()}; closing twice is harmless. */
    private static final class Suspension implements LockOrder.Scope {
        private final ThreadState state;
        private final int level;
        private boolean open = true;

        Suspension(ThreadState state, int level) {
            this.state = state;
            this.level = level;
        }

        @Override
        public void close() {
            if (!open) {
                return;
            }
            if (Thread.currentThread() != state.owner) {
                throw new IllegalStateException("lock-order suspension closed on " + Thread.currentThread()
                        + ", opened on " + state.owner);
            }
            open = false;
            if (state.saved.size() != level) {
                throw new IllegalStateException("lock-order suspensions closed out of order");
            }
            Saved outer = state.saved.removeLast();
            // Locks taken inside the scope and still held go on top of the outer stack.
            Entry[] inner = state.stack;
            int innerDepth = state.depth;
            state.stack = outer.stack();
            state.depth = outer.depth();
            for (int i = 0; i < innerDepth; i++) {
                state.push(inner[i]);
            }
        }
    }
}
