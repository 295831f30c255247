package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void drawsInPlaceAndRedrawsOnlyWhenThePercentageChanges() {
        StringWriter s = new StringWriter();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(s), "copying", true)) {
            bar.update(42, 100);
            bar.update(421, 1000);
            bar.update(100, 100);
        }
        String pad = "#".repeat(12) + ".".repeat(18);
        assertEquals("\r[" + pad + "]  42%  copying"
                + "\r[" + "#".repeat(30) + "] 100%  copying" + System.lineSeparator(), s.toString());
    }

    @Test
    void thousandthsAreFractionsOfTheWhole() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), "x", true);
        bar.thousandths().accept(500);
        assertTrue(s.toString().contains("]  50%  x"), s.toString());
    }

    @Test
    void aDisabledBarPrintsNothing() {
        StringWriter s = new StringWriter();
        try (ProgressBar bar = new ProgressBar(new PrintWriter(s), "copying", false)) {
            bar.update(1, 2);
            bar.thousandths().accept(1000);
        }
        assertEquals("", s.toString());
    }

    @Test
    void drawsOnlyForAPersonAtATerminal() {
        assertTrue(ProgressBar.interactive(true, Map.of("TERM", "xterm")));
        assertTrue(ProgressBar.interactive(true, Map.of("CI", "false")));
        assertFalse(ProgressBar.interactive(false, Map.of("TERM", "xterm")));
        assertFalse(ProgressBar.interactive(true, Map.of("CI", "true")));
        assertFalse(ProgressBar.interactive(true, Map.of("TERM", "dumb")));
    }
}
