package org.daxfs.cli;

/**
 * The demo's binary content: every 8-byte word holds a hash of its own offset. A block that lands in the
 * wrong place, a stale block and a block of zeros all read back as a mismatch, unlike with a repeating
 * pattern that would look right at many offsets.
 */
final class DemoPattern {
    private DemoPattern() {
    }

    /** Fills {@code buf[0, length)} with the pattern bytes of file offsets {@code [offset, offset+length)}. */
    static void fill(long offset, byte[] buf, int length) {
        for (int i = 0; i < length; i++) {
            long pos = offset + i;
            long word = mix(pos >>> 3);
            buf[i] = (byte) (word >>> (8 * (pos & 7)));
        }
    }

    // splitmix64's finalizer: cheap, and every bit of the input moves every bit of the output.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
