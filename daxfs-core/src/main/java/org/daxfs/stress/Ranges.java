package org.daxfs.stress;

/** How operations write byte ranges in the log: {@code 74565+512 [0x12345,0x12545)}. */
final class Ranges {
    private Ranges() {
    }

    static String of(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length < 0) {
            return offset + "+" + length;
        }
        return offset + "+" + length + " [0x" + Long.toHexString(offset) + ",0x" + Long.toHexString(offset + length) + ")";
    }
}
