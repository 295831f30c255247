package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {
    @ParameterizedTest
    @CsvSource({
        "4096, 4096",
        "0, 0",
        "16M, 16777216",
        "256m, 268435456",
        "1G, 1073741824",
        "1T, 1099511627776",
        "1.5G, 1610612736",
        "4k, 4096",
        "16MiB, 16777216",
        "16MB, 16777216",
        "4096B, 4096",
        "' 2 M ', 2097152",
        ".5K, 512",
        "1.0001K, 1024",
        "7E, 8070450532247928832",
    })
    void parses(String text, long bytes) {
        assertEquals(bytes, Sizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-1", "12Q", "M", "1.5", "1..5G", "1,5G", "0x10", "16 M B", "iB", "5iB", "1G2", "99999999999E", "8E"})
    void refuses(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1023, 1023 B",
        "1024, 1 KiB",
        "1536, 1.5 KiB",
        "268435456, 256 MiB",
        "1610612736, 1.5 GiB",
        "1048575, 1023.9 KiB",
        "1099511627776, 1 TiB",
        "9223372036854775807, 7.9 EiB",
    })
    void formats(long bytes, String text) {
        assertEquals(text, Sizes.format(bytes));
    }

    @ParameterizedTest
    @CsvSource({"100, 100 bytes", "268435456, 256 MiB (268435456 bytes)"})
    void formatsExactly(long bytes, String text) {
        assertEquals(text, Sizes.formatExact(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4096", "16M", "1.5G", "1T", "3K"})
    void formatThenParseIsTheSameSize(String text) {
        long bytes = Sizes.parse(text);
        assertEquals(bytes, Sizes.parse(Sizes.format(bytes).replace(" ", "")));
    }
}
