package org.daxfs.device;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.daxfs.FsException;
import org.daxfs.linux.SyscallException;
import org.daxfs.locking.LockOrder;

/**
 * A direct-access device in memory that can lose power: it keeps the image reads and direct access see
 * ({@code live}) and the image that would survive a crash ({@code durable}). {@link #persist} copies the
 * range, rounded out to 64-byte cache lines, from live to durable, as a cache-line writeback would.
 *
 * <p>Direct-access stores bypass any recording, so nothing is logged: the stores that have not been made
 * durable are exactly the 64-byte lines where live and durable differ. {@link #crash} builds a new device
 * from the durable image plus a random subset of those lines (each kept with a given probability, whole
 * lines only, as CPU caches may write back any dirty line at any time before a crash).
 *
 * <p>Tests crash at every persist point by registering {@link #onPersist} and calling {@link #crash} from
 * the listener. The crashed image keeps the bad sectors of this one (bad media survives a power cycle).
 *
 * <p>Memory: both images are off-heap, mapped in a shared arena that lives until {@link #close()}; direct
 * access and the operations see them through a second arena that {@link #kill()} closes. So after kill, held
 * segments throw IllegalStateException, while {@link #crash}, {@link #unpersistedLines} and the snapshots
 * still work until close. The live image is a memfd mapped shared, so that {@link #openWindow windows} can
 * map the same memory again: a store through a window is a store to the live image, lost by a crash unless
 * persisted, like a direct-access store. As on other devices, windows keep mapping that memory after kill and
 * close, until their owner closes them. The durable image is ordinary memory. The memfd is closed at close;
 * each crash image has its own.
 *
 * <p>Locks and context: as {@link AbstractDevice}; no lock of its own. Persist listeners run on the
 * persisting thread inside its device section: they may read, snapshot and crash the device, but must not
 * kill or close it. They run in a {@link LockOrder#suspend()} scope, so they may take locks (of another file
 * system) that the caller's lock order would forbid there. {@link #crash}, {@link #unpersistedLines} and the
 * snapshots read both images without stopping writers: run them when writers are quiet (or accept a torn
 * line, as a real crash could give), and never concurrently with {@link #close()}.
 */
public final class CrashSimulatorDevice extends MemoryBackedDevice {
    /** Granularity of persistence and of what a crash keeps or drops. */
    public static final int LINE = 64;

    private final boolean synchronous;
    private final Arena storage = Arena.ofShared();
    private final Arena access = Arena.ofShared();
    /** The memfd that holds the live image, which windows map. */
    private final int liveFd;
    /** The images, owned by {@code storage}; {@code liveStore} is a shared mapping of {@code liveFd}. */
    private final MemorySegment liveStore;
    private final MemorySegment durable;
    /** {@code liveStore} as seen through {@code access}: what sections use and direct access hands out. */
    private final MemorySegment live;
    private final AtomicInteger persistCount = new AtomicInteger();
    private final List<IntConsumer> persistListeners = new CopyOnWriteArrayList<>();
    private volatile boolean released;

    /** A zero-filled, synchronous device of {@code size} bytes (a multiple of {@link #BLOCK_SIZE}). */
    public CrashSimulatorDevice(long size) {
        this(size, true);
    }

    /**
     * A zero-filled device of {@code size} bytes.
     *
     * @param synchronous what {@link #isSynchronous()} reports, so both the MAP_SYNC and the msync paths
     *     of the layers above can be crash-tested
     */
    @SuppressWarnings("restricted") // reinterpret: a second view of our own mapping, same size
    public CrashSimulatorDevice(long size, boolean synchronous) {
        super(size, false);
        this.synchronous = synchronous;
        try {
            this.liveFd = LinuxCalls.memfdCreate("daxfs-crash-live", LinuxCalls.MFD_CLOEXEC);
        } catch (SyscallException e) {
            storage.close();
            access.close();
            throw new IllegalStateException("cannot create the live image of a crash simulator", e);
        }
        try {
            this.liveStore = mapLive(liveFd, size, storage);
            this.durable = storage.allocate(size, BLOCK_SIZE);
        } catch (RuntimeException | Error e) {
            storage.close();
            access.close();
            closeQuietly(liveFd);
            throw e;
        }
        this.live = liveStore.reinterpret(size, access, null);
    }

    /** A synchronous device whose live and durable images both start as a copy of {@code initialImage}. */
    public CrashSimulatorDevice(MemorySegment initialImage) {
        this(initialImage, true);
    }

    /** A device whose live and durable images both start as a copy of {@code initialImage}. */
    public CrashSimulatorDevice(MemorySegment initialImage, boolean synchronous) {
        this(initialImage.byteSize(), synchronous);
        MemorySegment.copy(initialImage, 0, liveStore, 0, initialImage.byteSize());
        MemorySegment.copy(initialImage, 0, durable, 0, initialImage.byteSize());
    }

    @Override
    public String describe() {
        return "crash simulator (" + size() + " bytes, " + persistCount.get() + " persists)";
    }

    @Override
    public boolean isDirectAccess() {
        return true;
    }

    @Override
    public boolean isSynchronous() {
        return synchronous;
    }

    @Override
    public Optional<Path> backingFile() {
        return Optional.empty();
    }

    /** How many persists have completed (including whole-device ones). */
    public int persistCount() {
        return persistCount.get();
    }

    /**
     * Registers a listener called after each persist with its sequence number (1 for the first persist).
     * See the class comment for what it may do.
     */
    public void onPersist(IntConsumer listener) {
        persistListeners.add(listener);
    }

    /** How many 64-byte lines hold stores that a crash now could lose. */
    public long unpersistedLines() {
        checkNotReleased();
        long count = 0;
        for (long line = nextDifferingLine(0); line >= 0; line = nextDifferingLine(line + LINE)) {
            count++;
        }
        return count;
    }

    /**
     * Simulates a power failure now: returns a new device holding the durable image plus each unpersisted
     * line of the live image, kept with probability {@code keepProbability} (0.0 drops every unpersisted
     * store, 1.0 keeps them all). Lines are visited in address order, so a seeded {@code rnd} replays.
     * This device is not changed.
     */
    public CrashSimulatorDevice crash(Random rnd, double keepProbability) {
        if (!(keepProbability >= 0.0 && keepProbability <= 1.0)) {
            throw new IllegalArgumentException("keep probability " + keepProbability + " not in [0, 1]");
        }
        checkNotReleased();
        CrashSimulatorDevice image = new CrashSimulatorDevice(durable, synchronous);
        if (keepProbability > 0.0) {
            for (long line = nextDifferingLine(0); line >= 0; line = nextDifferingLine(line + LINE)) {
                if (rnd.nextDouble() < keepProbability) {
                    MemorySegment.copy(liveStore, line, image.liveStore, line, LINE);
                    MemorySegment.copy(liveStore, line, image.durable, line, LINE);
                }
            }
        }
        image.mediaErrors().addAll(mediaErrors());
        return image;
    }

    /** A copy of what reads see now. Images must be under 2 GiB. */
    public byte[] liveBytes() {
        checkNotReleased();
        return liveStore.toArray(ValueLayout.JAVA_BYTE);
    }

    /** A copy of what would survive a crash now. Images must be under 2 GiB. */
    public byte[] durableBytes() {
        checkNotReleased();
        return durable.toArray(ValueLayout.JAVA_BYTE);
    }

    /** A read-only view of the durable image, valid until this device is closed. */
    public MemorySegment durableImage() {
        checkNotReleased();
        return durable.asReadOnly();
    }

    /** Writes the durable image to a new file, e.g. to open it with {@link Devices#open} or run fsck on it. */
    public void saveDurableImage(Path file) throws IOException {
        checkNotReleased();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long chunk = 1L << 30; // asByteBuffer is limited to 2 GiB
            for (long done = 0; done < size(); done += chunk) {
                var buffer = durable.asSlice(done, Math.min(chunk, size() - done)).asByteBuffer();
                while (buffer.hasRemaining()) {
                    channel.write(buffer, done + buffer.position());
                }
            }
        }
    }

    // ---- primitives ----

    @Override
    MemorySegment memory() {
        return live;
    }

    @Override
    void persistRange(long offset, long length) throws FsException {
        long start = offset / LINE * LINE;
        long end = Math.min(size(), Math.ceilDiv(offset + length, LINE) * LINE);
        // Copy through the access view, so a persist racing a kill fails like any other access would.
        MemorySegment.copy(live, start, durable, start, end - start);
        int sequence = persistCount.incrementAndGet();
        // Listeners run inside this device's section but outside its caller's lock context (they may mount
        // a crash image, which takes that file system's locks): the lock-order checker starts afresh for them.
        try (LockOrder.Scope _ = LockOrder.suspend()) {
            for (IntConsumer listener : persistListeners) {
                listener.accept(sequence);
            }
        }
    }

    @Override
    WindowSource windowSource() {
        return WindowSource.borrowed(liveFd, false, false);
    }

    @Override
    void revoke() {
        access.close();
    }

    @Override
    void release() {
        released = true;
        try {
            storage.close();
        } finally {
            closeQuietly(liveFd);
        }
    }

    /** A zero-filled memfd of {@code size} bytes, mapped shared in {@code arena}. */
    private static MemorySegment mapLive(int fd, long size, Arena arena) {
        Path procPath = Path.of("/proc/self/fd/" + fd);
        try {
            LinuxCalls.ftruncate(fd, size);
            try (FileChannel channel = FileChannel.open(procPath, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            }
        } catch (IOException e) { // SyscallException too
            throw new IllegalStateException("cannot map the live image of a crash simulator (" + size + " bytes)", e);
        }
    }

    private static void closeQuietly(int fd) {
        try {
            LinuxCalls.close(fd);
        } catch (SyscallException ignored) {
            // close(2) of a descriptor we own can only fail with EINTR/EIO; mappings are unaffected.
        }
    }

    /** Start of the first line at or after {@code from} where live and durable differ, or -1. */
    private long nextDifferingLine(long from) {
        if (from >= size()) {
            return -1;
        }
        long mismatch = MemorySegment.mismatch(liveStore, from, size(), durable, from, size());
        return mismatch < 0 ? -1 : (from + mismatch) / LINE * LINE;
    }

    private void checkNotReleased() {
        if (released) {
            throw new IllegalStateException(describe() + " is closed");
        }
    }
}
