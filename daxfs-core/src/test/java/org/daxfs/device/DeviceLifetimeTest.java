package org.daxfs.device;

import static org.daxfs.device.DeviceTesting.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read-side sections and kill: ordering, idempotence, no deadlock, no access after revoke. */
class DeviceLifetimeTest {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> threadFailure = new AtomicReference<>();

    /** Joins every helper thread; one still stuck (a failed test left it waiting) is interrupted. */
    @AfterEach
    void joinThreads() throws Throwable {
        for (Thread t : threads) {
            t.join(30_000);
            if (t.isAlive()) {
                t.interrupt();
                t.join(30_000);
                threadFailure.compareAndSet(null, new AssertionError(t.getName() + " did not finish"));
            }
        }
        if (threadFailure.get() != null) {
            throw threadFailure.get();
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private Thread start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                threadFailure.compareAndSet(null, e);
            }
        }, name);
        threads.add(t);
        t.start();
        return t;
    }

    /** Spins (no sleeping) until the condition holds; fails after 10 s so a bug cannot hang the build. */
    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static boolean isParked(Thread t) {
        return t.getState() == Thread.State.WAITING;
    }

    @Test
    void killWaitsForTheSectionInFlightAndMemoryStaysMappedUntilItLeaves() throws Exception {
        MappedDevice device = Devices.memory(1 << 20);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch mayLeave = new CountDownLatch(1);
        AtomicReference<MemorySegment> held = new AtomicReference<>();

        start("reader", () -> {
            try (DeviceSection _ = device.enter()) {
                MemorySegment block = device.directAccess(4096, 4096);
                held.set(block);
                entered.countDown();
                mayLeave.await();
                // The device is dying, but this section began before: its memory is still mapped.
                block.set(ValueLayout.JAVA_INT, 0, 7);
                events.add("reader used memory");
                events.add("reader leaving");
            }
        });
        entered.await();
        Thread killer = start("killer", () -> {
            device.kill();
            events.add("killed");
        });
        awaitCondition("the killer waits for the reader", () -> isParked(killer));
        assertFalse(device.isAlive(), "kill has begun");
        assertEquals(List.of(), events, "kill must not finish while the reader is inside");
        assertErrno(Errno.EIO, device::enter); // no new section may start meanwhile

        mayLeave.countDown();
        killer.join();
        assertEquals(List.of("reader used memory", "reader leaving", "killed"), events);
        assertThrows(IllegalStateException.class, () -> held.get().get(ValueLayout.JAVA_INT, 0));
        device.close();
    }

    @Test
    void nestedSectionsOnOneThreadAreCountedAndRefuseKillUntilAllLeave() throws Exception {
        try (MappedDevice device = Devices.memory(1 << 20)) {
            DeviceSection outer = device.enter();
            DeviceSection inner = device.enter();
            inner.close();
            inner.close(); // a second close is harmless and must not leave the outer section early
            assertThrows(IllegalStateException.class, device::kill);
            outer.close();
            device.kill();
            assertFalse(device.isAlive());
        }
    }

    @Test
    void sectionsOfAnotherDeviceDoNotBlockKill() throws Exception {
        try (MappedDevice a = Devices.memory(1 << 20); MappedDevice b = Devices.memory(1 << 20)) {
            try (DeviceSection _ = a.enter()) {
                b.kill();
                assertFalse(b.isAlive());
                assertTrue(a.isAlive());
            }
        }
    }

    @Test
    void concurrentKillersAllReturnAfterDrainAndListenersRunOnce() throws Exception {
        MappedDevice device = Devices.memory(1 << 20);
        AtomicInteger listenerRuns = new AtomicInteger();
        device.onKill(listenerRuns::incrementAndGet);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch mayLeave = new CountDownLatch(1);
        start("reader", () -> {
            try (DeviceSection _ = device.enter()) {
                entered.countDown();
                mayLeave.await();
            }
        });
        entered.await();
        List<Integer> seenByKillers = Collections.synchronizedList(new ArrayList<>());
        Thread k1 = start("killer-1", () -> {
            device.kill();
            seenByKillers.add(listenerRuns.get());
        });
        Thread k2 = start("killer-2", () -> {
            device.kill();
            seenByKillers.add(listenerRuns.get());
        });
        awaitCondition("both killers wait", () -> isParked(k1) && isParked(k2));
        assertEquals(0, listenerRuns.get());
        mayLeave.countDown();
        k1.join();
        k2.join();
        assertEquals(List.of(1, 1), seenByKillers, "every kill() returns only after the listeners ran");
        device.close();
        assertEquals(1, listenerRuns.get());
    }

    @Test
    void registeringAListenerFromInsideASectionWhileKillWaitsDoesNotDeadlock() throws Exception {
        MappedDevice device = Devices.memory(1 << 20);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch mayRegister = new CountDownLatch(1);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        start("reader", () -> {
            try (DeviceSection _ = device.enter()) {
                entered.countDown();
                mayRegister.await();
                device.onKill(() -> events.add("late listener ran"));
                events.add("registered");
            }
        });
        entered.await();
        Thread killer = start("killer", device::kill);
        awaitCondition("the killer waits", () -> isParked(killer));
        mayRegister.countDown();
        killer.join();
        assertEquals(List.of("registered", "late listener ran"), events);
        device.close();
    }

    @Test
    void aListenerMayCallKillAgain() throws Exception {
        MappedDevice device = Devices.memory(1 << 20);
        AtomicInteger runs = new AtomicInteger();
        device.onKill(() -> {
            runs.incrementAndGet();
            device.kill();
            device.close();
        });
        device.close();
        assertEquals(1, runs.get());
    }

    @Test
    void failingListenerDoesNotStopOthersOrTheRelease() throws Exception {
        MappedDevice device = Devices.memory(1 << 20);
        Path fd = device.backingFile().orElseThrow();
        assertTrue(Files.exists(fd));
        AtomicInteger later = new AtomicInteger();
        RuntimeException boom = new RuntimeException("boom");
        device.onKill(() -> {
            throw boom;
        });
        device.onKill(later::incrementAndGet);
        RuntimeException thrown = assertThrows(RuntimeException.class, device::close);
        assertSame(boom, thrown);
        assertEquals(1, later.get());
        assertFalse(device.isAlive());
        assertFalse(Files.exists(fd), "the memfd descriptor is closed even though a listener failed");
        device.close(); // nothing left to do, nothing thrown
    }

    /**
     * Many threads enter, use direct-access memory and leave while the device is killed. Every section
     * that was entered must be able to use its memory to the end (kill waits, the arena closes only
     * afterwards); every later attempt must fail cleanly with EIO. Repeated to catch races.
     */
    @Test
    void sectionsRacingKillNeverSeeRevokedMemory() throws Exception {
        int workers = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        for (int round = 0; round < 30; round++) {
            MappedDevice device = Devices.memory(1 << 20);
            CyclicBarrier start = new CyclicBarrier(workers + 1);
            AtomicLong completedSections = new AtomicLong();
            AtomicBoolean listenerRan = new AtomicBoolean();
            device.onKill(() -> listenerRan.set(true));
            List<Thread> round_threads = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                round_threads.add(start("worker-" + w, () -> {
                    start.await();
                    long offset = worker * 4096L;
                    while (true) {
                        try (DeviceSection _ = device.enter()) {
                            MemorySegment block = device.directAccess(offset, 4096);
                            for (int i = 0; i < 64; i++) {
                                block.set(ValueLayout.JAVA_LONG, i * 8L, block.get(ValueLayout.JAVA_LONG, i * 8L) + 1);
                            }
                            completedSections.incrementAndGet();
                        } catch (FsException e) {
                            assertEquals(Errno.EIO, e.errno());
                            assertFalse(device.isAlive());
                            return;
                        }
                    }
                }));
            }
            start.await();
            awaitCondition("workers made progress", () -> completedSections.get() >= workers * 10L);
            device.kill();
            assertTrue(listenerRan.get());
            for (Thread t : round_threads) {
                t.join();
            }
            device.close();
        }
    }
}
