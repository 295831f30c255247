package org.daxfs.stress;

/**
 * Says where bytes found in a file came from, by decoding the {@link Pattern} word around them: zeros,
 * the data an operation wrote for some file and offset, or something the checker never wrote. It turns
 * "byte 0x3c instead of 0x5a" into "this is op #1200's data for offset 8192", as fsx does. Operation
 * numbers are recorded modulo 2^20 ({@link Pattern#GENERATION_BITS}). Stateless.
 */
final class Provenance {
    private Provenance() {
    }

    /**
     * What the bytes at {@code index} of {@code buf} (whose byte 0 sits at file offset {@code bufOffset})
     * are: the aligned word holding that byte, or if it is cut by the buffer or mixed from two writes,
     * the next word. Null if neither is wholly inside {@code buf}.
     */
    static String describe(byte[] buf, long bufOffset, int index) {
        long first = (bufOffset + index) & ~7L;
        String fallback = null;
        for (long wordStart = first; wordStart <= first + 8; wordStart += 8) {
            long from = wordStart - bufOffset;
            if (from < 0 || from + 8 > buf.length) {
                continue;
            }
            long word = Pattern.wordAt(buf, (int) from);
            if (word == 0) {
                return "zeros";
            }
            Pattern.Origin o = Pattern.decode(word);
            if (o == null) {
                fallback = "not data the checker wrote";
                continue;
            }
            String where = o.fileOffset() == (wordStart & (Pattern.WORD_MASK << 3)) ? "this offset" : "offset " + o.fileOffset();
            return "data op #" + o.generation() + " wrote for " + where + " of file " + o.fileId();
        }
        return fallback;
    }
}
