package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The address space's JFR events: off by default, and when a recording enables them they carry the facts. */
class MappingEventsTest {
    private static final int B = 4096;
    private static final List<String> EVENTS = List.of("org.daxfs.Fault", "org.daxfs.SyncFault", "org.daxfs.Revoke",
            "org.daxfs.Flush", "org.daxfs.RangeOperation");

    @Test
    void faultsWriteEnablingRevocationFlushAndRangeOperationsAreRecorded(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("events.jfr");
        try (Device device = Devices.memory(32 * MIB)) {
            DaxFileSystem fs = TestImages.formatAndMount(device);
            writeFile(fs, "/f", pattern(1, 16 * B));
            try (Recording recording = new Recording()) {
                EVENTS.forEach(name -> recording.enable(name).withoutThreshold());
                recording.start();
                try (FileHandle h = fs.open("/f", OpenFlag.READ, OpenFlag.WRITE); Arena arena = Arena.ofShared()) {
                    h.map(MapMode.READ_ONLY, 0, 4 * B, arena);
                    h.map(MapMode.READ_WRITE_SYNC, 8 * B, 2 * B, arena);
                    h.fsync();
                    h.punchHole(0, B);
                }
                recording.stop();
                recording.dump(out);
            }
            fs.close();
        }
        Map<String, List<RecordedEvent>> byName = RecordingFile.readAllEvents(out).stream()
                .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
        for (String name : EVENTS) {
            assertTrue(byName.containsKey(name), name + " missing from " + byName.keySet());
        }
        List<RecordedEvent> faults = byName.get("org.daxfs.Fault");
        assertTrue(faults.stream().anyMatch(e -> !e.getBoolean("write") && e.getLong("index") == 0), faults.toString());
        assertTrue(faults.stream().anyMatch(e -> e.getBoolean("write") && e.getLong("index") == 8), faults.toString());
        RecordedEvent sync = byName.get("org.daxfs.SyncFault").getFirst();
        assertTrue(sync.getBoolean("sync"));
        assertEquals("writable", sync.getString("outcome"));
        RecordedEvent revoke = byName.get("org.daxfs.Revoke").getFirst();
        assertEquals("punch hole", revoke.getString("reason"));
        assertEquals(1, revoke.getInt("mappings"));
        assertTrue(byName.get("org.daxfs.Flush").getFirst().getLong("bytes") >= 2L * B);
        assertEquals("punch hole", byName.get("org.daxfs.RangeOperation").getFirst().getString("operation"));
    }

    @Test
    void eventsAreOffUnlessARecordingEnablesThem(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("default.jfr");
        try (Device device = Devices.memory(32 * MIB)) {
            DaxFileSystem fs = TestImages.formatAndMount(device);
            writeFile(fs, "/f", pattern(2, 4 * B));
            try (Recording recording = new Recording(jdk.jfr.Configuration.getConfiguration("default"))) {
                recording.start();
                try (FileHandle h = fs.open("/f", OpenFlag.READ, OpenFlag.WRITE); Arena arena = Arena.ofShared()) {
                    h.map(MapMode.READ_ONLY, 0, 4 * B, arena);
                    h.punchHole(0, B);
                }
                recording.stop();
                recording.dump(out);
            }
            fs.close();
        }
        assertTrue(RecordingFile.readAllEvents(out).stream().noneMatch(e -> e.getEventType().getName().startsWith("org.daxfs.")));
    }
}
