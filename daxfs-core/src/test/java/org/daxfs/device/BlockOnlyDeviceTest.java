package org.daxfs.device;

import static org.daxfs.device.DeviceTesting.assertErrno;
import static org.daxfs.device.DeviceTesting.pattern;
import static org.daxfs.device.DeviceTesting.read;
import static org.daxfs.device.DeviceTesting.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to block-only devices: interrupts must not end the device for everybody. */
class BlockOnlyDeviceTest {
    @TempDir
    Path dir;

    private Device open() throws Exception {
        Path image = dir.resolve("block.img");
        Devices.createImage(image, DeviceTesting.SIZE);
        return Devices.open(image, DeviceOptions.defaults().withBlockOnly(true));
    }

    @Test
    void anInterruptedOperationFailsWithEioAndTheDeviceKeepsWorking() throws Exception {
        try (Device device = open()) {
            write(device, 0, pattern(1, 4096));
            Thread.currentThread().interrupt();
            FsException e = assertErrno(Errno.EIO, () -> read(device, 0, 4096));
            assertEquals("interrupted", e.detail());
            assertTrue(Thread.interrupted(), "the interrupt status is kept for the caller");
            assertArrayEquals(pattern(1, 4096), read(device, 0, 4096));
            write(device, 4096, pattern(2, 100));
            device.persist(0, 8192);
            assertArrayEquals(pattern(2, 100), read(device, 4096, 100));
        }
    }

    /**
     * One thread is interrupted again and again while another works on the same device: the bystander
     * must never see an error, although every interrupt closes the channel under it.
     */
    @Test
    void interruptsOfOneThreadDoNotFailAnother() throws Exception {
        try (Device device = open()) {
            write(device, 0, pattern(3, 1 << 20));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger victimFailures = new AtomicInteger();
            AtomicInteger bystanderRounds = new AtomicInteger();
            AtomicReference<Throwable> bystanderFailure = new AtomicReference<>();
            CountDownLatch started = new CountDownLatch(2);

            Thread victim = new Thread(() -> {
                started.countDown();
                while (!stop.get()) {
                    try {
                        read(device, 0, 1 << 20);
                    } catch (FsException e) {
                        if (!"interrupted".equals(e.detail())) {
                            bystanderFailure.compareAndSet(null, e);
                        }
                        Thread.interrupted();
                        victimFailures.incrementAndGet();
                    }
                }
            }, "victim");
            Thread bystander = new Thread(() -> {
                started.countDown();
                byte[] expected = pattern(3, 1 << 20);
                try {
                    while (!stop.get()) {
                        assertArrayEquals(expected, read(device, 0, 1 << 20));
                        write(device, (1 << 20) + 4096, expected);
                        bystanderRounds.incrementAndGet();
                    }
                } catch (Throwable t) {
                    bystanderFailure.compareAndSet(null, t);
                }
            }, "bystander");
            victim.start();
            bystander.start();
            started.await();
            try {
                for (int i = 0; i < 100 && bystanderFailure.get() == null; i++) {
                    int before = victimFailures.get();
                    victim.interrupt();
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (victimFailures.get() == before) {
                        if (System.nanoTime() > deadline) {
                            fail("the victim never noticed interrupt " + i);
                        }
                        Thread.onSpinWait();
                    }
                }
            } finally {
                stop.set(true);
                victim.join();
                bystander.join();
            }
            if (bystanderFailure.get() != null) {
                throw new AssertionError("bystander failed", bystanderFailure.get());
            }
            assertEquals(100, victimFailures.get());
            assertTrue(bystanderRounds.get() > 0);
            assertArrayEquals(pattern(3, 1 << 20), read(device, (1 << 20) + 4096, 1 << 20));
        }
    }

    @Test
    void hasNoDirectAccess() throws Exception {
        try (Device device = open()) {
            assertFalse(device.isDirectAccess());
            assertTrue(device.backingFile().isPresent());
            try (DeviceSection _ = device.enter()) {
                assertErrno(Errno.EOPNOTSUPP, () -> device.directAccess(0, 4096));
            }
        }
    }
}
