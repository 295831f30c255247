package org.daxfs.stress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.daxfs.Errno;

/**
 * What one file must hold, kept in memory: its bytes (sparse, in 4 KiB pages, so a file with data at 16
 * TiB costs a few pages), its size, the blocks it has allocated, its DAX flag, and whether its handle was
 * opened with APPEND. Every change follows Linux (ext4/XFS) semantics, errors included, since that is what
 * DaxFS promises; each method returns the {@link Outcome} the real call must give.
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
    /** Page index -> 4 KiB of content; a missing page reads as zeros. No content lies at or past {@link #size}. */
    private final TreeMap<Long, byte[]> pages = new TreeMap<>();
    private final BlockSet allocated = new BlockSet();
    private long size;
    private boolean dax;
    private boolean append;

    FileModel(int fileId, String path) {
        this.fileId = fileId;
        this.path = path;
    }

    long size() {
        return size;
    }

    boolean dax() {
        return dax;
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
        if (pos >= size) {
            return Outcome.read(-1, new byte[0]);
        }
        int n = (int) Math.min(length, size - pos);
        return Outcome.read(n, bytes(pos, n));
    }

    /** Where a write at {@code pos} lands: there, or at the end of file when appending. */
    long landing(long pos, boolean atEnd) {
        return atEnd || append ? size : pos;
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
        size = Math.max(size, at + n);
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
        if (newSize <= size) {
            dropFrom(newSize);
            allocated.removeFrom(Math.ceilDiv(newSize, BLOCK));
        }
        size = newSize;
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
        if (!keepSize && end > size) {
            size = end;
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
        if (offset >= size) {
            return Outcome.ok();
        }
        long end = Math.min(offset + length, Math.ceilDiv(size, BLOCK) * BLOCK);
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
        zero(offset, end);
        allocated.add(offset / BLOCK, Math.ceilDiv(end, BLOCK));
        if (!keepSize && end > size) {
            size = end;
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
        if (!aligned(offset, length) || offset + length >= size) {
            return Outcome.failed(Errno.EINVAL);
        }
        long from = offset / BLOCK;
        long blocks = length / BLOCK;
        pages.subMap(from, from + blocks).clear();
        shiftPages(from + blocks, -blocks);
        allocated.remove(from, from + blocks);
        allocated.shift(from + blocks, -blocks);
        size -= length;
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
        if (length > MAX_FILE_SIZE - size) {
            return Outcome.failed(Errno.EFBIG);
        }
        if (offset >= size) {
            return Outcome.failed(Errno.EINVAL);
        }
        long from = offset / BLOCK;
        long blocks = length / BLOCK;
        if (allocated.end() > from && allocated.end() + blocks > MAX_FILE_SIZE / BLOCK) {
            return Outcome.failed(Errno.EFBIG);
        }
        shiftPages(from, blocks);
        allocated.shift(from, blocks);
        size += length;
        return Outcome.ok();
    }

    /** Sets the per-file DAX flag; contents never change with it. */
    Outcome setDax(boolean on) {
        dax = on;
        return Outcome.ok(on ? 1 : 0);
    }

    /** Closes the handle and opens a new one; O_TRUNC truncates to 0 as ftruncate(0) does. */
    Outcome reopen(boolean withAppend, boolean withTruncate) {
        append = withAppend;
        return withTruncate ? truncate(0) : Outcome.ok();
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
