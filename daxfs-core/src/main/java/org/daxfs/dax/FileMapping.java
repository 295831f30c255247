package org.daxfs.dax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceWindow;

/**
 * One mapping of a file range: a window of virtual memory in which the range's entries are shown (device
 * blocks, or zeros for holes) and the shared arena that owns the segment handed to the caller. Revoking it
 * closes the arena, which waits until no thread is inside an access through the segment and then unmaps
 * the window; any later access throws IllegalStateException and never touches a block the file gave back.
 *
 * <h2>Locking</h2>
 * {@link #show} needs the entry locked. {@link #entries} is filled by the faulting thread before the
 * mapping is published and read only by whoever closes it. {@link #unmap} takes no lock: the first caller
 * closes the arena, later callers wait for that to finish.
 */
final class FileMapping {
    private static final long PAGE = Device.BLOCK_SIZE;

    final AddressSpace space;
    final DeviceWindow window;
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

    FileMapping(AddressSpace space, DeviceWindow window, long first, long pages, boolean writable, boolean sync,
            boolean pinned) {
        this.space = space;
        this.window = window;
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
     * The arena's cleanup unmaps the window.
     */
    @SuppressWarnings("restricted") // reinterpret: the window is ours, of exactly this size
    MemorySegment publish(long offset, long length) {
        Arena a = Arena.ofShared();
        MemorySegment whole = MemorySegment.ofAddress(window.address())
                .reinterpret(window.size(), a, s -> window.close());
        arena = a;
        MemorySegment segment = whole.asSlice(offset - first * PAGE, length);
        return writable ? segment : segment.asReadOnly();
    }

    /**
     * Unmaps: closes the arena (waiting for accesses in flight) or, before publication, the window. The
     * first caller does it and returns true; a concurrent caller waits until it is done and returns false.
     */
    boolean unmap() {
        if (closing.compareAndSet(false, true)) {
            try {
                Arena a = arena;
                if (a != null) {
                    a.close();
                } else {
                    window.close();
                }
            } finally {
                closed.countDown();
            }
            return true;
        }
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
        return false;
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
