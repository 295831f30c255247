package org.daxfs.stress;

import java.util.HexFormat;

/**
 * One run of differing bytes: where it starts in the file, how long it is, and the first bytes of it as
 * expected and as found (at most {@link #SHOWN}).
 *
 * @param offset file offset of the first differing byte
 * @param length how many bytes in a row differ from there
 * @param expected the first expected bytes, or null where the expectation is not one value (then see note)
 * @param actual the first bytes found
 * @param note where the found bytes came from, or what was allowed; may be null
 */
public record Difference(long offset, long length, byte[] expected, byte[] actual, String note) {
    static final int SHOWN = 16;

    public String format() {
        HexFormat hex = HexFormat.ofDelimiter(" ");
        StringBuilder sb = new StringBuilder(String.format("offset %d (0x%x), %d byte%s: ", offset, offset, length,
                length == 1 ? "" : "s"));
        if (expected != null) {
            sb.append("expected ").append(hex.formatHex(expected)).append(" | ");
        }
        sb.append("actual ").append(hex.formatHex(actual));
        if (note != null) {
            sb.append(" (").append(note).append(')');
        }
        return sb.toString();
    }
}
