package org.daxfs.fuse;

import static org.daxfs.fuse.FuseProtocol.F_RDLCK;
import static org.daxfs.fuse.FuseProtocol.F_UNLCK;
import static org.daxfs.fuse.FuseProtocol.F_WRLCK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockTableTest {
    private static final long MAX = Long.MAX_VALUE;
    private final LockTable t = new LockTable();

    private static LockTable.Lock lock(long owner, long start, long end, int type) {
        return new LockTable.Lock(owner, start, end, type, (int) owner, owner * 10);
    }

    @Test
    void readersShareWritersExclude() {
        assertTrue(t.tryLock(1, false, lock(1, 0, 99, F_RDLCK)));
        assertTrue(t.tryLock(1, false, lock(2, 50, 150, F_RDLCK)));
        assertFalse(t.tryLock(1, false, lock(3, 99, 99, F_WRLCK)));
        assertTrue(t.tryLock(1, false, lock(3, 151, MAX, F_WRLCK)));
        LockTable.Lock c = t.conflict(1, false, lock(4, 0, 10, F_WRLCK));
        assertNotNull(c);
        assertEquals(1, c.owner());
        assertNull(t.conflict(2, false, lock(4, 0, 10, F_WRLCK)), "another inode");
        assertNull(t.conflict(1, true, lock(4, 0, MAX, F_WRLCK)), "flock locks do not see POSIX locks");
    }

    @Test
    void anOwnersLocksSplitAndMerge() {
        t.tryLock(1, false, lock(1, 0, 99, F_WRLCK));
        t.tryLock(1, false, lock(1, 40, 59, F_UNLCK));
        assertEquals(List.of(lock(1, 0, 39, F_WRLCK), lock(1, 60, 99, F_WRLCK)), t.locks(1, false));
        t.tryLock(1, false, lock(1, 40, 59, F_WRLCK));
        assertEquals(List.of(lock(1, 0, 99, F_WRLCK)), t.locks(1, false), "adjacent locks of one type merge");
        t.tryLock(1, false, lock(1, 10, 19, F_RDLCK));
        assertEquals(3, t.locks(1, false).size(), "a downgrade in the middle splits");
        assertTrue(t.tryLock(1, false, lock(2, 10, 19, F_RDLCK)), "others may share the downgraded range");
        assertFalse(t.tryLock(1, false, lock(2, 20, 20, F_RDLCK)));
        t.releaseOwner(1, false, 1);
        assertEquals(List.of(lock(2, 10, 19, F_RDLCK)), t.locks(1, false));
    }

    @Test
    void waitersAreGrantedWhenTheLockGoesOrAreInterrupted() {
        List<String> answers = new ArrayList<>();
        t.tryLock(1, false, lock(1, 0, MAX, F_WRLCK));
        assertFalse(t.lockOrWait(100, 1, false, lock(2, 0, 10, F_WRLCK), e -> answers.add("100:" + e)));
        assertFalse(t.lockOrWait(101, 1, false, lock(3, 5, 5, F_RDLCK), e -> answers.add("101:" + e)));
        assertFalse(t.lockOrWait(102, 1, false, lock(4, 100, 200, F_RDLCK), e -> answers.add("102:" + e)));
        t.interrupt(102);
        assertEquals(List.of("102:4"), answers, "EINTR for the interrupted waiter");
        t.tryLock(1, false, lock(1, 0, MAX, F_UNLCK));
        assertEquals(List.of("102:4", "100:0"), answers, "the first waiter gets the range; the second still conflicts");
        t.releaseOwner(1, false, 2);
        assertEquals(List.of("102:4", "100:0", "101:0"), answers);
        assertTrue(t.lockOrWait(103, 1, false, lock(5, 5, 5, F_RDLCK), e -> answers.add("103:" + e)), "no conflict: granted at once");
        assertEquals(3, answers.size(), "answered by the return value, not the callback");
    }

    @Test
    void releasingAnOpenFileDropsTheLocksSetThroughIt() {
        List<String> answers = new ArrayList<>();
        assertTrue(t.tryLock(1, false, new LockTable.Lock(5, 0, 9, F_WRLCK, 1, 100)));
        assertTrue(t.tryLock(1, false, new LockTable.Lock(5, 10, 19, F_WRLCK, 1, 200)));
        assertEquals(2, t.locks(1, false).size(), "one owner, two open files: not merged");
        assertTrue(t.tryLock(1, true, new LockTable.Lock(6, 0, MAX, F_WRLCK, 1, 100)));
        assertFalse(t.lockOrWait(9, 1, false, lock(7, 0, 5, F_RDLCK), e -> answers.add("9:" + e)));
        t.releaseHandle(1, 100);
        assertEquals(List.of("9:0"), answers, "the waiter got the released range");
        assertEquals(List.of(new LockTable.Lock(5, 10, 19, F_WRLCK, 1, 200), lock(7, 0, 5, F_RDLCK)), t.locks(1, false));
        assertEquals(List.of(), t.locks(1, true));
    }

    @Test
    void flockIsWholeFilePerOwner() {
        assertTrue(t.tryLock(7, true, lock(1, 0, MAX, F_RDLCK)));
        assertTrue(t.tryLock(7, true, lock(2, 0, MAX, F_RDLCK)));
        assertFalse(t.tryLock(7, true, lock(3, 0, MAX, F_WRLCK)));
        t.releaseOwner(7, true, 1);
        t.releaseOwner(7, true, 2);
        assertTrue(t.tryLock(7, true, lock(3, 0, MAX, F_WRLCK)));
    }

    private static LockTable.Lock ofd(long owner, long start, long end, int type) {
        return new LockTable.Lock(owner, start, end, type, (int) owner, owner * 10, true);
    }

    /** Requests {@code want}, returning "waits", "granted" or the errno it was refused with. */
    private String lockOrWait(long unique, long ino, boolean flock, LockTable.Lock want, List<String> answers) {
        try {
            return t.lockOrWait(unique, ino, flock, want, e -> answers.add(unique + ":" + e)) ? "granted" : "waits";
        } catch (FuseError e) {
            return "errno " + e.errno();
        }
    }

    @Test
    void aWaitThatClosesACycleIsEdeadlk() {
        List<String> answers = new ArrayList<>();
        assertTrue(t.tryLock(1, false, lock(1, 0, 0, F_WRLCK)));
        assertTrue(t.tryLock(2, false, lock(2, 0, 0, F_WRLCK)));
        assertEquals("waits", lockOrWait(100, 2, false, lock(1, 0, 0, F_WRLCK), answers), "1 waits for 2 (another inode)");
        assertEquals("errno 35", lockOrWait(101, 1, false, lock(2, 0, 10, F_RDLCK), answers), "2 would wait for 1");
        assertEquals(1, t.waiting(), "the refused request is not queued");
        t.releaseOwner(2, false, 2);
        assertEquals(List.of("100:0"), answers, "the first waiter goes on once the other gives up its lock");
    }

    @Test
    void longerCyclesAndCyclesThroughSharedLocksAreFound() {
        List<String> answers = new ArrayList<>();
        t.tryLock(1, false, lock(1, 0, 0, F_WRLCK));
        t.tryLock(1, false, lock(2, 1, 1, F_WRLCK));
        t.tryLock(1, false, lock(3, 2, 2, F_RDLCK));
        t.tryLock(1, false, lock(4, 2, 2, F_RDLCK));
        assertEquals("waits", lockOrWait(100, 1, false, lock(1, 1, 1, F_WRLCK), answers), "1 -> 2");
        assertEquals("waits", lockOrWait(101, 1, false, lock(2, 2, 2, F_WRLCK), answers), "2 -> 3 and 4 (readers)");
        assertEquals("granted", lockOrWait(102, 1, false, lock(3, 5, 5, F_WRLCK), answers), "no conflict");
        assertEquals("waits", lockOrWait(103, 1, false, lock(5, 0, 0, F_RDLCK), answers), "5 -> 1: no cycle");
        assertEquals("errno 35", lockOrWait(104, 1, false, lock(4, 0, 0, F_RDLCK), answers), "4 -> 1 -> 2 -> 4");
        assertEquals("errno 35", lockOrWait(105, 1, false, lock(3, 1, 1, F_RDLCK), answers), "3 -> 2 -> 3");
        assertEquals(List.of(), answers);
        assertEquals(3, t.waiting());
    }

    @Test
    void openFileDescriptionAndFlockLocksAreNotChecked() {
        List<String> answers = new ArrayList<>();
        t.tryLock(1, false, ofd(1, 0, 0, F_WRLCK));
        t.tryLock(1, false, ofd(2, 1, 1, F_WRLCK));
        assertEquals("waits", lockOrWait(100, 1, false, ofd(1, 1, 1, F_WRLCK), answers));
        assertEquals("waits", lockOrWait(101, 1, false, ofd(2, 0, 0, F_WRLCK), answers), "OFD requests wait, as on Linux");
        t.tryLock(3, true, lock(5, 0, MAX, F_WRLCK));
        t.tryLock(4, true, lock(6, 0, MAX, F_WRLCK));
        assertEquals("waits", lockOrWait(102, 4, true, lock(5, 0, MAX, F_WRLCK), answers));
        assertEquals("waits", lockOrWait(103, 3, true, lock(6, 0, MAX, F_WRLCK), answers), "flock requests wait too");
        assertEquals(List.of(), answers);
        // Splitting keeps the kind of a lock.
        t.tryLock(1, false, ofd(1, 0, 0, F_UNLCK));
        assertEquals(List.of("101:0"), answers);
        assertTrue(t.locks(1, false).stream().allMatch(LockTable.Lock::ofd), t.locks(1, false).toString());
    }

    @Test
    void aWaitForAnOpenFileDescriptionLockIsNoLinkOfAChain() {
        List<String> answers = new ArrayList<>();
        t.tryLock(1, false, lock(7, 0, 0, F_WRLCK));
        t.tryLock(1, false, ofd(8, 1, 1, F_WRLCK));
        t.tryLock(1, false, lock(9, 2, 2, F_WRLCK));
        assertEquals("waits", lockOrWait(100, 1, false, ofd(8, 2, 2, F_WRLCK), answers), "8 (an open file) -> 9");
        assertEquals("waits", lockOrWait(101, 1, false, lock(7, 1, 1, F_WRLCK), answers), "7 -> 8, an open file");
        // 9 -> 7 -> 8 -> 9 is a cycle, but another thread may release the open file's lock: Linux lets 9 wait.
        assertEquals("waits", lockOrWait(102, 1, false, lock(9, 0, 0, F_WRLCK), answers));
        // Through a process's lock instead, the same chain is a deadlock.
        t.tryLock(2, false, lock(10, 0, 0, F_WRLCK));
        t.tryLock(2, false, lock(11, 1, 1, F_WRLCK));
        assertEquals("waits", lockOrWait(103, 2, false, ofd(12, 1, 1, F_WRLCK), answers), "12 (an open file) -> 11");
        t.tryLock(2, false, ofd(12, 5, 5, F_WRLCK));
        assertEquals("waits", lockOrWait(104, 2, false, lock(11, 0, 0, F_WRLCK), answers), "11 -> 10");
        assertEquals("errno 35", lockOrWait(105, 2, false, lock(10, 5, 5, F_WRLCK), answers), "10 -> 12 -> 11 -> 10");
        assertEquals(List.of(), answers);
    }

    @Test
    void ofdProbeReadsTheFcntlCommand() {
        int fcntl = OfdLockProbe.FCNTL;
        assertTrue(OfdLockProbe.isOfdCall(fcntl + " 0x3 0x26 0x7ffd5a3e2c20 0x0 0x0 0x0 0x7ffd5a3e2bf8 0x7f1e3b8f3b1b"));
        assertFalse(OfdLockProbe.isOfdCall(fcntl + " 0x3 0x7 0x7ffd5a3e2c20 0x0 0x0 0x0 0x7ffd5a3e2bf8 0x7f1e3b8f3b1b"), "F_SETLKW");
        assertFalse(OfdLockProbe.isOfdCall((fcntl + 1) + " 0x3 0x26 0x0 0x0 0x0 0x0 0x0 0x0"), "another call");
        assertFalse(OfdLockProbe.isOfdCall("running"));
        assertFalse(OfdLockProbe.isOfdCall("-1 0x7ffd5a3e2bf8 0x7f1e3b8f3b1b"));
        assertFalse(OfdLockProbe.isOfd((int) ProcessHandle.current().pid(), Integer.MAX_VALUE), "a thread that does not exist");
    }
}
