package org.daxfs.crash;

import java.util.HashMap;
import java.util.Map;

/**
 * What must hold after a crash at any moment of a run: the namespace before and after the call in
 * progress, and each file's {@link FileModel}. The workload brackets every call with {@link #begin} and
 * {@link #end}; a crash between calls sees {@code before == after}.
 *
 * <p>Context: single-threaded; read by the persist hook while the call is stopped inside the engine.
 */
final class CrashModel {
    final WriteLog writes = new WriteLog();
    /** Every file and directory ever created, by model id. */
    final Map<Integer, FileModel> files = new HashMap<>();
    final Map<Integer, Long> dirInos = new HashMap<>();
    private int nextId = 1;

    Namespace before = Namespace.EMPTY;
    Namespace after = Namespace.EMPTY;
    /** Index of the call in progress (or of the last one, between calls). */
    int op;
    /** The call in progress, null between calls. */
    String current;
    /** The last call that completed, for messages. */
    String last = "(none)";

    int newId() {
        return nextId++;
    }

    /** Starts call number {@code ++op}: after it, the namespace will be {@code next}. */
    void begin(String what, Namespace next) {
        op++;
        current = what;
        after = next;
    }

    void end() {
        before = after;
        last = current;
        current = null;
    }

    long inoOf(int id) {
        FileModel f = files.get(id);
        if (f != null) {
            return f.ino;
        }
        Long d = dirInos.get(id);
        return d == null ? -1 : d;
    }

    /** For messages: which call a crash interrupted. */
    String where() {
        return current != null ? "during op " + op + " (" + current + ")" : "after op " + op + " (" + last + ")";
    }
}
