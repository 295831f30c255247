package org.daxfs.dax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceWindow;

/**
 * One mapping of a file range: a window of virtual memory in which the range's entries are shown (device
 * blocks, or zeros for holes), or for a range that is one contiguous run of written blocks a plain view of
 * device memory, and the shared arena that owns the segment handed to the caller. A plain view costs no
 * system call; it is revoked before the device unmaps its memory (the file system's kill listener). Revoking it
 * closes the arena, which waits until no thread is inside an access through the segment and then unmaps
 * the window; any later access throws IllegalStateException and never touches a block the file gave back.
 * A mapping is published (given its arena) before the invalidate lock that made it is released, so a range
 * operation can only revoke a mapping that has its arena.
 *
 * <h2>Locking</h2>
 * {@link #show} needs the entry locked. {@link #entries} is filled by the faulting thread before the
 * mapping is published and read only by whoever closes it. Closing takes no lock of the file system: the
 * caller that wins {@link #beginClose} detaches the mapping and then unmaps ({@link #finishClose}); others
 * wait ({@link #awaitClosed}). The monitor only orders {@link #publish} against {@link #finishClose}.
 */
final class FileMapping {
    private static final long PAGE = Device.BLOCK_SIZE;

    final AddressSpace space;
    /** The window the entries are shown in; null for a plain view of one contiguous run of device memory. */
    final DeviceWindow window;
    /** For a plain view: the address of device memory shown at the start of the mapping. */
    final long plainAddress;
    /** First page index of the file shown at the window's start. */
    final long first;
    /** Pages in the window. */
    final long pages;
    final boolean writable;
    final boolean sync;
    final boolean pinned;
    /** Entries this mapping shows, each once. */
    final List<MappingEntry> entries = new ArrayList<>();

    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Set once the segment exists; before that unmapping closes the window alone. */
    private volatile Arena arena;

    FileMapping(AddressSpace space, DeviceWindow window, long plainAddress, long first, long pages, boolean writable,
            boolean sync, boolean pinned) {
        this.space = space;
        this.window = window;
        this.plainAddress = plainAddress;
        this.first = first;
        this.pages = pages;
        this.writable = writable;
        this.sync = sync;
        this.pinned = pinned;
    }

    long end() {
        return first + pages;
    }

    boolean overlaps(long from, long to) {
        return first < to && from < end();
    }

    /**
     * Shows {@code e}'s current state for the pages of {@code e} inside this mapping. Context: {@code e}
     * locked, inside a device section.
     */
    void show(MappingEntry e, boolean asWritable) throws FsException {
        if (window == null) {
            return; // a plain view shows device memory as it is
        }
        long from = Math.max(e.index, first);
        long to = Math.min(e.end(), end());
        if (e.kind == MappingEntry.Kind.DEVICE) {
            window.showDevice((from - first) * PAGE, (e.block + from - e.index) * PAGE, (to - from) * PAGE, asWritable);
        } else {
            window.showZeros((from - first) * PAGE, (to - from) * PAGE);
        }
    }

    /**
     * Wraps the window in a new shared arena; the segment covers {@code [offset, offset+length)} of the file.
     * The arena's cleanup unmaps the window. Context: invalidate lock shared (so no range operation can
     * revoke the mapping until it has its arena).
     *
     * @throws FsException EIO if the mapping was closed meanwhile (device removal or unmount): its window is
     *     gone, and a segment over it must never be handed out
     */
    @SuppressWarnings("restricted") // reinterpret: the window is ours, of exactly this size
    synchronized MemorySegment publish(long offset, long length) throws FsException {
        if (closing.get()) {
            throw FsException.atOffset(Errno.EIO, offset, "mapping revoked while it was being made");
        }
        Arena a = Arena.ofShared();
        MemorySegment whole = window == null
                ? MemorySegment.ofAddress(plainAddress).reinterpret(pages * PAGE, a, null)
                : MemorySegment.ofAddress(window.address()).reinterpret(window.size(), a, s -> window.close());
        arena = a;
        MemorySegment segment = whole.asSlice(offset - first * PAGE, length);
        return writable ? segment : segment.asReadOnly();
    }

    /**
     * Claims the closing of this mapping: true for the one caller that must detach it and then
     * {@link #finishClose}; false for any other, who should {@link #awaitClosed}.
     */
    boolean beginClose() {
        return closing.compareAndSet(false, true);
    }

    /**
     * Unmaps: closes the arena (which waits until no thread is inside an access, then unmaps the window)
     * or, if it was never published, the window itself. Context: after a successful {@link #beginClose}.
     */
    void finishClose() {
        try {
            Arena a;
            synchronized (this) {
                a = arena; // publish checks closing under this monitor: no arena can appear after this
            }
            if (a != null) {
                a.close();
            } else if (window != null) {
                window.close();
            }
        } finally {
            closed.countDown();
        }
    }

    /** Waits (uninterruptibly) until the thread that claimed the closing has unmapped. */
    void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isUnmapped() {
        return closing.get();
    }

    @Override
    public String toString() {
        return (pinned ? "pinned " : "") + (sync ? "sync " : "") + (writable ? "writable" : "read-only")
                + " mapping of pages [" + first + ", " + end() + ")";
    }
}
