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
}
