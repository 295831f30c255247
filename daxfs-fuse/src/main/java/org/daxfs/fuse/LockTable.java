package org.daxfs.fuse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Advisory file locks of a mount, kept in the server: POSIX record locks (fcntl F_SETLK, F_SETLKW, F_GETLK,
 * owned by a lock owner, byte ranges that split and merge like Linux's) and BSD flock locks (whole file, owned
 * by an open file), which, as on Linux, do not see each other. The kernel forwards these to the server once
 * INIT agreed POSIX_LOCKS and FLOCK_LOCKS.
 *
 * <p>Locks are dropped by owner when the kernel says so (FLUSH at a close drops the closing process's POSIX locks,
 * an unlock of flock's), and by open file when it releases one ({@link #releaseHandle}).
 *
 * <p>A blocking request that conflicts waits without holding a thread: it is queued, and answered when an
 * unlock lets it through or the kernel interrupts it (EINTR).
 *
 * <p>Deadlocks: a blocking POSIX request that would wait for a lock whose owner waits, directly or through a
 * chain of waiting owners, for a lock of the requester is refused with EDEADLK instead of queued, as Linux's
 * posix_locks_deadlock does (checked when a request would start waiting). As there, open file description locks
 * take no part: an OFD request is never refused, and a wait for an OFD lock is no link of a chain, since an open
 * file is not a process that sleeps (another thread may still release its lock). flock locks take no part either.
 *
 * <p>Locking: every method holds this table's monitor (a leaf: no other lock is taken inside, and the answers
 * to waiters are sent after it is released).
 */
final class LockTable {
    /**
     * A lock or a request: owner, range [start, end] (end inclusive), F_RDLCK/F_WRLCK/F_UNLCK, the holder's pid,
     * the open file (FUSE file handle) it was set through, and whether it is an open file description lock.
     */
    record Lock(long owner, long start, long end, int type, int pid, long fh, boolean ofd) {
        /** A POSIX (process-owned) lock or a flock lock. */
        Lock(long owner, long start, long end, int type, int pid, long fh) {
            this(owner, start, end, type, pid, fh, false);
        }

        boolean overlaps(long s, long e) {
            return start <= e && s <= end;
        }

        boolean conflictsWith(Lock other) {
            return owner != other.owner && overlaps(other.start, other.end)
                    && (type == FuseProtocol.F_WRLCK || other.type == FuseProtocol.F_WRLCK);
        }
    }

    private record Key(long ino, boolean flock) {
    }

    private record Waiter(long unique, Key key, Lock want, IntConsumer done) {
    }

    private final Map<Key, List<Lock>> held = new HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();

    /** A lock that would keep {@code want} from being taken, or null (F_GETLK). */
    synchronized Lock conflict(long ino, boolean flock, Lock want) {
        for (Lock l : held.getOrDefault(new Key(ino, flock), List.of())) {
            if (want.conflictsWith(l)) {
                return l;
            }
        }
        return null;
    }

    /** Takes (or with F_UNLCK releases) {@code want} if nothing conflicts (F_SETLK); false if something does. */
    boolean tryLock(long ino, boolean flock, Lock want) {
        List<Waiter> granted;
        synchronized (this) {
            Key key = new Key(ino, flock);
            if (want.type() != FuseProtocol.F_UNLCK && conflictWith(key, want)) {
                return false;
            }
            apply(key, want);
            granted = grantWaiters();
        }
        answer(granted);
        return true;
    }

    /**
     * Takes {@code want} now and returns true, or queues it and returns false (F_SETLKW): {@code done} then gets
     * 0 once the conflicting locks are gone, or EINTR if request {@code unique} is interrupted first.
     *
     * @throws FuseError EDEADLK, queueing nothing, if waiting would close a cycle of waiting POSIX lock owners
     */
    boolean lockOrWait(long unique, long ino, boolean flock, Lock want, IntConsumer done) {
        List<Waiter> granted;
        synchronized (this) {
            Key key = new Key(ino, flock);
            if (want.type() != FuseProtocol.F_UNLCK && conflictWith(key, want)) {
                if (!flock && !want.ofd() && waitsForItself(key, want)) {
                    throw new FuseError(FuseError.EDEADLK, "owner " + Long.toHexString(want.owner()) + " locking bytes "
                            + want.start() + ".." + want.end() + " of inode " + ino + " would wait for itself");
                }
                waiters.add(new Waiter(unique, key, want, done));
                return false;
            }
            apply(key, want);
            granted = grantWaiters();
        }
        answer(granted);
        return true;
    }

    /** Drops every lock of {@code owner} on inode {@code ino} (a close, or the release of a flock). */
    void releaseOwner(long ino, boolean flock, long owner) {
        List<Waiter> granted;
        synchronized (this) {
            Key key = new Key(ino, flock);
            List<Lock> locks = held.get(key);
            if (locks == null || !locks.removeIf(l -> l.owner() == owner)) {
                return;
            }
            if (locks.isEmpty()) {
                held.remove(key);
            }
            granted = grantWaiters();
        }
        answer(granted);
    }

    /**
     * Drops every lock set through open file {@code fh} of inode {@code ino}, once the kernel releases it. That is
     * how open file description locks (F_OFD_SETLK, owned by the open file) and flock locks end: the kernel sends
     * no unlock for them at the last close. A process's POSIX locks are gone by then already (FLUSH, at each
     * close, drops them all), so none of those is lost.
     */
    void releaseHandle(long ino, long fh) {
        List<Waiter> granted;
        boolean any = false;
        synchronized (this) {
            for (boolean flock : new boolean[] {false, true}) {
                Key key = new Key(ino, flock);
                List<Lock> locks = held.get(key);
                if (locks != null && locks.removeIf(l -> l.fh() == fh)) {
                    any = true;
                    if (locks.isEmpty()) {
                        held.remove(key);
                    }
                }
            }
            // A waiter on a released file cannot be answered by anyone else either.
            granted = any ? grantWaiters() : List.of();
        }
        answer(granted);
    }

    /** Answers waiting request {@code unique} with EINTR, if it is waiting. */
    void interrupt(long unique) {
        Waiter found = null;
        synchronized (this) {
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.unique() == unique) {
                    it.remove();
                    found = w;
                    break;
                }
            }
        }
        if (found != null) {
            found.done().accept(FuseError.EINTR);
        }
    }

    /** Requests waiting for a lock, for tests. */
    synchronized int waiting() {
        return waiters.size();
    }

    /** Locks held on inode {@code ino}, for tests. */
    synchronized List<Lock> locks(long ino, boolean flock) {
        return List.copyOf(held.getOrDefault(new Key(ino, flock), List.of()));
    }

    private boolean conflictWith(Key key, Lock want) {
        for (Lock l : held.getOrDefault(key, List.of())) {
            if (want.conflictsWith(l)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code want}, waiting, would close a cycle: follows the edges "owner X waits for a POSIX lock held by
     * owner Y" from the holders of the locks {@code want} conflicts with, and finds {@code want}'s own owner. Unlike
     * Linux, which follows the first conflicting lock of each waiter only, every conflicting lock is an edge (a
     * write request waits for every reader sharing the range), so no cycle through shared locks is missed.
     * Context: monitor held.
     */
    private boolean waitsForItself(Key key, Lock want) {
        Set<Long> seen = new HashSet<>();
        Deque<Long> owners = new ArrayDeque<>();
        for (Lock l : held.getOrDefault(key, List.of())) {
            if (want.conflictsWith(l) && seen.add(l.owner())) {
                owners.add(l.owner());
            }
        }
        while (!owners.isEmpty()) {
            long owner = owners.poll();
            for (Waiter w : waiters) {
                if (w.want().owner() != owner || w.key().flock()) {
                    continue;
                }
                for (Lock l : held.getOrDefault(w.key(), List.of())) {
                    if (l.ofd() || !w.want().conflictsWith(l)) {
                        continue;
                    }
                    if (l.owner() == want.owner()) {
                        return true;
                    }
                    if (seen.add(l.owner())) {
                        owners.add(l.owner());
                    }
                }
            }
        }
        return false;
    }

    /**
     * Sets {@code want}'s range of its owner's locks to its type: the owner's locks overlapping the range are cut
     * back (split in two when the range lies inside), then the new lock goes in (none for F_UNLCK) and merges with
     * the owner's locks of the same type, set through the same file, that it overlaps or touches.
     */
    private void apply(Key key, Lock want) {
        List<Lock> locks = held.computeIfAbsent(key, k -> new ArrayList<>());
        List<Lock> kept = new ArrayList<>();
        long start = want.start();
        long end = want.end();
        for (Lock l : locks) {
            if (l.owner() != want.owner()) {
                kept.add(l);
                continue;
            }
            boolean touches = l.overlaps(start, end) || (end != Long.MAX_VALUE && l.start() == end + 1)
                    || (start != 0 && l.end() == start - 1);
            if (!touches) {
                kept.add(l);
            } else if (l.type() == want.type() && l.fh() == want.fh()) {
                start = Math.min(start, l.start()); // merge
                end = Math.max(end, l.end());
            } else if (l.overlaps(start, end)) {
                if (l.start() < start) {
                    kept.add(new Lock(l.owner(), l.start(), start - 1, l.type(), l.pid(), l.fh(), l.ofd()));
                }
                if (l.end() > end) {
                    kept.add(new Lock(l.owner(), end + 1, l.end(), l.type(), l.pid(), l.fh(), l.ofd()));
                }
            } else {
                kept.add(l);
            }
        }
        if (want.type() != FuseProtocol.F_UNLCK) {
            kept.add(new Lock(want.owner(), start, end, want.type(), want.pid(), want.fh(), want.ofd()));
        }
        if (kept.isEmpty()) {
            held.remove(key);
        } else {
            locks.clear();
            locks.addAll(kept);
        }
    }

    /** Grants every waiter that no longer conflicts, in arrival order. Context: monitor held. */
    private List<Waiter> grantWaiters() {
        List<Waiter> granted = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (!conflictWith(w.key(), w.want())) {
                    it.remove();
                    apply(w.key(), w.want());
                    granted.add(w);
                    progress = true;
                }
            }
        }
        return granted;
    }

    private static void answer(List<Waiter> granted) {
        for (Waiter w : granted) {
            w.done().accept(0);
        }
    }
}
