package org.daxfs.locking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.device.DeviceSection;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.MountOptions;
import org.daxfs.fs.OpenFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lock-order checker: on a private {@link LockOrderChecker} in both modes, and through the global
 * {@link LockOrder} with the ranked locks and device sections when the JVM runs with the checker on (as the
 * suite does).
 */
class LockOrderTest {
    private final LockOrderChecker on = new LockOrderChecker(true);

    /** A lock for the private checker: any object, named by its toString. */
    private record Named(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    @AfterEach
    void forgetProvokedViolations() {
        // The global tests below provoke violations on purpose; NoLockOrderViolations must not count them.
        LockOrder.checker().clearViolations();
    }

    // ---- the checker ----

    @Test
    void innerThenOuterIsAViolationNamingBothLocksAndWhereTheHeldOneWasTaken() {
        Named journal = new Named("the journal");
        Named inode = new Named("inode 7");
        on.acquired(LockRank.JOURNAL, journal, false);
        LockOrderViolation v = assertThrows(LockOrderViolation.class, () -> on.acquired(LockRank.INODE, inode, true));
        String m = v.getMessage();
        assertTrue(m.contains("INODE lock 'inode 7' (shared)"), m);
        assertTrue(m.contains("JOURNAL lock 'the journal' (exclusive)"), m);
        assertTrue(m.contains(LockOrderTest.class.getName()), "site of the held lock: " + m);
        assertNotNull(v.getCause(), "the held lock's acquisition stack");
        assertTrue(v.getCause().getStackTrace().length > 0);
        // The refused lock is not recorded; the held one still is.
        assertEquals(1, on.heldCount());
        assertEquals(0, on.holds(inode));
        assertEquals(1, on.violationCount());
        assertSame(v, on.violations().getFirst());
    }

    @Test
    void aViolationIsAnErrorThatCatchExceptionDoesNotSwallow() {
        on.acquired(LockRank.DEVICE_SECTION, new Named("section"), true);
        assertThrows(LockOrderViolation.class, () -> {
            try {
                on.acquired(LockRank.NAMESPACE, new Named("namespace"), false);
            } catch (Exception e) {
                throw new AssertionError("swallowed", e);
            }
        });
    }

    @Test
    void theDocumentedOrderPasses() {
        Object[] locks = new Object[LockRank.values().length];
        for (LockRank r : LockRank.values()) {
            locks[r.ordinal()] = new Named(r.name());
            on.acquired(r, locks[r.ordinal()], r == LockRank.NAMESPACE);
        }
        assertEquals(LockRank.values().length, on.heldCount());
        for (int i = locks.length - 1; i >= 0; i--) {
            on.released(LockRank.values()[i], locks[i]);
        }
        assertEquals(0, on.heldCount());
        assertEquals(0, on.violationCount());
    }

    @Test
    void levelsFollowTheDesignOrderWithEntriesAndPagesOnOneLevel() {
        assertTrue(LockRank.NAMESPACE.level() < LockRank.INODE.level());
        assertTrue(LockRank.INODE.level() < LockRank.INVALIDATE.level());
        assertTrue(LockRank.INVALIDATE.level() < LockRank.JOURNAL.level());
        assertTrue(LockRank.JOURNAL.level() < LockRank.MAPPING_ENTRY.level());
        assertEquals(LockRank.MAPPING_ENTRY.level(), LockRank.PAGE.level());
        assertTrue(LockRank.PAGE.level() < LockRank.DEVICE_SECTION.level());
    }

    @Test
    void reacquiringAHeldLockIsNotAnInversion() {
        Named inode = new Named("inode 1");
        Named journal = new Named("journal");
        on.acquired(LockRank.INODE, inode, false);
        on.acquired(LockRank.JOURNAL, journal, false);
        on.acquired(LockRank.INODE, inode, true); // reentrant (read while holding write)
        assertEquals(2, on.holds(inode));
        on.released(LockRank.INODE, inode);
        assertEquals(1, on.holds(inode));
        on.released(LockRank.JOURNAL, journal);
        on.released(LockRank.INODE, inode);
        assertEquals(0, on.heldCount());
        assertEquals(0, on.violationCount());
    }

    @Test
    void locksOfOneLevelNestInAnyOrder() {
        Named a = new Named("inode 2");
        Named b = new Named("inode 3");
        on.acquired(LockRank.INODE, a, false);
        on.acquired(LockRank.INODE, b, false);
        Named entry1 = new Named("entry 1");
        Named page = new Named("page 9");
        Named entry2 = new Named("entry 2");
        on.acquired(LockRank.MAPPING_ENTRY, entry1, false);
        on.acquired(LockRank.PAGE, page, false);
        on.acquired(LockRank.MAPPING_ENTRY, entry2, false);
        Named s1 = new Named("section of device 1");
        Named s2 = new Named("section of device 2");
        on.acquired(LockRank.DEVICE_SECTION, s1, true);
        on.acquired(LockRank.DEVICE_SECTION, s2, true);
        on.acquired(LockRank.DEVICE_SECTION, s1, true);
        assertEquals(7, on.heldCount());
        assertEquals(0, on.violationCount());
    }

    @Test
    void releasesOutOfOrderForgetTheRightLock() {
        Named inode = new Named("inode 4");
        Named journal = new Named("journal");
        Named other = new Named("inode 5");
        on.acquired(LockRank.INODE, inode, false);
        on.acquired(LockRank.JOURNAL, journal, false);
        on.released(LockRank.INODE, inode); // the outer lock first
        assertEquals(1, on.heldCount());
        assertEquals(1, on.holds(journal));
        // The journal lock is still held: an inode lock now is an inversion ...
        assertThrows(LockOrderViolation.class, () -> on.acquired(LockRank.INODE, other, false));
        on.released(LockRank.JOURNAL, journal);
        // ... and allowed once it is gone.
        on.acquired(LockRank.INODE, other, false);
        on.released(LockRank.INODE, other);
        assertEquals(0, on.heldCount());
        // A release of something never recorded is ignored.
        on.released(LockRank.PAGE, new Named("never taken"));
        assertEquals(0, on.heldCount());
    }

    @Test
    void aTryLockIsRecordedButNotChecked() {
        Named journal = new Named("journal");
        Named tried = new Named("inode 6");
        on.acquired(LockRank.JOURNAL, journal, false);
        on.tryAcquired(LockRank.INODE, tried, false); // cannot wait, so cannot deadlock
        assertEquals(1, on.holds(tried));
        on.released(LockRank.JOURNAL, journal);
        // Later acquisitions are checked against the try-locked inode lock.
        assertThrows(LockOrderViolation.class, () -> on.acquired(LockRank.NAMESPACE, new Named("ns"), false));
        on.released(LockRank.INODE, tried);
        assertEquals(0, on.heldCount());
    }

    @Test
    void aSuspendScopeStartsEmptyAndRestoresTheOuterLocks() {
        Named section = new Named("section");
        Named journal = new Named("journal");
        on.acquired(LockRank.JOURNAL, journal, false);
        on.acquired(LockRank.DEVICE_SECTION, section, true);
        Named ns = new Named("other namespace");
        Named inode = new Named("other inode");
        try (LockOrder.Scope _ = on.suspend()) {
            assertEquals(0, on.heldCount());
            on.acquired(LockRank.NAMESPACE, ns, true);
            on.acquired(LockRank.INODE, inode, false);
            try (LockOrder.Scope _ = on.suspend()) { // scopes nest
                Named third = new Named("third");
                on.acquired(LockRank.NAMESPACE, third, false);
                on.released(LockRank.NAMESPACE, third);
            }
            assertThrows(LockOrderViolation.class, () -> on.acquired(LockRank.NAMESPACE, new Named("x"), false));
            on.released(LockRank.INODE, inode);
            on.released(LockRank.NAMESPACE, ns);
            on.released(LockRank.DEVICE_SECTION, section); // taken outside: found in the stack set aside
            assertEquals(0, on.heldCount());
        }
        assertEquals(1, on.heldCount());
        assertEquals(1, on.holds(journal));
        assertEquals(0, on.holds(section));
        assertThrows(LockOrderViolation.class, () -> on.acquired(LockRank.INODE, new Named("y"), false));
    }

    @Test
    void aLockTakenInASuspendScopeAndStillHeldCountsAfterIt() {
        Named inode = new Named("inode 8");
        LockOrder.Scope scope = on.suspend();
        on.acquired(LockRank.INODE, inode, false);
        scope.close();
        scope.close(); // twice is harmless
        assertEquals(1, on.holds(inode));
        assertThrows(LockOrderViolation.class, () -> on.acquired(LockRank.NAMESPACE, new Named("ns"), false));
    }

    @Test
    void stateIsPerThread() throws Exception {
        Named journal = new Named("journal");
        on.acquired(LockRank.JOURNAL, journal, false);
        // Another thread holds nothing, so it may take any lock.
        CompletableFuture.runAsync(() -> on.acquired(LockRank.NAMESPACE, new Named("ns"), false)).get(10, TimeUnit.SECONDS);
        assertEquals(0, on.violationCount());
    }

    @Test
    void anOffCheckerChecksAndRecordsNothing() {
        LockOrderChecker off = new LockOrderChecker(false);
        assertFalse(off.isEnabled());
        Named journal = new Named("journal");
        off.acquired(LockRank.JOURNAL, journal, false);
        off.acquired(LockRank.INODE, new Named("inode"), false); // an inversion, not looked at
        off.acquired(LockRank.NAMESPACE, new Named("namespace"), false);
        off.released(LockRank.JOURNAL, journal);
        assertSame(LockOrder.Scope.NONE, off.suspend());
        assertEquals(0, off.heldCount());
        assertEquals(0, off.violationCount());
        assertTrue(off.violations().isEmpty());
    }

    // ---- the global checker, ranked locks and device sections (the suite runs with -Ddaxfs.lockorder=true) ----

    @Test
    void theGlobalCheckerFollowsTheSystemProperty() {
        assertEquals(Boolean.getBoolean("daxfs.lockorder"), LockOrder.ENABLED);
        assertEquals(LockOrder.ENABLED, LockOrder.checker().isEnabled());
        if (!LockOrder.ENABLED) {
            assertSame(LockOrder.Scope.NONE, LockOrder.suspend());
        }
    }

    @Test
    void rankedLocksReportTheirAcquisitionsAndAnInversionLeavesTheLockFree() {
        assumeTrue(LockOrder.ENABLED, "run with -Ddaxfs.lockorder=true");
        LockOrderChecker global = LockOrder.checker();
        int base = global.heldCount();
        long v0 = LockOrder.violationCount();
        RankedLock journal = new RankedLock(LockRank.JOURNAL, "journal under test");
        RankedReadWriteLock inode = new RankedReadWriteLock(LockRank.INODE, () -> "inode under test");
        journal.lock();
        try {
            LockOrderViolation v = assertThrows(LockOrderViolation.class, () -> inode.writeLock().lock());
            assertTrue(v.getMessage().contains("INODE lock 'inode under test'"), v.getMessage());
            assertTrue(v.getMessage().contains("JOURNAL lock 'journal under test'"), v.getMessage());
            assertFalse(inode.isWriteLocked(), "the checker refuses before taking the lock");
            assertThrows(LockOrderViolation.class, () -> inode.readLock().lock());
            assertEquals(0, inode.getReadLockCount());
        } finally {
            journal.unlock();
        }
        assertEquals(base, global.heldCount());
        assertEquals(v0 + 2, LockOrder.violationCount());
    }

    @Test
    void rankedReadWriteLockHalvesAreOneLockToTheChecker() throws Exception {
        assumeTrue(LockOrder.ENABLED, "run with -Ddaxfs.lockorder=true");
        LockOrderChecker global = LockOrder.checker();
        int base = global.heldCount();
        long v0 = LockOrder.violationCount();
        RankedReadWriteLock ns = new RankedReadWriteLock(LockRank.NAMESPACE, "namespace under test");
        RankedReadWriteLock inode = new RankedReadWriteLock(LockRank.INODE, "inode under test");
        RankedLock journal = new RankedLock(LockRank.JOURNAL, () -> "journal under test");
        ns.readLock().lock();
        inode.writeLock().lock();
        journal.lock();
        inode.readLock().lock(); // read while holding write: reentrancy
        assertEquals(2, global.holds(inode));
        assertTrue(inode.writeLock().tryLock());
        assertTrue(journal.tryLock(1, TimeUnit.SECONDS));
        assertEquals(3, global.holds(inode));
        assertEquals(2, global.holds(journal));
        inode.writeLock().unlock();
        journal.unlock();
        inode.readLock().unlock();
        ns.readLock().unlock(); // out of order
        journal.unlock();
        inode.writeLock().unlock();
        assertEquals(base, global.heldCount());
        assertEquals(v0 + 0, LockOrder.violationCount());
        assertEquals("journal under test", journal.name());
        assertEquals(LockRank.INODE, inode.rank());
    }

    @Test
    void anInterruptedLockInterruptiblyIsNotRecorded() {
        assumeTrue(LockOrder.ENABLED, "run with -Ddaxfs.lockorder=true");
        LockOrderChecker global = LockOrder.checker();
        int base = global.heldCount();
        long v0 = LockOrder.violationCount();
        RankedLock journal = new RankedLock(LockRank.JOURNAL, "journal under test");
        RankedReadWriteLock inode = new RankedReadWriteLock(LockRank.INODE, "inode under test");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, journal::lockInterruptibly);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> inode.readLock().lockInterruptibly());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> inode.writeLock().lockInterruptibly());
        assertFalse(Thread.interrupted());
        assertEquals(base, global.heldCount());
    }

    @Test
    void aDeviceSectionIsInnermost() throws Exception {
        assumeTrue(LockOrder.ENABLED, "run with -Ddaxfs.lockorder=true");
        LockOrderChecker global = LockOrder.checker();
        int base = global.heldCount();
        long v0 = LockOrder.violationCount();
        RankedLock journal = new RankedLock(LockRank.JOURNAL, "journal under test");
        RankedLock otherJournal = new RankedLock(LockRank.JOURNAL, "another journal");
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(1 << 20)) {
            journal.lock();
            try (DeviceSection _ = device.enter()) {
                assertEquals(base + 2, global.heldCount());
                try (DeviceSection _ = device.enter()) { // nested sections of one thread
                    device.read(0, new byte[16], 0, 16); // and the sections device calls enter
                }
                LockOrderViolation v = assertThrows(LockOrderViolation.class, otherJournal::lock);
                assertFalse(otherJournal.isLocked());
                assertTrue(v.getMessage().contains("DEVICE_SECTION lock 'read-side section of crash simulator"),
                        v.getMessage());
            } finally {
                journal.unlock();
            }
            assertEquals(base, global.heldCount());
        }
        assertEquals(v0 + 1, LockOrder.violationCount());
    }

    @Test
    void theFileSystemsNamespaceAndInodeLocksAreRanked() throws Exception {
        assumeTrue(LockOrder.ENABLED, "run with -Ddaxfs.lockorder=true");
        LockOrderChecker global = LockOrder.checker();
        int base = global.heldCount();
        long v0 = LockOrder.violationCount();
        RankedLock journal = new RankedLock(LockRank.JOURNAL, "journal under test");
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(16 << 20)) {
            DaxFileSystem.format(device, FormatOptions.defaults());
            try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
                fs.mkdir("/d", 0755);
                try (FileHandle h = fs.open("/d/f", OpenFlag.CREATE, OpenFlag.WRITE)) {
                    h.write(MemorySegment.ofArray(new byte[10_000]), 0);
                    fs.rename("/d/f", "/d/g");
                    assertEquals(base, global.heldCount(), "every lock the file system took was given back");
                    journal.lock();
                    try {
                        LockOrderViolation ns = assertThrows(LockOrderViolation.class, () -> fs.stat("/d/g"));
                        assertTrue(ns.getMessage().contains("NAMESPACE lock 'namespace'"), ns.getMessage());
                        LockOrderViolation in = assertThrows(LockOrderViolation.class, h::size);
                        assertTrue(in.getMessage().contains("INODE lock 'inode "), in.getMessage());
                    } finally {
                        journal.unlock();
                    }
                    // Nothing was left held: the file system works on.
                    assertEquals(10_000, h.size());
                    assertEquals(10_000, fs.stat("/d/g").size());
                }
            }
        }
        assertEquals(base, global.heldCount());
        assertEquals(v0 + 2, LockOrder.violationCount());
    }

    @Test
    void crashSimulatorPersistListenersRunOutsideTheCallersLockContext() throws Exception {
        assumeTrue(LockOrder.ENABLED, "run with -Ddaxfs.lockorder=true");
        long v0 = LockOrder.violationCount();
        RankedReadWriteLock ns = new RankedReadWriteLock(LockRank.NAMESPACE, "namespace of another mount");
        RankedLock journal = new RankedLock(LockRank.JOURNAL, "journal under test");
        try (CrashSimulatorDevice device = new CrashSimulatorDevice(1 << 20)) {
            device.onPersist(seq -> {
                ns.writeLock().lock(); // inside the persisting call's device section
                ns.writeLock().unlock();
            });
            journal.lock();
            try {
                device.persist(0, 4096);
            } finally {
                journal.unlock();
            }
        }
        assertEquals(v0 + 0, LockOrder.violationCount());
    }
}
