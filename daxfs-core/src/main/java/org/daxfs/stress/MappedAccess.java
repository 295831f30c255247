package org.daxfs.stress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Reads and stores through a mapping that another thread may revoke at any moment (flip mode: each flip
 * that switches the file between DAX and the page cache revokes every mapping of it). They go in small
 * chunks, so that when an access throws IllegalStateException the checker knows which bytes got through:
 * every chunk before the one that threw, none after it, and the one that threw in part or not at all.
 * Stateless.
 */
final class MappedAccess {
    /** Bytes per access. */
    static final int CHUNK = 256;

    private MappedAccess() {
    }

    /**
     * Copies {@code n} bytes at {@code from} out of {@code s}: a read of {@code n} bytes, or if the mapping is
     * revoked meanwhile {@link Outcome#revokedAfter} the bytes of the chunks read before.
     */
    static Outcome readOut(MemorySegment s, long from, int n) {
        byte[] out = new byte[n];
        int done = 0;
        try {
            while (done < n) {
                int len = Math.min(CHUNK, n - done);
                MemorySegment.copy(s, ValueLayout.JAVA_BYTE, from + done, out, done, len);
                done += len;
            }
        } catch (IllegalStateException revoked) {
            HeldMapping.forgetInterrupt();
            return Outcome.revokedAfter(Arrays.copyOf(out, done));
        }
        return Outcome.read(n, out);
    }

    /**
     * Stores {@code data} into {@code s} at {@code at}.
     *
     * @return {@code data.length} if every store went through, else how many bytes (whole chunks) did
     *     before the mapping turned out revoked; of the next {@link #CHUNK}, any may have
     */
    static int storeIn(MemorySegment s, long at, byte[] data) {
        int done = 0;
        try {
            while (done < data.length) {
                int len = Math.min(CHUNK, data.length - done);
                MemorySegment.copy(data, done, s, ValueLayout.JAVA_BYTE, at + done, len);
                done += len;
            }
        } catch (IllegalStateException revoked) {
            HeldMapping.forgetInterrupt();
        }
        return done;
    }
}
