package org.daxfs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.daxfs.fs.DaxMode;
import org.daxfs.fs.MountOptions;
import org.junit.jupiter.api.Test;

/** Options, the operation mix and the replay command line. */
class StressOptionsTest {
    @Test
    void mixParsesAndKeepsItsOrder() {
        Map<String, Integer> mix = StressOptions.parseMix("write=30, truncate=0,read=5");
        assertEquals(List.of("write", "truncate", "read"), List.copyOf(mix.keySet()));
        assertEquals("write=30,truncate=0,read=5", StressOptions.formatMix(mix));
    }

    @Test
    void badMixesSayWhatIsWrong() {
        assertMessage("'write' is not name=weight", () -> StressOptions.parseMix("write"));
        assertMessage("'write=-1' is not name=weight", () -> StressOptions.parseMix("write=-1"));
        assertMessage("write is given twice", () -> StressOptions.parseMix("write=1,write=2"));
        assertMessage("unknown operation 'punch'", () -> withMix("punch=3").validate());
        assertMessage("remount does not run in multi mode", () -> withMix("remount=3").withMode(Mode.MULTI, 2).validate());
        assertMessage("shared-read does not run in single mode", () -> withMix("shared-read=1").validate());
        Map<String, Integer> none = new LinkedHashMap<>();
        for (String name : Operations.names()) {
            none.put(name, 0);
        }
        assertMessage("every operation has weight 0", () -> StressOptions.defaults().withMix(none).validate());
        withMix("remount=0").withMode(Mode.MULTI, 2).validate();
    }

    @Test
    void modesBoundTheThreads() {
        assertMessage("single mode runs one thread", () -> StressOptions.defaults().withMode(Mode.SINGLE, 2).validate());
        assertMessage("disrupt mode needs 2 to 255 threads", () -> StressOptions.defaults().withMode(Mode.DISRUPT, 1).validate());
        assertMessage("--threads must be 1 to 255", () -> StressOptions.defaults().withMode(Mode.MULTI, 256).validate());
        assertMessage("--max-size must be 64 KiB to 1 GiB", () -> StressOptions.defaults().withMaxFileSize(1000).validate());
        assertEquals(Mode.DISRUPT, Mode.parse("Disrupt"));
        assertMessage("unknown mode 'x' (choose single, multi or disrupt)", () -> Mode.parse("x"));
    }

    @Test
    void replayCommandRepeatsWhatDiffersFromTheDefaults() {
        assertEquals("./daxfs stress IMAGE --seed 1 --ops 10000", StressOptions.defaults().replayCommand());
        StressOptions o = StressOptions.defaults().withImage("my image.img").withSeed(-5).withOps(7)
                .withMode(Mode.DISRUPT, 4).withMix(StressOptions.parseMix("write=1,dax-flip=0"))
                .withMaxFileSize(1 << 20).withVerifyEvery(3);
        assertEquals("./daxfs stress 'my image.img' --seed -5 --ops 7 --mode disrupt --threads 4"
                + " --ops-mix write=1,dax-flip=0 --max-size 1048576 --verify-every 3", o.replayCommand());
        assertEquals("./daxfs stress IMAGE --seed 1 --ops 10000 --dax never --cache 1048576",
                StressOptions.defaults().withDax(DaxMode.NEVER).withCacheBytes(1 << 20).replayCommand());
    }

    @Test
    void theMountOptionsCarryTheDaxModeAndTheCacheSize() {
        MountOptions m = StressOptions.defaults().withDax(DaxMode.ALWAYS).withCacheBytes(3 << 20).mountOptions();
        assertEquals(DaxMode.ALWAYS, m.dax());
        assertEquals(3 << 20, m.cacheBytes());
        assertEquals(null, StressOptions.defaults().mountOptions().dax(), "the device's default");
        assertMessage("--cache must be at least 1 MiB", () -> StressOptions.defaults().withCacheBytes(4096).validate());
    }

    private static StressOptions withMix(String mix) {
        return StressOptions.defaults().withMix(StressOptions.parseMix(mix));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
