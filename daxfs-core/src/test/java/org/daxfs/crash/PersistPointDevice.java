package org.daxfs.crash;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;
import org.daxfs.FsException;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceSection;
import org.daxfs.device.DeviceWindow;
import org.daxfs.device.MediaErrors;
import org.daxfs.locking.LockOrder;

/**
 * A {@link CrashSimulatorDevice} seen through a wrapper that stops the file system just <em>before</em>
 * each persist and lets a test crash the device there.
 *
 * <p>Why before and not {@link CrashSimulatorDevice#onPersist} (after): a crash image is the durable image
 * plus any subset of the unpersisted 64-byte lines. After persist k returns, the stores the engine is about
 * to make before persist k+1 do not exist yet, so a random subset taken there can never contain, say, half
 * of a journal record: the engine writes a record and persists it in one call. Just before persist k, the
 * stores that persist is about to flush are all in the live image and not yet durable; a crash there
 * drops any subset of them (torn journal records, half-written home blocks, half of ordered data). With
 * keep probability 0 the image equals the durable image after persist k-1, so crashing before every
 * persist, plus once after the last, covers every "after persist" point as well.
 *
 * <p>For the checker's self-tests the wrapper can also lose persists on purpose ({@link #losePersists}), to
 * prove that a missing flush is caught.
 *
 * <p>Context: single-threaded tests; the hook runs on the persisting thread, inside the engine's call
 * (journal and inode locks held). It may crash the simulator and mount the crash image (another device),
 * but must not touch the file system that is persisting. It runs in a {@link LockOrder#suspend()} scope, so
 * the locks of the file system it mounts are not checked against those the engine holds.
 */
final class PersistPointDevice implements Device {
    /** Called before persist number {@code point} (1 for the first) of {@code [offset, offset+length)}. */
    interface Hook {
        void beforePersist(int point, long offset, long length);
    }

    /** Decides which persists to drop (fault injection); returns true to skip the persist. */
    interface PersistFilter {
        boolean lose(long offset, long length);
    }

    private final CrashSimulatorDevice sim;
    private Hook hook;
    private PersistFilter lose;
    private int points;

    PersistPointDevice(CrashSimulatorDevice sim) {
        this.sim = sim;
    }

    CrashSimulatorDevice simulator() {
        return sim;
    }

    void setHook(Hook hook) {
        this.hook = hook;
    }

    /** Fault injection for self-tests: persists the filter accepts do nothing. */
    void losePersists(PersistFilter filter) {
        this.lose = filter;
    }

    /** Persist calls seen so far. */
    int points() {
        return points;
    }

    @Override
    public void persist(long offset, long length) throws FsException {
        int point = ++points;
        Hook h = hook;
        if (h != null) {
            // The hook runs outside the engine's lock context (it mounts other images): a fresh lock-order scope.
            try (LockOrder.Scope _ = LockOrder.suspend()) {
                h.beforePersist(point, offset, length);
            }
        }
        PersistFilter f = lose;
        if (f != null && f.lose(offset, length)) {
            return;
        }
        sim.persist(offset, length);
    }

    @Override
    public void persistAll() throws FsException {
        persist(0, size());
    }

    // ---- plain delegation ----

    @Override
    public String describe() {
        return "persist points over " + sim.describe();
    }

    @Override
    public long size() {
        return sim.size();
    }

    @Override
    public boolean isDirectAccess() {
        return sim.isDirectAccess();
    }

    @Override
    public boolean isSynchronous() {
        return sim.isSynchronous();
    }

    @Override
    public boolean isReadOnly() {
        return sim.isReadOnly();
    }

    @Override
    public Optional<Path> backingFile() {
        return sim.backingFile();
    }

    @Override
    public DeviceSection enter() throws FsException {
        return sim.enter();
    }

    @Override
    public MemorySegment directAccess(long offset, long length) throws FsException {
        return sim.directAccess(offset, length);
    }

    @Override
    public DeviceWindow openWindow(long size) throws FsException {
        return sim.openWindow(size);
    }

    @Override
    public void read(long offset, MemorySegment dst) throws FsException {
        sim.read(offset, dst);
    }

    @Override
    public void write(long offset, MemorySegment src) throws FsException {
        sim.write(offset, src);
    }

    @Override
    public void zero(long offset, long length) throws FsException {
        sim.zero(offset, length);
    }

    @Override
    public MediaErrors mediaErrors() {
        return sim.mediaErrors();
    }

    @Override
    public void onKill(Runnable listener) {
        sim.onKill(listener);
    }

    @Override
    public void removeKillListener(Runnable listener) {
        sim.removeKillListener(listener);
    }

    @Override
    public void kill() {
        sim.kill();
    }

    @Override
    public boolean isAlive() {
        return sim.isAlive();
    }

    @Override
    public void close() {
        sim.close();
    }
}
