package org.daxfs.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a crash may leave of one file's data and size. The rule (documented here once, used by every test):
 *
 * <h2>Base and events</h2>
 * The <em>base</em> is the file's content at its last <em>sync point</em>: creation (empty), the return of
 * fsync/fdatasync, or a clean unmount. At a sync point every byte and the size are durable. After it the
 * model keeps the <em>events</em> that touched the data, in order: writes (generation, offset, length) and
 * truncates (new size); an event is recorded when its call begins, so a call in progress counts.
 *
 * <h2>Bytes</h2>
 * After a crash, the byte at offset {@code o} must be in the set computed by walking the events from the
 * base: start with {@code {base[o]}} ({@code {0}} past the base's end); a write covering {@code o} adds its
 * byte (an overwrite of an existing block is durable only after fsync, so the old byte stays possible, and
 * a write in progress may have landed in part); a truncate to {@code s <= o} that returned resets the set
 * to {@code {0}} (it was journaled and the tail of its last block zeroed and flushed first, so nothing
 * written before it can come back); one still in progress adds 0. Consequences:
 * <ul>
 * <li>fsynced and not modified since: the set is exactly the fsynced byte — the content must be exact;
 * <li>fsynced, then modified: a byte is the fsynced byte or one written since (or 0 after a truncate) —
 *     never the pre-fsync history, never another file's bytes;
 * <li>always: a byte is 0 or one this file had at that offset: blocks newly allocated to a file never show
 *     stale data (ordered data), preallocated extents read as zeros.
 * </ul>
 *
 * <h2>Size</h2>
 * Sizes are durable at creation, fsync, clean unmount, truncate and extending preallocation (journaled,
 * synchronous). Other size changes (writes past EOF) live in memory until some later transaction writes the
 * inode. So the size after a crash must be one the file had since its last size sync point: the model keeps
 * that window as a list of intervals ({@link #sizeWindow}); a write in progress may leave any size between
 * the old size and its end (it commits chunk by chunk).
 *
 * <p>Context: single-threaded; the workload updates it around each call, the checker reads it from the
 * persist hook while that call is stopped inside the engine.
 */
final class FileModel {
    /** A change to the data since the base. */
    sealed interface Event permits Write, Truncate {
    }

    /** Write generation {@code gen} of {@code [off, off+len)}. */
    record Write(long gen, long off, int len, int op) implements Event {
    }

    /** Truncate to {@code size}; {@code done} once the call returned. */
    static final class Truncate implements Event {
        final long size;
        final int op;
        boolean done;

        Truncate(long size, int op) {
            this.size = size;
            this.op = op;
        }
    }

    final int id;
    /** Inode number, -1 until the create call returned. */
    long ino = -1;
    /** The content as the running file system has it now (its in-memory state, exact). */
    byte[] content = new byte[0];
    /** Content at the last sync point. */
    byte[] base = new byte[0];
    /** Why the base is what it is, for messages ("created by op 3", "fsync op 17"). */
    String baseWhy;
    /** Op index of the last sync point. */
    int baseOp;
    final List<Event> events = new ArrayList<>();
    /** Sizes a crash may leave: closed intervals {lo, hi}. */
    final List<long[]> sizeWindow = new ArrayList<>();

    FileModel(int id, int op) {
        this.id = id;
        this.baseWhy = "created by op " + op;
        this.baseOp = op;
        sizeWindow.add(new long[] {0, 0});
    }

    long size() {
        return content.length;
    }

    /** fsync / fdatasync / clean unmount returned: everything is durable. */
    void synced(String why, int op) {
        base = content.clone();
        baseWhy = why;
        baseOp = op;
        events.clear();
        sizeSynced();
    }

    /** A journaled size change returned: the size is durable. */
    void sizeSynced() {
        sizeWindow.clear();
        sizeWindow.add(new long[] {size(), size()});
    }

    void allowSizes(long lo, long hi) {
        sizeWindow.add(new long[] {Math.min(lo, hi), Math.max(lo, hi)});
    }

    boolean sizeAllowed(long s) {
        for (long[] r : sizeWindow) {
            if (s >= r[0] && s <= r[1]) {
                return true;
            }
        }
        return false;
    }

    String describeSizeWindow() {
        StringBuilder sb = new StringBuilder("{");
        for (long[] r : sizeWindow) {
            sb.append(sb.length() > 1 ? ", " : "").append(r[0] == r[1] ? "" + r[0] : r[0] + ".." + r[1]);
        }
        return sb.append('}').toString();
    }

    /** Applies a write to {@link #content} (the running file system's state). */
    void applyWrite(long off, byte[] bytes) {
        long end = off + bytes.length;
        if (end > content.length) {
            content = Arrays.copyOf(content, (int) end);
        }
        System.arraycopy(bytes, 0, content, (int) off, bytes.length);
    }

    void applyTruncate(long size) {
        content = Arrays.copyOf(content, (int) size);
    }

    /** True when a crash must leave exactly the base (synced and nothing changed since). */
    boolean exact() {
        return events.isEmpty();
    }

    /**
     * Checks recovered content against the rule above.
     *
     * @return null if allowed, else a description of the first offending byte
     */
    String checkContent(byte[] r, WriteLog log) {
        if (!sizeAllowed(r.length)) {
            return "size " + r.length + " is not one the file had since its last size sync point; allowed "
                    + describeSizeWindow() + " (base: " + baseWhy + ", size " + base.length + "; now " + size() + ")";
        }
        int n = r.length;
        boolean[] ok = new boolean[n];
        for (int o = 0; o < n; o++) {
            ok[o] = r[o] == (o < base.length ? base[o] : 0);
        }
        for (Event e : events) {
            if (e instanceof Write w) {
                int end = (int) Math.min(n, w.off + w.len);
                for (int o = (int) Math.min(n, w.off); o < end; o++) {
                    ok[o] |= r[o] == CrashTesting.val(w.gen, o);
                }
            } else if (e instanceof Truncate t) {
                for (int o = (int) Math.min(n, t.size); o < n; o++) {
                    ok[o] = t.done ? r[o] == 0 : ok[o] || r[o] == 0;
                }
            }
        }
        for (int o = 0; o < n; o++) {
            if (!ok[o]) {
                return describeBadByte(r, o, ok, log);
            }
        }
        return null;
    }

    private String describeBadByte(byte[] r, int o, boolean[] ok, WriteLog log) {
        int window = Math.min(r.length, o + CrashTesting.BLOCK) - o;
        int unexplained = 0;
        for (int i = o; i < o + window; i++) {
            unexplained += ok[i] ? 0 : 1;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(exact() ? "fsynced content lost (" + baseWhy + ", no change since): "
                : "byte not explained by the base (" + baseWhy + ") nor any write since: ");
        sb.append("offset ").append(o).append(" holds 0x").append(String.format("%02x", r[o] & 0xff));
        sb.append(", expected ").append(o < base.length ? String.format("0x%02x", base[o] & 0xff) : "0");
        List<String> since = new ArrayList<>();
        for (Event e : events) {
            if (e instanceof Write w && o >= w.off && o < w.off + w.len) {
                since.add(String.format("0x%02x (gen %d, op %d)", CrashTesting.val(w.gen, o) & 0xff, w.gen, w.op));
            } else if (e instanceof Truncate t && o >= t.size) {
                since.add("0 (truncate to " + t.size + " by op " + t.op + (t.done ? "" : ", in progress") + ")");
            }
        }
        if (!since.isEmpty()) {
            sb.append(" or one of ").append(since);
        }
        sb.append("; bytes there: ").append(CrashTesting.hex(r, o, 32));
        sb.append("; they look like: ").append(log.attribute(r, o, id));
        sb.append("; ").append(unexplained).append(" of the ").append(window).append(" bytes from there are unexplained; file size ")
                .append(r.length);
        return sb.toString();
    }
}
