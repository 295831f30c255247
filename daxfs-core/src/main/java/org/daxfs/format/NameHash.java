package org.daxfs.format;

/**
 * The hash of directory entry names: SipHash-2-4 keyed by the file system's 64-bit hash seed.
 *
 * <p>A keyed hash rather than a fixed one so that nobody who does not know the seed can craft many names
 * that land in one bucket of a {@link DirectoryIndex} and turn its lookups linear. The hash is part of the
 * on-device format: changing it makes every existing directory unreadable.
 */
final class NameHash {
    private NameHash() {
    }

    /** The hash of {@code name} under the file system's {@code seed}. */
    static long of(long seed, byte[] name) {
        // SipHash wants a 128-bit key; the second half is derived from the seed so the two halves differ.
        return sipHash24(seed, mix(seed ^ 0x9e3779b97f4a7c15L), name, 0, name.length);
    }

    /** SipHash-2-4 (Aumasson and Bernstein, 2012) of {@code m[off, off+len)} with key {@code (k0, k1)}. */
    static long sipHash24(long k0, long k1, byte[] m, int off, int len) {
        State s = new State(k0, k1);
        int end = off + len - (len & 7);
        for (int i = off; i < end; i += 8) {
            s.absorb(littleEndian(m, i, 8));
        }
        s.absorb(((long) len << 56) | littleEndian(m, end, len & 7));
        s.v2 ^= 0xff;
        s.rounds(4);
        return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
    }

    private static final class State {
        long v0;
        long v1;
        long v2;
        long v3;

        State(long k0, long k1) {
            v0 = k0 ^ 0x736f6d6570736575L;
            v1 = k1 ^ 0x646f72616e646f6dL;
            v2 = k0 ^ 0x6c7967656e657261L;
            v3 = k1 ^ 0x7465646279746573L;
        }

        void absorb(long w) {
            v3 ^= w;
            rounds(2);
            v0 ^= w;
        }

        void rounds(int n) {
            for (int r = 0; r < n; r++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13) ^ v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17) ^ v2;
                v2 = Long.rotateLeft(v2, 32);
            }
        }
    }

    private static long littleEndian(byte[] m, int off, int n) {
        long w = 0;
        for (int i = n - 1; i >= 0; i--) {
            w = (w << 8) | (m[off + i] & 0xffL);
        }
        return w;
    }

    /** Stafford's mix13 finalizer: spreads every seed bit over the derived key half. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
