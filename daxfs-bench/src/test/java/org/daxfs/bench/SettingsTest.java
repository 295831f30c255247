package org.daxfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void defaultsRunEverythingInFull() {
        Settings s = Settings.parse();
        assertFalse(s.quick());
        assertEquals(Settings.ALL, s.include());
        assertTrue("org.daxfs.bench.RandomIoBenchmark.randomRead4k".matches(s.include() + ".*"));
    }

    @Test
    void quickAndOnly() {
        Settings s = Settings.parse("--quick", "--only", "RandomIo");
        assertTrue(s.quick());
        assertEquals("RandomIo", s.include());
    }

    @Test
    void refusesUnknownOrIncompleteOptions() {
        assertThrows(IllegalArgumentException.class, () -> Settings.parse("--fast"));
        assertThrows(IllegalArgumentException.class, () -> Settings.parse("--only"));
        assertThrows(IllegalArgumentException.class, () -> Settings.parse("--only", "("));
    }
}
