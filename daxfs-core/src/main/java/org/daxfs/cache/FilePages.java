package org.daxfs.cache;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * The cached pages of one file that is not DAX: reads and writes through them, readahead, filling pages
 * for mappings, writeback and dropping, as Linux's filemap does for an address_space.
 *
 * <h2>Locking (DESIGN.md's order: inode lock, invalidate lock, journal, page lock, device section)</h2>
 * <ul>
 *   <li>Every path that creates or fills a page (read, readahead, mapping faults, completing a partly
 *       valid page) runs with the file's invalidate lock held shared, so a range operation, which holds it
 *       exclusive across drop → change extents → free, can never have a page filled from blocks it is
 *       about to free.
 *   <li>{@link #write} and {@link #writeBack} need the inode lock exclusive as well: writers are
 *       serialised, and nobody changes a dirty page while it is being written back. Writeback begins
 *       transactions, so it holds no page lock while it writes.
 *   <li>{@link #remove} and {@link #dropAll} need the inode lock and the invalidate lock exclusive.
 *   <li>Page locks are taken one at a time, or a readahead run of new pages in ascending order; eviction
 *       only ever tries them.
 * </ul>
 */
public final class FilePages {
    private static final int PAGE = CachedPage.SIZE;
    /** Pages written back by one call to the file's blocks (one transaction where they need one). */
    private static final int WRITEBACK_RUN = 64;
    /** A reusable buffer per thread for runs of pages read or written in one call. */
    private static final ThreadLocal<MemorySegment> RUN_BUFFER = ThreadLocal.withInitial(
            () -> Arena.ofAuto().allocate((long) WRITEBACK_RUN * PAGE, PAGE));

    private final PageCache cache;
    private final CachedFile file;
    private final ConcurrentSkipListMap<Long, CachedPage> pages = new ConcurrentSkipListMap<>();
    private final AtomicInteger dirtyCount = new AtomicInteger();
    private volatile Throwable writebackError;

    FilePages(PageCache cache, CachedFile file) {
        this.cache = cache;
        this.file = file;
    }

    CachedFile file() {
        return file;
    }

    /** Pages cached. */
    public int pageCount() {
        return pages.size();
    }

    /** Dirty pages. */
    public int dirtyCount() {
        return dirtyCount.get();
    }

    /** True if page {@code index} is cached (for tests and diagnostics). */
    public boolean isCached(long index) {
        CachedPage p = pages.get(index);
        return p != null && !p.isDead();
    }

    /** True if a page of {@code [from, to)} (page indexes) is dirty. */
    public boolean hasDirty(long from, long to) {
        if (dirtyCount.get() == 0) {
            return false;
        }
        for (CachedPage p : pages.subMap(from, to).values()) {
            if (p.dirty) {
                return true;
            }
        }
        return false;
    }

    // ---- read ---------------------------------------------------------------------------------------

    /**
     * Reads from {@code pos} into all of {@code dst} (up to EOF) through the cache, filling missing pages
     * with readahead. With {@code nowait}, never waits for the device or a page lock: if a page is missing
     * or being filled, returns what was read so far, or fails with EAGAIN if that is nothing (RWF_NOWAIT).
     * Context: invalidate lock shared.
     *
     * @param ra the open file's readahead state, or null for none
     * @return bytes read, or -1 if {@code pos} is at or past EOF and dst is not empty
     */
    public long read(long pos, MemorySegment dst, Readahead ra, boolean nowait) throws FsException {
        long size = file.size();
        if (dst.byteSize() == 0) {
            return 0;
        }
        if (pos >= size) {
            return -1;
        }
        long n = Math.min(dst.byteSize(), size - pos);
        long lastPage = (pos + n - 1) / PAGE;
        long done = 0;
        while (done < n) {
            long off = pos + done;
            long idx = off / PAGE;
            int in = (int) (off % PAGE);
            int len = (int) Math.min(PAGE - in, n - done);
            CachedPage p = pages.get(idx);
            if (p == null) {
                if (nowait) {
                    return wouldBlock(done, off);
                }
                fill(idx, lastPage - idx + 1, ra);
                continue;
            }
            if (!p.tryRef()) {
                pages.remove(idx, p); // evicted: its evictor removes it too
                continue;
            }
            try {
                if (!p.valid(in, in + len)) {
                    if (nowait) {
                        return wouldBlock(done, off);
                    }
                    p.lock();
                    try {
                        complete(p);
                    } finally {
                        p.unlock();
                    }
                }
                MemorySegment.copy(p.memory, in, dst, done, len);
                p.referenced = true;
            } finally {
                p.unref();
            }
            if (p.readaheadMark && ra != null && !nowait) {
                p.readaheadMark = false;
                Readahead.Window next = ra.onMark(idx);
                if (next != null) {
                    readAhead(next, -1);
                }
            }
            done += len;
        }
        if (ra != null) {
            ra.read(pos / PAGE, lastPage);
        }
        return n;
    }

    private static long wouldBlock(long done, long offset) throws FsException {
        if (done > 0) {
            return done;
        }
        throw FsException.atOffset(Errno.EAGAIN, offset, "page not in the cache (non-blocking read)");
    }

    /** Fills the page at {@code idx} and, with readahead, its window. */
    private void fill(long idx, long reqPages, Readahead ra) throws FsException {
        readAhead(ra == null ? new Readahead.Window(idx, 1, -1) : ra.onMiss(idx, reqPages), idx);
    }

    /**
     * Reads the missing pages of {@code w} (up to EOF), runs of adjacent ones with one read of the file's
     * blocks, and marks the page {@code w.mark()}. Only page {@code needed} (the window's first, or -1 for
     * none) may wait for a free slot; the others are read ahead only if one is free at once, else the window
     * stops there: a reader must not wait with the new pages it holds locked, which other readers waiting
     * the same way may need (Linux's readahead does not retry allocations either). Context: invalidate lock
     * shared, no page lock.
     */
    private void readAhead(Readahead.Window w, long needed) throws FsException {
        long endPage = Math.min(w.end(), Math.ceilDiv(file.size(), PAGE));
        List<CachedPage> run = new ArrayList<>();
        try {
            for (long i = w.start(); i < endPage; i++) {
                if (pages.containsKey(i)) {
                    readRun(run);
                    continue;
                }
                CachedPage p = i == needed ? cache.newPage(this, i) : cache.tryNewPage(this, i);
                if (p == null) {
                    break;
                }
                if (pages.putIfAbsent(i, p) != null) {
                    discardNew(p);
                    readRun(run);
                    continue;
                }
                p.readaheadMark = i == w.mark();
                run.add(p);
                if (run.size() == WRITEBACK_RUN) {
                    readRun(run);
                }
            }
            readRun(run);
        } catch (FsException | RuntimeException e) {
            for (CachedPage p : run) {
                pages.remove(p.index, p);
                discardNew(p);
            }
            throw e;
        }
    }

    /** Fills a run of new, locked, adjacent pages with one read, and unlocks them. */
    private void readRun(List<CachedPage> run) throws FsException {
        if (run.isEmpty()) {
            return;
        }
        CachedPage head = run.getFirst();
        if (run.size() == 1) {
            file.readBlocks(head.position(), head.memory);
        } else {
            MemorySegment buf = RUN_BUFFER.get().asSlice(0, (long) run.size() * PAGE);
            file.readBlocks(head.position(), buf);
            for (int k = 0; k < run.size(); k++) {
                MemorySegment.copy(buf, (long) k * PAGE, run.get(k).memory, 0, PAGE);
            }
        }
        for (CachedPage p : run) {
            p.markUpToDate();
            p.unlock();
        }
        run.clear();
    }

    /** Gives back a new page that never became visible (or was taken out again). Context: it is locked. */
    private void discardNew(CachedPage p) {
        p.kill();
        p.unlock();
        cache.free(p);
    }

    /**
     * Reads the invalid parts of a page from the file's blocks. Context: page locked, invalidate lock held.
     */
    private void complete(CachedPage p) throws FsException {
        int a = p.validFrom();
        int b = p.validTo();
        if (p.upToDate()) {
            return;
        }
        if (a == b) {
            file.readBlocks(p.position(), p.memory);
        } else {
            if (a > 0) {
                file.readBlocks(p.position(), p.memory.asSlice(0, a));
            }
            if (b < PAGE) {
                file.readBlocks(p.position() + b, p.memory.asSlice(b));
            }
        }
        p.markUpToDate();
    }

    /**
     * Reads {@code [pos, pos+length)} into the cache ahead of use (readahead(2), POSIX_FADV_WILLNEED), up
     * to EOF and to a quarter of the cache. Context: invalidate lock shared.
     */
    public void readahead(long pos, long length) throws FsException {
        if (pos < 0 || length < 0) {
            throw FsException.atOffset(Errno.EINVAL, pos, "bad readahead range (length " + length + ")");
        }
        long first = pos / PAGE;
        long end = Math.min(Math.ceilDiv(Math.min(pos + length, file.size()), PAGE), first + cache.capacity() / 4);
        for (long i = first; i < end; i += Readahead.MAX_PAGES) {
            readAhead(new Readahead.Window(i, Math.min(Readahead.MAX_PAGES, end - i), -1), -1);
        }
    }

    // ---- write --------------------------------------------------------------------------------------

    /**
     * Copies {@code src} into the pages at {@code pos} and marks them dirty; the file's blocks get it at
     * writeback. The size grows page by page ({@link CachedFile#grownTo}); the times do not change here.
     * Once more than half the cache is dirty the
     * writer first writes back this file's pages. Context: inode lock exclusive, invalidate lock shared,
     * no page lock.
     */
    public void write(long pos, MemorySegment src) throws FsException {
        long len = src.byteSize();
        long done = 0;
        while (done < len) {
            // Checked per page: a write larger than the cache must not fill it with dirty pages, and writers
            // that wait for a free page while holding their inode lock could not be helped by anyone else.
            if (cache.overDirtyLimit()) {
                writeBack();
            }
            long off = pos + done;
            int in = (int) (off % PAGE);
            int n = (int) Math.min(PAGE - in, len - done);
            CachedPage p = lockedPageMakingRoom(off / PAGE);
            try {
                boolean whole = in == 0 && n == PAGE;
                if (!whole && !p.upToDate() && !p.canAdd(in, in + n)) {
                    complete(p);
                }
                MemorySegment.copy(src, done, p.memory, in, n);
                if (whole) {
                    p.markUpToDate();
                } else {
                    p.addValid(in, in + n);
                }
                markDirty(p);
            } finally {
                p.unlock();
                p.unref();
            }
            done += n;
            file.grownTo(pos + done);
        }
    }

    /**
     * The page at {@code idx}, created if missing (nothing valid yet), referenced and locked. Context:
     * invalidate lock held, no page lock.
     */
    private CachedPage lockedPage(long idx) throws FsException {
        while (true) {
            CachedPage p = pages.get(idx);
            if (p == null) {
                CachedPage made = cache.newPage(this, idx);
                CachedPage had = pages.putIfAbsent(idx, made);
                if (had == null) {
                    made.tryRef();
                    return made;
                }
                discardNew(made);
                p = had;
            }
            if (p.tryRef()) {
                p.lock();
                return p;
            }
            pages.remove(idx, p);
        }
    }

    /**
     * As {@link #lockedPage}, for a writer: if the page is missing and no page is free, it first writes this
     * file's dirty pages back, so they can be evicted. Nobody else can while the writer holds the inode
     * lock, and the cache may hold little else that can go (pages shown in mappings stay), so waiting
     * without that could be waiting for itself. Context: inode lock exclusive, invalidate lock shared, no
     * page lock.
     */
    private CachedPage lockedPageMakingRoom(long idx) throws FsException {
        if (!pages.containsKey(idx) && !cache.makeRoom()) {
            writeBack();
        }
        return lockedPage(idx);
    }

    /** Context: page locked. */
    private void markDirty(CachedPage p) {
        p.referenced = true;
        if (!p.dirty) {
            p.dirty = true;
            dirtyCount.incrementAndGet();
            cache.dirtied();
        }
    }

    /** Context: page locked. */
    private void markClean(CachedPage p) {
        if (p.dirty) {
            p.dirty = false;
            dirtyCount.decrementAndGet();
            cache.cleaned(1);
        }
    }

    // ---- mappings ------------------------------------------------------------------------------------

    /**
     * The pool slot of page {@code index}, filled, for a mapping fault to show. The page stays (it cannot
     * be evicted) while the file's mappings or mapping entries exist. Context: invalidate lock shared, the
     * mapping entry of {@code index} locked (a page lock is of the same level), the file's mapping
     * registered before the call.
     */
    public int slotForMapping(long index) throws FsException {
        CachedPage p = lockedPage(index);
        try {
            complete(p);
            p.referenced = true;
            return p.slot;
        } finally {
            p.unlock();
            p.unref();
        }
    }

    /**
     * Pages {@code [from, to)} are about to be mapped writable: they are filled and dirty, and stay dirty
     * while a writable mapping exists (stores through it are not seen). Context: inode lock exclusive,
     * invalidate lock shared.
     */
    public void prepareWritable(long from, long to) throws FsException {
        for (long i = from; i < to; i++) {
            // Not lockedPageMakingRoom: writing back would clean the pages prepared so far, and the mapping
            // that keeps them dirty is not registered yet.
            CachedPage p = lockedPage(i);
            try {
                complete(p);
                markDirty(p);
            } finally {
                p.unlock();
                p.unref();
            }
        }
    }

    // ---- writeback -----------------------------------------------------------------------------------

    /** Writes every dirty page back. Context: as {@link #writeBack(long, long)}. */
    public void writeBack() throws FsException {
        writeBack(0, Long.MAX_VALUE);
    }

    /**
     * Writes the dirty pages of {@code [from, to)} (page indexes) to the file's blocks, adjacent ones in
     * runs of up to {@link #WRITEBACK_RUN} with one call. A page is marked clean only after its run is
     * written, so an evicted page can never be read again from blocks that are older; pages a writable
     * mapping shows stay dirty (stores through it are not seen). Context: inode lock exclusive, invalidate lock held (shared or
     * exclusive), no page lock.
     */
    public void writeBack(long from, long to) throws FsException {
        if (dirtyCount.get() == 0) {
            return;
        }
        long size = file.size();
        List<CachedPage> run = new ArrayList<>();
        for (CachedPage p : pages.subMap(from, to).values()) {
            if (!p.dirty) {
                writeRun(run, size);
                continue;
            }
            if (!run.isEmpty() && (run.getLast().index + 1 != p.index || run.size() == WRITEBACK_RUN)) {
                writeRun(run, size);
            }
            run.add(p);
        }
        writeRun(run, size);
    }

    private void writeRun(List<CachedPage> run, long size) throws FsException {
        if (run.isEmpty()) {
            return;
        }
        for (CachedPage p : run) {
            p.lock();
            try {
                complete(p);
            } finally {
                p.unlock();
            }
        }
        CachedPage head = run.getFirst();
        long len = Math.min((long) run.size() * PAGE, size - head.position());
        if (len > 0) {
            // The pages' bytes cannot change meanwhile: writers are shut out by the inode lock, and stores
            // through a writable mapping leave the page dirty anyway.
            if (run.size() == 1) {
                file.writeBlocks(head.position(), head.memory.asSlice(0, len));
            } else {
                MemorySegment buf = RUN_BUFFER.get();
                for (int k = 0; k < run.size(); k++) {
                    MemorySegment.copy(run.get(k).memory, 0, buf, (long) k * PAGE, PAGE);
                }
                file.writeBlocks(head.position(), buf.asSlice(0, len));
            }
        }
        // Per page: a writable mapping of a few pages must not keep every dirty page of the file dirty (they
        // could then never be evicted). No writable mapping can appear meanwhile: making one needs the inode lock.
        for (CachedPage p : run) {
            if (p.position() < size && !file.writablyMapped(p.index)) { // past the size nothing was written
                p.lock();
                try {
                    markClean(p);
                } finally {
                    p.unlock();
                }
            }
        }
        run.clear();
    }

    /** Keeps a background writeback failure for the next {@link #takeWritebackError}. */
    void recordWritebackError(Throwable e) {
        writebackError = e;
    }

    /**
     * The failure of a background writeback since the last call, as fsync reports it once (Linux's
     * errseq), or null.
     */
    public FsException takeWritebackError() {
        Throwable e = writebackError;
        if (e == null) {
            return null;
        }
        writebackError = null;
        if (e instanceof FsException f) {
            return f;
        }
        return FsException.wrap(Errno.EIO, null, -1, "background writeback failed: " + e, e);
    }

    // ---- taking pages away ---------------------------------------------------------------------------

    /**
     * Before blocks of {@code [fromByte, toByte)} are taken away or moved: writes back what must survive
     * and drops every page of the range. With {@code discardInside} (punch, zero range, truncate) pages
     * wholly inside the range are dropped unwritten, and only the partial pages at its edges are written
     * back first; without it (collapse, insert range: data moves) every dirty page of the range is.
     * Context: inode lock and invalidate lock exclusive (no reader, writer or fault holds a page); every
     * mapping of the range revoked.
     */
    public void remove(long fromByte, long toByte, boolean discardInside) throws FsException {
        if (pages.isEmpty() || fromByte >= toByte) {
            return;
        }
        long from = fromByte / PAGE;
        long to = toByte > Long.MAX_VALUE - PAGE ? Long.MAX_VALUE : Math.ceilDiv(toByte, PAGE);
        if (!discardInside) {
            writeBack(from, to);
        } else {
            if (fromByte % PAGE != 0) {
                writeBack(from, from + 1);
            }
            if (to != Long.MAX_VALUE && toByte % PAGE != 0) {
                writeBack(to - 1, to);
            }
        }
        drop(from, to);
    }

    /**
     * Before a direct (O_DIRECT) write to pages {@code [from, to)}: writes them back and evicts those that
     * can go (not mapped, not in use). Context: inode lock exclusive, invalidate lock shared.
     *
     * @return true if no page of the range is left in the cache
     */
    public boolean evictForDirect(long from, long to) throws FsException {
        writeBack(from, to);
        boolean clear = true;
        for (CachedPage p : pages.subMap(from, to).values()) {
            boolean killed = false;
            if (p.tryLock()) {
                try {
                    killed = p.tryKill();
                } finally {
                    p.unlock();
                }
            }
            if (killed) {
                forget(p);
                cache.free(p);
            } else if (!p.isDead()) {
                clear = false;
            }
        }
        return clear;
    }

    /** Writes back and drops every page (a switch to DAX). Context: as {@link #remove}. */
    public void dropAll() throws FsException {
        writeBack();
        drop(0, Long.MAX_VALUE);
    }

    /** Drops every page unwritten (the file is freed). Context: as {@link #remove}. */
    public void discardAll() {
        drop(0, Long.MAX_VALUE);
        cache.closed(this);
    }

    private void drop(long from, long to) {
        for (CachedPage p : pages.subMap(from, to).values()) {
            boolean mine;
            p.lock();
            try {
                mine = !p.isDead();
                if (mine) {
                    markClean(p);
                    p.kill();
                }
            } finally {
                p.unlock();
            }
            pages.remove(p.index, p);
            if (mine) {
                cache.free(p);
            }
        }
    }

    /** Takes an evicted page out of the index. */
    void forget(CachedPage p) {
        pages.remove(p.index, p);
    }

    @Override
    public String toString() {
        return pages.size() + " cached pages (" + dirtyCount.get() + " dirty) of " + file.describe();
    }
}
