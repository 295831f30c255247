package org.daxfs.stress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.daxfs.FsException;
import org.daxfs.fs.MapMode;

/**
 * The one read-only mapping a thread keeps across operations, of its own file ({@link MapReadOp}) or of
 * the shared file of disrupt mode ({@link SharedReadOp}), so that range operations find mappings to revoke
 * and writes find mappings whose holes they must fill. It lives in an arena of its own, closed when the
 * mapping is replaced or dropped; once revoked, any access throws IllegalStateException.
 *
 * <p>Used by the one thread that made it (the arena is confined to it).
 */
final class HeldMapping implements AutoCloseable {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Arena arena;
    private MemorySegment segment;
    private long offset;

    /**
     * Unmaps what is held, then maps {@code [offset, offset+length)} of {@code file} read-only and holds it.
     * If mapping fails nothing is held.
     */
    void replace(TestedFile file, long offset, long length) throws FsException {
        close();
        Arena a = Arena.ofConfined();
        try {
            segment = file.map(MapMode.READ_ONLY, offset, length, a);
        } catch (FsException | RuntimeException e) {
            a.close();
            throw e;
        }
        arena = a;
        this.offset = offset;
    }

    boolean isHeld() {
        return segment != null;
    }

    /** File offset of the first byte held. */
    long offset() {
        return offset;
    }

    /** Bytes held (0 if none). */
    long length() {
        return segment == null ? 0 : segment.byteSize();
    }

    /**
     * Copies {@code n} bytes at {@code at} (relative to the start of the mapping) out of it.
     *
     * @throws IllegalStateException if the mapping was revoked
     */
    byte[] read(long at, int n) {
        requireHeld();
        return segment.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Reads whole words, each with one 8-byte load (never torn by a concurrent write of the word), into
     * {@code dst} from its start, little-endian as {@link Pattern} has them, until {@code dst} is full or
     * the mapping turns out revoked.
     *
     * @return the bytes read: {@code dst.length}, or fewer if the mapping was revoked meanwhile (the bytes
     *     read before that are still the file's)
     */
    int readWords(long at, byte[] dst) {
        requireHeld();
        int i = 0;
        try {
            for (; i + 8 <= dst.length; i += 8) {
                long w = segment.get(WORD, at + i);
                for (int k = 0; k < 8; k++) {
                    dst[i + k] = (byte) (w >>> (8 * k));
                }
            }
        } catch (IllegalStateException revoked) {
            forgetInterrupt();
            return i;
        }
        return i;
    }

    /**
     * After an access through a mapping threw IllegalStateException (the mapping was revoked): clears the
     * interrupt the JVM may have left. A shared arena closed while this thread was inside an access to it
     * stops the access with an asynchronous exception, and HotSpot sets the thread's interrupt status when
     * it installs one (to wake it from a wait); left set, it would fail this thread's next interruptible
     * wait in DaxFS (for a pin, for a page) with EINTR. Nothing else interrupts the checker's threads.
     */
    static void forgetInterrupt() {
        Thread.interrupted();
    }

    private void requireHeld() {
        if (segment == null) {
            // The model and this side disagree about what is held: the checker's own bug.
            throw new AssertionError("no mapping is held");
        }
    }

    /** Unmaps what is held, if anything (a revoked mapping too: its arena still needs closing). */
    @Override
    public void close() {
        if (arena != null) {
            Arena a = arena;
            arena = null;
            segment = null;
            a.close();
        }
    }
}
