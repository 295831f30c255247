package org.daxfs.dax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceSection;
import org.daxfs.device.DeviceWindow;
import org.daxfs.format.Extent;

/**
 * The address space of one file: its mapping entries, the mappings that show them, and the pins that
 * hold them. This is where DESIGN.md's rules 1 to 7 are made real for mappings.
 *
 * <h2>Faults</h2>
 * Mapping a range faults every page of it in before the segment is returned (Java cannot trap a first
 * access, so faults happen eagerly, in ascending order). A fault is the one path that looks up (or, for a
 * writable mapping, has the file system allocate) the blocks of an index and installs its entry: it runs
 * with the invalidate lock shared, checks the page is below EOF, locks the entry, and does the lookup and
 * the showing of the blocks in the mapping's window inside one device read-side section, so device
 * removal waits for it. New and unwritten blocks are allocated, zeroed and converted by
 * {@link BlockMap#allocateWritten} before any entry lock is taken (a transaction never starts under an
 * entry lock). A huge (2 MiB) entry is used when the mapping covers a 2 MiB-aligned range that one
 * written extent maps to 2 MiB-aligned device blocks and no small entry exists there; otherwise small
 * entries, and a small fault inside an existing huge entry uses it. Adjacent small entries that show
 * adjacent device blocks (or holes) are shown with one system call. A range that one written extent maps
 * entirely is a plain view of device memory (a slice of it, in the mapping's own arena): no window at all.
 *
 * <h2>Holes</h2>
 * A read-only mapping shows holes and unwritten blocks as zeros and allocates nothing. When a write later
 * gives such pages written blocks, {@link #blocksAdded} replaces the zeros by the blocks in every window
 * showing them (one atomic remap: a reader through the mapping sees zeros or the new data).
 *
 * <h2>Revocation</h2>
 * {@link #invalidate} (punch, truncate, collapse, insert and zero range, mode switch) waits for pins on
 * the range, revokes every mapping overlapping it and removes its entries, all under the invalidate lock
 * exclusive, so nothing can show the blocks again before the caller frees them. Revoking closes the
 * mapping's shared arena: it waits until no thread is inside an access, then unmaps; later accesses
 * throw IllegalStateException. Closing the arena the caller passed to {@link #map} also unmaps.
 *
 * <h2>Dirty state</h2>
 * Entries shown writable are dirty from the moment they are shown; {@link #flush} makes their device
 * ranges durable and cleans those that no writable mapping shows any more.
 *
 * <h2>Locking</h2>
 * See the package comment for the order. Methods state what the caller must hold. Internally: entry
 * locks (one at a time, or a run in ascending order), {@code pinLock} only to wait for or signal unpins
 * (never while holding an entry lock).
 */
public final class AddressSpace {
    private static final long PAGE = Device.BLOCK_SIZE;
    private static final long HUGE = MappingEntry.HUGE_PAGES;
    /** Attempts at a sync mapping whose entries change between the metadata commit and write access. */
    private static final int SYNC_RETRIES = 8;

    private final Device device;
    private final BlockMap blocks;
    private final InvalidateLock invalidateLock;
    private final long inode;
    private final EntryIndex entries = new EntryIndex();
    private final Set<FileMapping> mappings = ConcurrentHashMap.newKeySet();
    private final ReentrantLock pinLock = new ReentrantLock();
    private final Condition unpinned = pinLock.newCondition();
    /** Set once every mapping has been revoked for good (device removed, unmounted). */
    private volatile String shutDown;
    /** Set when the file switched DAX mode: its new mode has a new address space. */
    private volatile boolean retired;

    /**
     * @param invalidateLock the file's invalidate lock, which the file system also takes for reads, writes
     *     and range operations
     * @param inode the file's inode number, for events and messages
     */
    public AddressSpace(Device device, BlockMap blocks, InvalidateLock invalidateLock, long inode) {
        this.device = device;
        this.blocks = blocks;
        this.invalidateLock = invalidateLock;
        this.inode = inode;
    }

    public InvalidateLock invalidateLock() {
        return invalidateLock;
    }

    // ---- mapping -------------------------------------------------------------------------------------

    /**
     * Maps {@code [offset, offset+length)} of the file as one contiguous segment, valid until {@code owner}
     * closes or the range is revoked. A read-only mapping shows holes as zeros and allocates nothing; a
     * writable one has every page allocated and zeroed first; a sync one also has the metadata that maps
     * them committed before write access is granted, so a store plus {@link #flush} of its range is durable.
     * Context: invalidate lock not held (taken here shared); for a writable mapping, the inode lock held
     * exclusive.
     *
     * @throws FsException EINVAL for a bad or empty range, ENXIO for a range past EOF, EOPNOTSUPP without
     *     direct access, EIO if the device is gone
     */
    public MemorySegment map(long offset, long length, boolean writable, boolean sync, Arena owner)
            throws FsException {
        Established made = establish(offset, length, writable, sync, false);
        try {
            // Closing the caller's arena unmaps too; a mapping revoked first makes this a no-op.
            tieTo(owner, made.mapping);
        } catch (RuntimeException e) {
            release(made.mapping);
            throw new IllegalArgumentException("the owner arena cannot hold the mapping (closed?)", e);
        }
        return made.segment;
    }

    /**
     * Maps and pins {@code [offset, offset+length)} for long-lived direct use: range operations that would
     * take its blocks away wait until the pin is closed (or fail with EBUSY after their timeout). Device
     * removal and unmount still revoke it. Context: as {@link #map}.
     */
    public Pin pin(long offset, long length, boolean writable) throws FsException {
        Established made = establish(offset, length, writable, false, true);
        return new Pin(this, made.mapping, made.segment, offset, length);
    }

    /** A mapping faulted in and published, and its segment. */
    private record Established(FileMapping mapping, MemorySegment segment) {}

    @SuppressWarnings("restricted") // a zero-length segment whose only purpose is the owner's cleanup
    private void tieTo(Arena owner, FileMapping m) {
        MemorySegment.ofAddress(0).reinterpret(0, owner, s -> release(m));
    }

    private Established establish(long offset, long length, boolean writable, boolean sync, boolean pinned)
            throws FsException {
        if (offset < 0 || length <= 0 || offset + length < 0) {
            throw FsException.atOffset(Errno.EINVAL, offset, "bad mapping range (length " + length + ")");
        }
        if (!device.isDirectAccess()) {
            throw FsException.atOffset(Errno.EOPNOTSUPP, offset, "mapping needs a direct-access device, not " + device.describe());
        }
        long first = offset / PAGE;
        long end = Math.ceilDiv(offset + length, PAGE);
        for (int attempt = 0; ; attempt++) {
            invalidateLock.lockShared();
            FileMapping m = null;
            try {
                checkUsable();
                long size = blocks.size();
                if (offset + length > size) {
                    throw FsException.atOffset(Errno.ENXIO, offset + length, "mapping beyond end of file (size " + size + ")");
                }
                if (writable) {
                    blocks.allocateWritten(first, end);
                }
                m = newMapping(first, end, writable, sync, pinned);
                mappings.add(m);
                faultRange(m);
                if (writable && !grantWrite(m, attempt)) {
                    release(m);
                    if (attempt + 1 >= SYNC_RETRIES) {
                        throw FsException.atOffset(Errno.EAGAIN, offset, "mapping kept changing while being made writable");
                    }
                    continue;
                }
                // Published before the invalidate lock goes: a range operation revokes only mappings with arenas.
                MemorySegment segment = m.publish(offset, length);
                // A revokeAll that ran after the add above missed this mapping: undo it.
                checkUsable();
                return new Established(m, segment);
            } catch (FsException | RuntimeException e) {
                if (m != null) {
                    release(m);
                }
                throw e;
            } finally {
                invalidateLock.unlockShared();
            }
        }
    }

    /**
     * A mapping of pages {@code [first, end)}: a plain view of device memory when one written extent maps
     * them all (no window, no system call), else a window to stitch them in. Sync mappings always get a
     * window: write access is granted by changing its protection. Context: invalidate lock shared.
     */
    private FileMapping newMapping(long first, long end, boolean writable, boolean sync, boolean pinned) throws FsException {
        Extent x = sync || !blocks.blocksStayPut() ? null : blocks.extentAt(first);
        if (x != null && !x.unwritten() && x.logical() <= first && x.end() >= end) {
            try (DeviceSection s = device.enter()) {
                long address = device.directAccess(x.physicalOf(first) * PAGE, (end - first) * PAGE).address();
                return new FileMapping(this, null, address, first, end - first, writable, false, pinned);
            }
        }
        return new FileMapping(this, device.openWindow((end - first) * PAGE), 0, first, end - first, writable, sync, pinned);
    }

    private void checkUsable() throws FsException {
        if (retired) {
            throw FsException.of(Errno.EAGAIN, null, "the file changed DAX mode while being mapped; map again");
        }
        String why = shutDown;
        if (why != null) {
            throw FsException.of(Errno.EIO, null, "mappings are gone: " + why);
        }
    }

    /**
     * Faults in every page of {@code m}. Context: invalidate lock shared, no entry lock, not inside a
     * device section (each show enters one, inside the entry locks); returns with no entry lock held.
     */
    private void faultRange(FileMapping m) throws FsException {
        boolean showWritable = m.writable && !m.sync;
        List<MappingEntry> run = new ArrayList<>();
        long idx = m.first;
        try {
            while (idx < m.end()) {
                boolean fallback = false;
                if (idx % HUGE == 0 && idx + HUGE <= m.end()) {
                    Extent x = blocks.extentAt(idx);
                    if (hugeCandidate(x, idx)) {
                        showRun(m, run, showWritable);
                        MappingEntry h = entries.lockHuge(idx);
                        if (h != null) {
                            faultHuge(m, h, x, idx, showWritable);
                            idx += HUGE;
                            continue;
                        }
                        fallback = true;
                    }
                }
                checkBelowEof(idx);
                MappingEntry e = entries.lockSmall(idx);
                if (e.huge) {
                    try {
                        showRun(m, run, showWritable);
                    } catch (FsException | RuntimeException ex) {
                        e.unlock();
                        throw ex;
                    }
                    FaultEvent ev = begin();
                    try (DeviceSection s = device.enter()) {
                        resolve(e, m.writable);
                        m.show(e, showWritable);
                        attach(m, e);
                        end(ev, e, m.writable, false, "used huge entry");
                    } finally {
                        dropIfEmpty(e);
                        e.unlock();
                    }
                    idx = Math.min(e.end(), m.end());
                    continue;
                }
                FaultEvent ev = begin();
                try {
                    resolve(e, m.writable);
                } catch (FsException | RuntimeException ex) {
                    dropIfEmpty(e);
                    e.unlock();
                    throw ex;
                }
                end(ev, e, m.writable, fallback, "ok");
                if (!run.isEmpty() && !continues(run.getLast(), e)) {
                    showRun(m, run, showWritable);
                }
                run.add(e);
                idx++;
                if (idx % HUGE == 0) {
                    showRun(m, run, showWritable);
                }
            }
            showRun(m, run, showWritable);
        } catch (FsException | RuntimeException ex) {
            for (MappingEntry e : run) {
                dropIfEmpty(e);
                e.unlock();
            }
            throw ex;
        }
    }

    private void faultHuge(FileMapping m, MappingEntry h, Extent x, long idx, boolean showWritable) throws FsException {
        FaultEvent ev = begin();
        try (DeviceSection s = device.enter()) {
            if (h.kind == MappingEntry.Kind.EMPTY) {
                directAccess(x.physicalOf(idx), HUGE);
                h.kind = MappingEntry.Kind.DEVICE;
                h.block = x.physicalOf(idx);
            }
            m.show(h, showWritable);
            attach(m, h);
            end(ev, h, m.writable, false, "ok");
        } catch (FsException | RuntimeException e) {
            end(ev, h, m.writable, false, "failed: " + e.getMessage());
            throw e;
        } finally {
            dropIfEmpty(h);
            h.unlock();
        }
    }

    /** One written extent maps the 2 MiB at {@code idx} to 2 MiB-aligned device blocks. */
    private static boolean hugeCandidate(Extent x, long idx) {
        return x != null && !x.unwritten() && x.logical() <= idx && x.end() >= idx + HUGE
                && x.physicalOf(idx) % HUGE == 0;
    }

    private void checkBelowEof(long idx) throws FsException {
        if (idx * PAGE >= blocks.size()) {
            throw FsException.atOffset(Errno.ENXIO, idx * PAGE, "fault beyond end of file");
        }
    }

    /**
     * Looks up what a not-yet-resolved entry (or a hole, which a write may have filled) shows now; a hole
     * that became written is shown as the new blocks in every window already showing it (inside one device
     * section). Context: entry locked, invalidate lock shared.
     */
    private void resolve(MappingEntry e, boolean needWritten) throws FsException {
        if (e.kind == MappingEntry.Kind.DEVICE) {
            return;
        }
        Extent x = blocks.extentAt(e.index);
        boolean written = x != null && x.contains(e.index) && !x.unwritten();
        if (!written) {
            if (needWritten) {
                throw FsException.atOffset(Errno.EIO, e.index * PAGE, "page not allocated for a writable mapping");
            }
            e.kind = MappingEntry.Kind.HOLE;
            return;
        }
        boolean wasHole = e.kind == MappingEntry.Kind.HOLE;
        e.kind = MappingEntry.Kind.DEVICE;
        e.block = x.physicalOf(e.index);
        if (wasHole && !e.mappers.isEmpty()) {
            try (DeviceSection s = device.enter()) {
                directAccess(e.block, e.pages());
                for (FileMapping shown : e.mappers) {
                    shown.show(e, false);
                }
            }
        }
    }

    /**
     * The direct-access step of a fault: the device vouches for the blocks (EIO on a media error or a dead
     * device) before an entry shows them. Context: inside a device section.
     */
    private void directAccess(long block, long pages) throws FsException {
        device.directAccess(block * PAGE, pages * PAGE);
    }

    private static boolean continues(MappingEntry a, MappingEntry b) {
        return b.index == a.index + 1 && a.kind == b.kind
                && (a.kind == MappingEntry.Kind.HOLE || b.block == a.block + 1);
    }

    /**
     * Shows a run of locked, resolved, adjacent small entries with one call (direct access and showing in
     * one device section), attaches and unlocks them.
     */
    private void showRun(FileMapping m, List<MappingEntry> run, boolean showWritable) throws FsException {
        if (run.isEmpty()) {
            return;
        }
        MappingEntry head = run.getFirst();
        long bytes = run.size() * PAGE;
        try (DeviceSection s = device.enter()) {
            if (head.kind == MappingEntry.Kind.DEVICE) {
                directAccess(head.block, run.size());
            }
            if (m.window == null) {
                // A plain view shows the run already (it is part of the one extent the view was made for).
            } else if (head.kind == MappingEntry.Kind.DEVICE) {
                m.window.showDevice((head.index - m.first) * PAGE, head.block * PAGE, bytes, showWritable);
            } else {
                m.window.showZeros((head.index - m.first) * PAGE, bytes);
            }
        }
        for (MappingEntry e : run) {
            attach(m, e);
            e.unlock();
        }
        run.clear();
    }

    /** Records that {@code m} shows {@code e}. Context: entry locked. */
    private static void attach(FileMapping m, MappingEntry e) {
        e.mappers.add(m);
        m.entries.add(e);
        if (m.writable) {
            e.writableMaps++;
            e.dirty = true;
        }
        if (m.pinned) {
            e.pins.incrementAndGet();
        }
    }

    /** Removes an entry a failed fault created and nobody uses. Context: entry locked. */
    private void dropIfEmpty(MappingEntry e) {
        if (!e.dead && e.unused()) {
            entries.remove(e);
        }
    }

    /**
     * Grants write access to a writable mapping: records the modification and, for a sync mapping, commits
     * the metadata durably, then re-checks each entry and makes its pages writable (rule 4). Context:
     * inode lock exclusive, invalidate lock shared, no entry lock.
     *
     * @return false if an entry was replaced meanwhile (the caller maps again)
     */
    private boolean grantWrite(FileMapping m, int attempt) throws FsException {
        SyncFaultEvent ev = new SyncFaultEvent();
        ev.begin();
        blocks.beginWrite(m.sync);
        boolean ok = true;
        if (m.sync) {
            for (MappingEntry e : m.entries) {
                e.lock();
                try {
                    if (e.dead || e.kind != MappingEntry.Kind.DEVICE || !e.mappers.contains(m)) {
                        ok = false;
                        break;
                    }
                    long from = Math.max(e.index, m.first);
                    long to = Math.min(e.end(), m.end());
                    m.window.protect((from - m.first) * PAGE, (to - from) * PAGE, true);
                } finally {
                    e.unlock();
                }
            }
        }
        ev.end();
        if (ev.shouldCommit()) {
            ev.inode = inode;
            ev.index = m.first;
            ev.pages = m.pages;
            ev.sync = m.sync;
            ev.retries = attempt;
            ev.outcome = ok ? "writable" : "entry replaced, retry";
            ev.commit();
        }
        return ok;
    }

    private static FaultEvent begin() {
        FaultEvent ev = new FaultEvent();
        ev.begin();
        return ev;
    }

    private void end(FaultEvent ev, MappingEntry e, boolean write, boolean fallback, String outcome) {
        ev.end();
        if (ev.shouldCommit()) {
            ev.inode = inode;
            ev.index = e.index;
            ev.pages = e.pages();
            ev.huge = e.huge;
            ev.write = write;
            ev.hole = e.kind == MappingEntry.Kind.HOLE;
            ev.fallback = fallback;
            ev.outcome = outcome;
            ev.commit();
        }
    }

    // ---- blocks added by writes ------------------------------------------------------------------------

    /**
     * Pages {@code [from, to)} were given written blocks (a write into a hole or into unwritten blocks):
     * windows that show them as zeros now show the blocks. Context: invalidate lock shared, after the
     * transaction committed; no entry lock.
     */
    public void blocksAdded(long from, long to) throws FsException {
        if (mappings.isEmpty()) {
            return;
        }
        eachLiveEntry(from, to, e -> {
            if (e.kind == MappingEntry.Kind.HOLE) {
                resolve(e, false);
            }
        });
    }

    // ---- revocation ------------------------------------------------------------------------------------

    /**
     * Before blocks of {@code [fromByte, toByte)} are taken away or moved: waits for pins on it, revokes
     * every mapping overlapping it and removes its entries (flushing dirty ones first). Context: inode lock
     * and invalidate lock held exclusive, and kept until the blocks are freed.
     *
     * @param pinTimeoutNanos how long to wait for pins before failing
     * @throws FsException EBUSY if a pin outlived the timeout, EINTR if interrupted while waiting (nothing
     *     was revoked in either case)
     */
    public void invalidate(long fromByte, long toByte, long pinTimeoutNanos, String reason) throws FsException {
        if (!invalidateLock.isHeldExclusively()) {
            throw new IllegalStateException("invalidate needs the invalidate lock held exclusive");
        }
        long from = fromByte / PAGE;
        long to = toByte >= Long.MAX_VALUE - PAGE ? Long.MAX_VALUE / PAGE : Math.ceilDiv(toByte, PAGE);
        if (from >= to || (mappings.isEmpty() && entries.count() == 0)) {
            return;
        }
        int[] counts = new int[2];
        Traced.run(new RevokeEvent(), () -> {
            waitForPins(from, to, pinTimeoutNanos, fromByte);
            for (FileMapping m : mappings) {
                if (m.overlaps(from, to)) {
                    release(m);
                    counts[0]++;
                }
            }
            eachLiveEntry(from, to, e -> {
                if (e.dirty && e.kind == MappingEntry.Kind.DEVICE && device.isAlive()) {
                    device.persist(e.block * PAGE, e.bytes());
                }
                entries.remove(e);
                counts[1]++;
            });
        }, (ev, outcome) -> {
            ev.inode = inode;
            ev.from = from;
            ev.to = to;
            ev.mappings = counts[0];
            ev.entries = counts[1];
            ev.reason = reason;
            ev.outcome = outcome;
        });
    }

    /** Work on one entry, done with it locked. */
    private interface EntryWork {
        void apply(MappingEntry e) throws FsException;
    }

    /**
     * Runs {@code work} on each entry overlapping pages {@code [from, to)} that is still in the index, one
     * at a time, each locked. Context: no entry lock held.
     */
    private void eachLiveEntry(long from, long to, EntryWork work) throws FsException {
        for (MappingEntry e : entries.snapshot(from, to)) {
            e.lock();
            try {
                if (!e.dead) {
                    work.apply(e);
                }
            } finally {
                e.unlock();
            }
        }
    }

    private void waitForPins(long from, long to, long timeoutNanos, long offset) throws FsException {
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            pinLock.lockInterruptibly();
            try {
                while (pinnedWithin(from, to)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw FsException.atOffset(Errno.EBUSY, offset, "range is pinned; waited "
                                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms for the pin to be released");
                    }
                    unpinned.awaitNanos(left);
                }
            } finally {
                pinLock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FsException.wrap(Errno.EINTR, null, offset, "interrupted while waiting for a pin", e);
        }
    }

    private boolean pinnedWithin(long from, long to) {
        for (FileMapping m : mappings) {
            if (m.pinned && m.overlaps(from, to) && !m.isUnmapped()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Revokes every mapping, pinned or not, for good: the device is gone or the file system unmounted.
     * Later maps fail with EIO. Context: any; takes entry locks one at a time.
     */
    public void revokeAll(String reason) {
        shutDown = reason;
        RevokeEvent ev = new RevokeEvent();
        ev.begin();
        int n = 0;
        for (FileMapping m : mappings) {
            release(m);
            n++;
        }
        ev.end();
        if (ev.shouldCommit()) {
            ev.inode = inode;
            ev.to = Long.MAX_VALUE / PAGE;
            ev.mappings = n;
            ev.reason = reason;
            ev.outcome = "ok";
            ev.commit();
        }
    }

    /**
     * Closes {@code m}, or waits until the thread already closing it is done: its entries lose a mapper
     * (and a pin), and those nothing needs any more are removed; then it is unmapped (waiting for accesses
     * in flight), and only then forgotten, so {@link #invalidate} never frees blocks a closing mapping can
     * still reach. Context: no entry lock held.
     */
    void release(FileMapping m) {
        if (!m.beginClose()) {
            m.awaitClosed();
            return;
        }
        try {
            // Detached from its entries first: a write filling a hole it shows must not find a closed window.
            for (MappingEntry e : m.entries) {
                e.lock();
                try {
                    if (!e.dead) {
                        e.mappers.remove(m);
                        if (m.writable) {
                            e.writableMaps--;
                        }
                        if (m.pinned) {
                            e.pins.decrementAndGet();
                        }
                        if (e.unused()) {
                            entries.remove(e);
                        }
                    }
                } finally {
                    e.unlock();
                }
            }
        } finally {
            m.finishClose();
            // Only now, with no access in flight: pin waiters may go on to free the blocks.
            mappings.remove(m);
        }
        if (m.pinned) {
            pinLock.lock();
            try {
                unpinned.signalAll();
            } finally {
                pinLock.unlock();
            }
        }
    }

    // ---- flush -------------------------------------------------------------------------------------------

    /**
     * Makes durable the device ranges of dirty entries overlapping pages {@code [from, to)} and cleans
     * those no writable mapping shows any more (fsync, msync). Context: no entry lock; the caller need
     * not hold the invalidate lock (an entry is removed, under its lock, before its blocks can be freed).
     */
    public void flush(long from, long to) throws FsException {
        if (entries.count() == 0) {
            return;
        }
        long[] counts = new long[2];
        Traced.run(new FlushEvent(), () -> eachLiveEntry(from, to, e -> {
            if (!e.dirty) {
                return;
            }
            if (e.kind == MappingEntry.Kind.DEVICE) {
                device.persist(e.block * PAGE, e.bytes());
                counts[0]++;
                counts[1] += e.bytes();
            }
            if (e.writableMaps == 0) {
                e.dirty = false;
                if (e.unused()) {
                    entries.remove(e);
                }
            }
        }), (ev, outcome) -> {
            ev.inode = inode;
            ev.entries = (int) counts[0];
            ev.bytes = counts[1];
            ev.outcome = outcome;
        });
    }

    /** Flushes every dirty entry of the file. */
    public void flush() throws FsException {
        flush(0, Long.MAX_VALUE / PAGE);
    }

    // ---- for the file system and tests --------------------------------------------------------------------

    /**
     * The file switched DAX mode: this address space shows nothing any more and maps nothing again (a map
     * that finds it retired fails with EAGAIN; the file system maps again in the new space). Context:
     * invalidate lock exclusive, after {@link #invalidate} of the whole file.
     */
    public void retire() {
        if (!invalidateLock.isHeldExclusively()) {
            throw new IllegalStateException("retire needs the invalidate lock held exclusive");
        }
        retired = true;
    }

    public boolean isRetired() {
        return retired;
    }

    /** True while a mapping that can store into page {@code index} exists (closing ones included). */
    public boolean hasWritableMapping(long index) {
        for (FileMapping m : mappings) {
            if (m.writable && m.first <= index && index < m.end()) {
                return true;
            }
        }
        return false;
    }

    /**
     * True while page {@code index} may be shown: a mapping (or pin) covering it exists, closing ones
     * included (a closing mapping leaves its entries before it is unmapped), or an entry for it does (one
     * a fault is resolving, or one a writable mapping left dirty; a later fault shows what it resolved to).
     * A snapshot, taken without locks.
     */
    public boolean mayShow(long index) {
        for (FileMapping m : mappings) {
            if (m.first <= index && index < m.end()) {
                return true;
            }
        }
        return entries.covers(index);
    }

    /** True while any mapping (or pin) is live. */
    public boolean isMapped() {
        return !mappings.isEmpty();
    }

    /** Live mappings, pins included. */
    public int mappingCount() {
        return mappings.size();
    }

    /** Entries in the index. */
    public int entryCount() {
        return entries.count();
    }

    /** Huge entries in the index. */
    public int hugeEntryCount() {
        int n = 0;
        for (MappingEntry e : entries.snapshot(0, Long.MAX_VALUE / PAGE)) {
            if (e.huge) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "address space of inode " + inode;
    }
}
