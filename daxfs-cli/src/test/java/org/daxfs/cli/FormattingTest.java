package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small formatters behind ls -l, stat and info. */
class FormattingTest {
    @ParameterizedTest
    @CsvSource({
        "0100644, -rw-r--r--",
        "0040755, drwxr-xr-x",
        "0120777, lrwxrwxrwx",
        "0104755, -rwsr-xr-x",
        "0102644, -rw-r-Sr--",
        "0041777, drwxrwxrwt",
        "0041776, drwxrwxrwT",
        "0100000, ----------",
        "0000644, ?rw-r--r--",
    })
    void modeStrings(String octal, String expected) {
        assertEquals(expected, Modes.toString(Integer.parseInt(octal, 8)));
    }

    @Test
    void octalAndTypeNames() {
        assertEquals("0644", Modes.octal(0100644));
        assertEquals("4755", Modes.octal(0104755));
        assertEquals("regular file", Modes.typeName(0100644));
        assertEquals("directory", Modes.typeName(0040755));
        assertEquals("symbolic link", Modes.typeName(0120777));
        assertEquals("unknown type 060000", Modes.typeName(0060644));
    }

    @ParameterizedTest
    @CsvSource({
        "'', /",
        "/, /",
        "a, /a",
        "/a/, /a",
        "a//b///c/, /a/b/c",
    })
    void normalizesImagePaths(String path, String expected) {
        assertEquals(expected, ImagePaths.normalize(path));
    }

    @Test
    void imagePathParts() {
        assertEquals("c", ImagePaths.name("/a/b/c"));
        assertEquals("/", ImagePaths.name("/"));
        assertEquals("/a/b", ImagePaths.parent("a/b/c/"));
        assertEquals("/", ImagePaths.parent("/a"));
        assertEquals("/", ImagePaths.parent("/"));
        assertEquals("/a/b", ImagePaths.join("/a/", "b"));
        assertEquals("/b", ImagePaths.join("/", "b"));
    }

    @Test
    void tableAlignsValues() {
        StringWriter s = new StringWriter();
        new Table().row("size", 1).row("block size", "4096 bytes").print(new PrintWriter(s));
        assertEquals("size:       1\nblock size: 4096 bytes\n", s.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void columnsAlignNumbersRightAndLeaveTheLastColumnUnpadded() {
        StringWriter s = new StringWriter();
        new Columns("lrl")
                .row("-rw-r--r--", 5, "a")
                .row("drwxr-xr-x", 12345, "longer name")
                .print(new PrintWriter(s));
        assertEquals("-rw-r--r--     5 a\ndrwxr-xr-x 12345 longer name\n",
                s.toString().replace(System.lineSeparator(), "\n"));
    }
}
