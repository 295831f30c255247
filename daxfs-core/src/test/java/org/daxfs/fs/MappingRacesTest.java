package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two races between mapping, unmapping and range operations, found by the stress checker's mapped reads
 * of the shared file in disrupt mode ({@code daxfs stress IMAGE --mode disrupt --threads 3}) and fixed in
 * org.daxfs.dax: a mapping is now published before the invalidate lock that made it is released, and a
 * closing mapping leaves its entries before its window is unmapped. Each test looks for its race for a
 * number of rounds that scales with the test scale; before the fixes both showed within a second on a
 * 2-core machine (a few thousand rounds).
 *
 * <p>Both run on DAX files and on files that go through the page cache ({@code dax=never}), whose mappings
 * show cached pages through the same revocable mappings.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MappingRacesTest {
    private static final int B = 4096;
    private static final long ROUNDS = 2_000L * TestImages.scale();

    /** A fresh file system whose files are DAX, or all cached. */
    private static DaxFileSystem mount(Device device, boolean cached) throws FsException {
        DaxFileSystem.format(device, FormatOptions.defaults());
        return DaxFileSystem.mount(device, cached ? MountOptions.defaults().withDax(DaxMode.NEVER) : MountOptions.defaults());
    }

    /**
     * A mapping revoked before it is published is handed out alive over an unmapped window. Found as a
     * SIGSEGV (SEGV_MAPERR) that killed the JVM in a reader's first load from a mapping it had just been
     * handed ({@code --seed 13 --mode disrupt --threads 3 --ops 40000}, StressModesTest's disrupt run).
     *
     * <p>The race: {@code AddressSpace.map} calls {@code establish}, which faults the pages in under the
     * invalidate lock (shared) and releases it, and only then {@code FileMapping.publish}, which creates the
     * mapping's arena and the segment. A truncate, punch, zero, collapse or insert range that takes the
     * invalidate lock exclusive in between finds the new mapping in the address space and revokes it:
     * {@code FileMapping.unmap} sees no arena yet and closes (munmaps) the window directly. {@code publish}
     * then wraps the unmapped window in a fresh, open arena, and {@code map} returns a segment that is alive
     * but shows nothing: the first access is a SIGSEGV that ends the JVM instead of an
     * IllegalStateException. Closing the caller's arena does not close it either (the mapping counts as
     * unmapped already).
     *
     * <p>Found without touching the memory: once the caller's arena is closed, every segment mapped in it
     * must be dead. One thread maps and unmaps a range while another punches a hole in its first page over
     * and over (each punch revokes the mappings of that page).
     */
    @ParameterizedTest(name = "cached: {0}")
    @ValueSource(booleans = {false, true})
    void aMappingRevokedBeforeItIsPublishedIsNeverHandedOutAlive(boolean cached) throws Exception {
        try (Device device = Devices.memory(64 * MIB)) {
            DaxFileSystem fs = mount(device, cached);
            writeFile(fs, "/f", pattern(1, 16 * B));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> punchFailed = new AtomicReference<>();
            AtomicLong punches = new AtomicLong();
            long aliveAfterClose = 0;
            long maps = 0;
            try (FileHandle h = fs.open("/f", OpenFlag.READ, OpenFlag.WRITE)) {
                Thread puncher = Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            h.punchHole(0, B);
                            punches.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        punchFailed.set(t);
                    }
                });
                try {
                    while (maps < ROUNDS && aliveAfterClose == 0) {
                        MemorySegment s;
                        try (Arena owner = Arena.ofConfined()) {
                            s = h.map(MapMode.READ_ONLY, 0, 16 * B, owner);
                        }
                        maps++;
                        // Revoked meanwhile or unmapped by the close: dead either way. Never touch it.
                        if (s.scope().isAlive()) {
                            aliveAfterClose++;
                        }
                    }
                } finally {
                    stop.set(true);
                    puncher.join();
                }
            } finally {
                fs.close();
            }
            assertNull(punchFailed.get());
            assertEquals(0, aliveAfterClose, "a segment outlived its arena after " + maps + " maps and "
                    + punches.get() + " punches: its mapping was revoked before publication, and its window is unmapped");
        }
    }

    /**
     * A write into a hole fails with EIO ("window closed") when a read-only mapping showing that hole is
     * being unmapped at the same moment. Found as a disruptor's write failing with {@code EIO: ... (window
     * closed)} while a reader closed its mapping of the shared file ({@code --seed 21 --mode disrupt --threads
     * 3 --ops 20000}, with a mapped reader that let a copy stand in for one mapping).
     *
     * <p>The race: {@code AddressSpace.release} (run when the caller's arena closes, with no file lock held)
     * first unmaps the mapping, closing its window, and only afterwards removes it from the mappers of its
     * entries, one entry lock at a time. A write that gives a hole written blocks meanwhile calls
     * {@code blocksAdded}, whose {@code resolve} shows the new blocks in every mapper of the hole's entry,
     * the closed window included: {@code DeviceWindow.showDevice} fails with EIO, and so does the write (its
     * data is committed by then, but the caller is told it failed). A fault of another mapping that
     * resolves a hole entry can fail the same way.
     */
    @ParameterizedTest(name = "cached: {0}")
    @ValueSource(booleans = {false, true})
    void aWriteIntoAHoleSucceedsWhileAMappingOfTheHoleIsClosed(boolean cached) throws Exception {
        try (Device device = Devices.memory(64 * MIB)) {
            DaxFileSystem fs = mount(device, cached);
            long pages = 4 * MIB / B;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong next = new AtomicLong();
            AtomicReference<Throwable> mapFailed = new AtomicReference<>();
            FsException writeFailed = null;
            long written = 0;
            try (FileHandle h = fs.open("/f", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE)) {
                h.truncate(pages * B);
                // Maps the holes just ahead of the writer and closes the mapping again, over and over.
                Thread mapper = Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            long at = Math.min(next.get(), pages - 8);
                            try (Arena owner = Arena.ofConfined()) {
                                h.map(MapMode.READ_ONLY, at * B, 8L * B, owner);
                            }
                        }
                    } catch (Throwable t) {
                        mapFailed.set(t);
                    }
                });
                byte[] data = pattern(2, B);
                try {
                    while (written < ROUNDS) {
                        long page = next.get();
                        if (page == pages) {
                            h.punchHole(0, pages * B);
                            next.set(0);
                            continue;
                        }
                        try {
                            h.write(MemorySegment.ofArray(data), page * B);
                        } catch (FsException e) {
                            writeFailed = e;
                            break;
                        }
                        written++;
                        next.set(page + 1);
                    }
                } finally {
                    stop.set(true);
                    mapper.join();
                }
            } finally {
                fs.close();
            }
            assertNull(mapFailed.get());
            assertNull(writeFailed, "a write into a hole failed after " + written + " writes: " + writeFailed);
        }
    }
}
