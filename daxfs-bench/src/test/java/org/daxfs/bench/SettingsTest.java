package org.daxfs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsTest {
    @Test
    void defaultsRunEveryStepInFullAndOnlyPrint() {
        Settings s = Settings.parse();
        assertEquals(RunMode.FULL, s.mode());
        assertEquals(List.of(SuiteStep.values()), s.steps());
        assertNull(s.out());
        assertFalse(s.help());
    }

    @Test
    void quickOutAndOnly() {
        Settings s = Settings.parse("--quick", "--out", "reports/x", "--only", "fuse|fsync");
        assertEquals(RunMode.QUICK, s.mode());
        assertEquals(Path.of("reports/x"), s.out());
        assertEquals(List.of(SuiteStep.FSYNC, SuiteStep.FUSE), s.steps(), "in the suite's order, not the pattern's");
    }

    @Test
    void refusesUnknownOrIncompleteOptions() {
        assertEquals("unknown option --fast", assertThrows(IllegalArgumentException.class, () -> Settings.parse("--fast")).getMessage());
        assertEquals("--only needs a regular expression",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("--only")).getMessage());
        assertEquals("--out needs a directory", assertThrows(IllegalArgumentException.class, () -> Settings.parse("--out")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Settings.parse("--only", "("));
        assertEquals("--only nothing matches no step",
                assertThrows(IllegalArgumentException.class, () -> Settings.parse("--only", "nothing")).getMessage());
    }

    @Test
    void usageNamesEveryStep() {
        for (SuiteStep step : SuiteStep.values()) {
            assertTrue(Settings.USAGE.contains(step.id), step.id);
        }
    }

    @Test
    void quickIsShorterThanFullInEveryRespect() {
        assertTrue(RunMode.QUICK.repetitions() >= 3, "a median needs at least three repetitions");
        assertTrue(RunMode.QUICK.repetitions() < RunMode.FULL.repetitions());
        assertTrue(RunMode.QUICK.iteration().compareTo(RunMode.FULL.iteration()) < 0);
        assertTrue(RunMode.QUICK.directoryEntries() < RunMode.FULL.directoryEntries());
        assertEquals(100_000, RunMode.FULL.directoryEntries(), "the issue's large directory");
        assertTrue(RunMode.QUICK.fio().runtime().compareTo(RunMode.FULL.fio().runtime()) < 0);
    }
}
