package org.daxfs.stress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.daxfs.Errno;

/**
 * What one file must hold, kept in memory: its bytes (sparse, in 4 KiB pages, so a file with data at 16
 * TiB costs a few pages), its size, the blocks it has allocated, its DAX flag, whether its handle was
 * opened with APPEND, and the one read-only mapping the checker may keep across operations (whether it is
 * still live or a range operation revoked it). Every change follows Linux (ext4/XFS) semantics, errors
 * included, since that is what DaxFS promises; each method returns the {@link Outcome} the real call must
 * give.
 *
 * <p>Not thread safe: each model belongs to the one thread that drives its file.
 */
final class FileModel {
    static final int BLOCK = 4096;
    /**
     * The largest file size: the extent tree addresses 2^32-1 blocks. Written out here, not borrowed from
     * the engine, so the checker states the limit independently of the code it checks.
     */
    static final long MAX_FILE_SIZE = 0xFFFFFFFFL * BLOCK;

    final int fileId;
    final String path;
    /** What every handle's model of the file shares; also the lock of the model where threads share it. */
    private final Content c;
    /** Page index -> 4 KiB of content; a missing page reads as zeros. No content lies at or past the size. */
    private final TreeMap<Long, byte[]> pages;
    private final BlockSet allocated;
    private boolean append;
    private boolean handleWritable = true;
    /** The held mapping: none, live, or revoked (its next access throws). */
    private Held held = Held.NONE;
    private long heldOffset;
    private long heldLength;

    private enum Held { NONE, LIVE, REVOKED }

    /**
     * The file itself, as all handles see it: contents, size, allocation and DAX flag; the handles'
     * models, whose held mappings range operations revoke; and how the mount decides which files are DAX.
     */
    private static final class Content {
        final TreeMap<Long, byte[]> pages = new TreeMap<>();
        final BlockSet allocated = new BlockSet();
        final List<FileModel> handles = new ArrayList<>();
        final DaxPolicy policy;
        long size;
        boolean dax;
        /** Another thread flips the DAX flag at any moment (flip mode): the mode is unknown. */
        boolean flipping;

        Content(boolean dax, DaxPolicy policy) {
            this.dax = dax;
            this.policy = policy;
        }
    }

    /** A file without the DAX flag, on a direct-access device mounted {@code dax=inode}. */
    FileModel(int fileId, String path) {
        this(fileId, path, false, DaxPolicy.DEFAULT);
    }

    /**
     * A new, empty file whose DAX flag starts as {@code dax} (its directory's, as DaxFS gives new files),
     * on a mount whose {@code policy} decides when that makes it DAX.
     */
    FileModel(int fileId, String path, boolean dax, DaxPolicy policy) {
        this(fileId, path, new Content(dax, policy));
    }

    private FileModel(int fileId, String path, Content c) {
        this.fileId = fileId;
        this.path = path;
        this.c = c;
        this.pages = c.pages;
        this.allocated = c.allocated;
        c.handles.add(this);
    }

    /**
     * The model of another handle of the same file (flip mode's workers each have one): contents, size,
     * allocation and flag are shared, APPEND and the held mapping are the handle's own.
     */
    FileModel anotherHandle() {
        return new FileModel(fileId, path, c);
    }

    /**
     * What threads sharing the file through {@link #anotherHandle} synchronise on around every use of
     * their models: their operations touch disjoint bytes, but the pages, allocation and held mappings are
     * kept in shared structures.
     */
    Object lock() {
        return c;
    }

    long size() {
        return c.size;
    }

    /** The file's DAX flag. */
    boolean dax() {
        return c.dax;
    }

    /** Whether the file is DAX now (not cached), as the mount's policy makes of its flag. */
    boolean daxActive() {
        return c.policy.active(c.dax);
    }

    /**
     * Declares that another thread flips the DAX flag from now on ({@code true}, flip mode): the model no
     * longer knows the flag or the mode, so mappings may be revoked at any moment and a sync mapping may
     * or may not be refused. With {@code false} the flipping is over and the flag is {@code finalFlag}.
     */
    void flipping(boolean on, boolean finalFlag) {
        c.flipping = on;
        if (!on) {
            c.dax = finalFlag;
        }
    }

    /** Whether another thread flips the DAX flag (see {@link #flipping}). */
    boolean modeUnknown() {
        return c.flipping;
    }

    /** Whether the handle is open with APPEND, so every write lands at the end of file. */
    boolean appending() {
        return append;
    }

    /** The blocks the file has allocated: written data and preallocated space, inside EOF or past it. */
    BlockSet allocated() {
        return allocated;
    }

    // ---- the operations, as pread/pwrite/ftruncate/fallocate do them ---------------------------------

    /** pread: -1 (end of file) at or past EOF, the bytes up to EOF otherwise. */
    Outcome read(long pos, int length) {
        if (pos < 0) {
            return Outcome.failed(Errno.EINVAL);
        }
        if (length == 0) {
            return Outcome.read(0, new byte[0]);
        }
        if (pos >= c.size) {
            return Outcome.read(-1, new byte[0]);
        }
        int n = (int) Math.min(length, c.size - pos);
        return Outcome.read(n, bytes(pos, n));
    }

    /** Where a write at {@code pos} lands: there, or at the end of file when appending. */
    long landing(long pos, boolean atEnd) {
        return atEnd || append ? c.size : pos;
    }

    /**
     * pwrite (or with {@code atEnd}, a write at the end of file). Like Linux: a negative offset is EINVAL
     * even when appending; nothing happens for no bytes; at or past the size limit EFBIG; a write that
     * crosses the limit is cut short there.
     *
     * @param data the bytes, meant for {@link #landing} (the caller makes them for where they land)
     */
    Outcome write(long pos, byte[] data, boolean atEnd) {
        if (!atEnd && pos < 0) {
            return Outcome.failed(Errno.EINVAL);
        }
        if (data.length == 0) {
            return Outcome.ok(0);
        }
        long at = landing(pos, atEnd);
        if (at >= MAX_FILE_SIZE) {
            return Outcome.failed(Errno.EFBIG);
        }
        int n = (int) Math.min(data.length, MAX_FILE_SIZE - at);
        put(at, data, n);
        c.size = Math.max(c.size, at + n);
        allocated.add(at / BLOCK, Math.ceilDiv(at + n, BLOCK));
        return Outcome.ok(n);
    }

    /**
     * ftruncate. Shrinking drops the data past the new size; shrinking or keeping the size also gives back
     * every block past it (preallocated space included), as ext4 and XFS do; growing keeps blocks
     * preallocated past the old end.
     */
    Outcome truncate(long newSize) {
        if (newSize < 0) {
            return Outcome.failed(Errno.EINVAL);
        }
        if (newSize > MAX_FILE_SIZE) {
            return Outcome.failed(Errno.EFBIG);
        }
        // Growing too: DaxFS revokes mappings of every page from the new size on, whatever the old one.
        revoke(newSize, Long.MAX_VALUE);
        if (newSize <= c.size) {
            dropFrom(newSize);
            allocated.removeFrom(Math.ceilDiv(newSize, BLOCK));
        }
        c.size = newSize;
        return Outcome.ok();
    }

    /**
     * fallocate mode 0 ({@code keepSize} false) or FALLOC_FL_KEEP_SIZE: allocates every block the range
     * touches (they read as zeros where nothing was written); mode 0 also extends the size.
     */
    Outcome allocate(long offset, long length, boolean keepSize) {
        if (offset < 0 || length <= 0) {
            return Outcome.failed(Errno.EINVAL);
        }
        long end = offset + length;
        if (end > MAX_FILE_SIZE || end < 0) {
            return Outcome.failed(Errno.EFBIG);
        }
        allocated.add(offset / BLOCK, Math.ceilDiv(end, BLOCK));
        if (!keepSize && end > c.size) {
            c.size = end;
        }
        return Outcome.ok();
    }

    /** The checks every fallocate mode shares, in Linux's order (vfs_fallocate): EINVAL, then EFBIG. */
    private static Errno rangeError(long offset, long length) {
        if (offset < 0 || length <= 0) {
            return Errno.EINVAL;
        }
        long end = offset + length;
        return end > MAX_FILE_SIZE || end < 0 ? Errno.EFBIG : null;
    }

    private static boolean aligned(long offset, long length) {
        return offset % BLOCK == 0 && length % BLOCK == 0;
    }

    /**
     * FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, as ext4 does it: nothing at or past EOF; a range past EOF
     * stops at the end of the block holding EOF; the range reads zeros and its whole blocks are freed.
     */
    Outcome punchHole(long offset, long length) {
        Errno bad = rangeError(offset, length);
        if (bad != null) {
            return Outcome.failed(bad);
        }
        // The whole range is revoked, even at or past EOF where nothing else happens.
        revoke(offset, offset + length);
        if (offset >= c.size) {
            return Outcome.ok();
        }
        long end = Math.min(offset + length, Math.ceilDiv(c.size, BLOCK) * BLOCK);
        zero(offset, end);
        allocated.remove(Math.ceilDiv(offset, BLOCK), end / BLOCK);
        return Outcome.ok();
    }

    /**
     * FALLOC_FL_ZERO_RANGE (with KEEP_SIZE if {@code keepSize}): the range reads zeros and every block it
     * touches is allocated; without keepSize the size grows to its end.
     */
    Outcome zeroRange(long offset, long length, boolean keepSize) {
        Errno bad = rangeError(offset, length);
        if (bad != null) {
            return Outcome.failed(bad);
        }
        long end = offset + length;
        revoke(offset, end);
        zero(offset, end);
        allocated.add(offset / BLOCK, Math.ceilDiv(end, BLOCK));
        if (!keepSize && end > c.size) {
            c.size = end;
        }
        return Outcome.ok();
    }

    /**
     * FALLOC_FL_COLLAPSE_RANGE: EINVAL unless block aligned and ending before EOF; removes the range and
     * moves everything after it (preallocated blocks included) down.
     */
    Outcome collapseRange(long offset, long length) {
        Errno bad = rangeError(offset, length);
        if (bad != null) {
            return Outcome.failed(bad);
        }
        if (!aligned(offset, length) || offset + length >= c.size) {
            return Outcome.failed(Errno.EINVAL);
        }
        revoke(offset, Long.MAX_VALUE);
        long from = offset / BLOCK;
        long blocks = length / BLOCK;
        pages.subMap(from, from + blocks).clear();
        shiftPages(from + blocks, -blocks);
        allocated.remove(from, from + blocks);
        allocated.shift(from + blocks, -blocks);
        c.size -= length;
        return Outcome.ok();
    }

    /**
     * FALLOC_FL_INSERT_RANGE: EINVAL unless block aligned; EFBIG if the size would pass the limit (checked
     * before the offset, as ext4 does); EINVAL if offset is at or past EOF; EFBIG too if blocks
     * preallocated past EOF would move past the limit (DaxFS's rule: ext4 has none). Moves everything at
     * or after offset up, leaving a hole.
     */
    Outcome insertRange(long offset, long length) {
        Errno bad = rangeError(offset, length);
        if (bad != null) {
            return Outcome.failed(bad);
        }
        if (!aligned(offset, length)) {
            return Outcome.failed(Errno.EINVAL);
        }
        if (length > MAX_FILE_SIZE - c.size) {
            return Outcome.failed(Errno.EFBIG);
        }
        if (offset >= c.size) {
            return Outcome.failed(Errno.EINVAL);
        }
        // DaxFS checks the preallocation below after revoking, so a refused insert revokes too.
        revoke(offset, Long.MAX_VALUE);
        long from = offset / BLOCK;
        long blocks = length / BLOCK;
        if (allocated.end() > from && allocated.end() + blocks > MAX_FILE_SIZE / BLOCK) {
            return Outcome.failed(Errno.EFBIG);
        }
        shiftPages(from, blocks);
        allocated.shift(from, blocks);
        c.size += length;
        return Outcome.ok();
    }

    /**
     * Sets the per-file DAX flag; contents never change with it. If that switches the file between DAX and
     * the page cache, DaxFS revokes every mapping of it first (mappings of the old mode show memory the new
     * one no longer uses).
     */
    Outcome setDax(boolean on) {
        if (c.policy.active(on) != daxActive()) {
            revoke(0, Long.MAX_VALUE);
        }
        c.dax = on;
        return Outcome.ok(on ? 1 : 0);
    }

    /** Closes the handle and opens a new one; O_TRUNC truncates to 0 as ftruncate(0) does. */
    Outcome reopen(boolean withAppend, boolean withTruncate) {
        append = withAppend;
        return withTruncate ? truncate(0) : Outcome.ok();
    }

    // ---- mappings, as FileHandle.map and msync do them ----------------------------------------------

    /** The handle is open for reading only, as the readers' handles of the shared file are: writable mappings get EACCES. */
    void handleReadOnly() {
        handleWritable = false;
    }

    /**
     * mmap's checks, in DaxFS's order: EACCES if the handle's access does not allow the mapping; EOPNOTSUPP
     * for a sync mapping (MAP_SYNC) of a file that is not DAX ({@code dax} false), as Linux refuses it;
     * EINVAL for a negative offset, a length of 0 or less or an end past Long.MAX_VALUE; ENXIO if the range
     * reaches past EOF (a mapping never extends the file). Null if it may be made. Every file can be mapped
     * otherwise: those that are not DAX through their cached pages, on any device.
     */
    private Errno mapError(long offset, long length, boolean writable, boolean sync, boolean dax) {
        if (writable && !handleWritable) {
            return Errno.EACCES;
        }
        if (sync && !dax) {
            return Errno.EOPNOTSUPP;
        }
        if (offset < 0 || length <= 0 || offset + length < 0) {
            return Errno.EINVAL;
        }
        if (offset + length > c.size) {
            return Errno.ENXIO;
        }
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the checker maps at most 2 GiB at once, not " + length);
        }
        return null;
    }

    /** A read-only mapping of the range, copied out and unmapped: its bytes, zeros in holes; allocates nothing. */
    Outcome mapRead(long offset, long length) {
        Errno bad = mapError(offset, length, false, false, true);
        if (bad != null) {
            return Outcome.failed(bad);
        }
        return Outcome.read(length, bytes(offset, (int) length));
    }

    /** {@link #mapWrite(long, long, long, byte[], boolean, boolean)} in the file's mode now. */
    Outcome mapWrite(long offset, long length, long at, byte[] data, boolean sync) {
        return mapWrite(offset, length, at, data, sync, daxActive());
    }

    /**
     * A writable mapping of {@code [offset, offset+length)} (with {@code sync}, READ_WRITE_SYNC) with
     * {@code data} stored through it at file offset {@code at} (inside the range), then unmapped: mapping
     * allocates every block of the pages the range touches first (holes and preallocated blocks are
     * zeroed), so whole blocks become allocated even where the range covers a few bytes of them; the size
     * never changes.
     *
     * @param dax whether the file is DAX when it is mapped (only sync mappings care)
     * @return the number of bytes stored, or the mapping's error (nothing changes then)
     */
    Outcome mapWrite(long offset, long length, long at, byte[] data, boolean sync, boolean dax) {
        Errno bad = mapError(offset, length, true, sync, dax);
        if (bad != null) {
            return Outcome.failed(bad);
        }
        if (at < offset || at + data.length > offset + length) {
            throw new IllegalArgumentException("stores at " + Ranges.of(at, data.length) + " outside the mapping "
                    + Ranges.of(offset, length));
        }
        allocated.add(offset / BLOCK, Math.ceilDiv(offset + length, BLOCK));
        put(at, data, data.length);
        return Outcome.ok(data.length);
    }

    /**
     * Stores {@code data} at {@code at} as they are, for stores through a mapping whose outcome the checker
     * learnt from the file (a mapping revoked in the middle of the stores, in flip mode).
     */
    void stored(long at, byte[] data) {
        put(at, data, data.length);
    }

    /**
     * Replaces the held mapping (unmapping the one held before, if any) by a read-only mapping of the range.
     *
     * @return its bytes now, or the mapping's error (nothing is held then)
     */
    Outcome hold(long offset, long length) {
        held = Held.NONE;
        Outcome o = mapRead(offset, length);
        if (o.succeeded()) {
            held = Held.LIVE;
            heldOffset = offset;
            heldLength = length;
        }
        return o;
    }

    /** Whether a mapping is held, live or revoked (the checker has not touched it since it was revoked). */
    boolean holding() {
        return held != Held.NONE;
    }

    long heldOffset() {
        return heldOffset;
    }

    long heldLength() {
        return heldLength;
    }

    /**
     * The held mapping turned out revoked where the model could not know it would be (a DAX flag flipped by
     * another thread, in flip mode): the checker drops it.
     */
    void heldRevokedElsewhere() {
        held = Held.NONE;
    }

    /**
     * Reads {@code n} bytes at {@code at} into the held mapping: the file's bytes now (writes through the
     * handle or through other mappings show up in it, holes filled since included), or, if a range
     * operation or a switch of the file's mode revoked it, {@link Outcome#revoked()}, after which the
     * checker drops it.
     */
    Outcome readHeld(long at, int n) {
        if (held == Held.NONE || at < 0 || n <= 0 || at + n > heldLength) {
            throw new IllegalArgumentException("no held mapping of " + Ranges.of(at, n) + " (holding " + held + " "
                    + Ranges.of(heldOffset, heldLength) + ")");
        }
        if (held == Held.REVOKED) {
            held = Held.NONE;
            return Outcome.revoked();
        }
        return Outcome.read(n, bytes(heldOffset + at, n));
    }

    /** Unmounting revokes every mapping. */
    Outcome unmounted() {
        revoke(0, Long.MAX_VALUE);
        return Outcome.ok();
    }

    /**
     * What DaxFS does before a range operation takes blocks of {@code [fromByte, toByte)} away or moves
     * them ({@code toByte} Long.MAX_VALUE: to the end): it revokes every mapping of a page overlapping the
     * range, in whole 4 KiB pages (a few bytes of a page revoke the mappings of all of it), even where no
     * block goes. Mappings through every handle of the file.
     */
    private void revoke(long fromByte, long toByte) {
        long from = fromByte / BLOCK;
        long to = toByte >= Long.MAX_VALUE - BLOCK ? Long.MAX_VALUE / BLOCK : Math.ceilDiv(toByte, BLOCK);
        for (FileModel h : c.handles) {
            if (h.held == Held.LIVE && h.heldOffset / BLOCK < to && from < Math.ceilDiv(h.heldOffset + h.heldLength, BLOCK)) {
                h.held = Held.REVOKED;
            }
        }
    }

    // ---- contents ------------------------------------------------------------------------------------

    /** The {@code n} bytes at {@code pos} (zeros where nothing was written), ignoring the size. */
    byte[] bytes(long pos, int n) {
        byte[] out = new byte[n];
        long end = pos + n;
        for (Map.Entry<Long, byte[]> e : pages.subMap(pos / BLOCK, true, (end - 1) / BLOCK, true).entrySet()) {
            long pageStart = e.getKey() * BLOCK;
            long from = Math.max(pos, pageStart);
            long to = Math.min(end, pageStart + BLOCK);
            System.arraycopy(e.getValue(), (int) (from - pageStart), out, (int) (from - pos), (int) (to - from));
        }
        return out;
    }

    /** The file ranges {@code {start, end}} that hold pages of content (they may contain zeros too). */
    List<long[]> contentRanges() {
        List<long[]> out = new ArrayList<>();
        for (long page : pages.keySet()) {
            long s = page * BLOCK;
            if (!out.isEmpty() && out.getLast()[1] == s) {
                out.getLast()[1] = s + BLOCK;
            } else {
                out.add(new long[] {s, s + BLOCK});
            }
        }
        return out;
    }

    private void put(long at, byte[] data, int n) {
        int done = 0;
        while (done < n) {
            long off = at + done;
            byte[] page = pages.computeIfAbsent(off / BLOCK, k -> new byte[BLOCK]);
            int inPage = (int) (off % BLOCK);
            int len = Math.min(n - done, BLOCK - inPage);
            System.arraycopy(data, done, page, inPage, len);
            done += len;
        }
    }

    /** Zeros the content of {@code [from, to)}: whole pages go, partial ones are cleared in part. */
    private void zero(long from, long to) {
        for (long page : new ArrayList<>(pages.subMap(from / BLOCK, true, (to - 1) / BLOCK, true).keySet())) {
            long s = Math.max(from, page * BLOCK);
            long e = Math.min(to, (page + 1) * BLOCK);
            if (e - s == BLOCK) {
                pages.remove(page);
            } else {
                Arrays.fill(pages.get(page), (int) (s - page * BLOCK), (int) (e - page * BLOCK), (byte) 0);
            }
        }
    }

    /** Moves every page at or after {@code from} by {@code delta} pages. */
    private void shiftPages(long from, long delta) {
        TreeMap<Long, byte[]> moved = new TreeMap<>(pages.tailMap(from, true));
        pages.tailMap(from, true).clear();
        moved.forEach((page, bytes) -> pages.put(page + delta, bytes));
    }

    /** Forgets the content at and past {@code from}: the rest of its page becomes zeros, later pages go. */
    private void dropFrom(long from) {
        long first = Math.ceilDiv(from, BLOCK);
        pages.tailMap(first, true).clear();
        if (from % BLOCK != 0) {
            byte[] page = pages.get(from / BLOCK);
            if (page != null) {
                Arrays.fill(page, (int) (from % BLOCK), BLOCK, (byte) 0);
            }
        }
    }
}
