package org.daxfs.device;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a separate JVM by {@link DevDaxNodeTest} with jdk.internal.misc exported: maps a file the way a
 * devdax node is mapped, writes a pattern, persists it with cache-line writeback and reports how it
 * persisted. Exit status 2 means the writeback was not available.
 */
final class WritebackProbe {
    private WritebackProbe() {}

    public static void main(String[] args) throws Exception {
        if (CacheLineWriteback.instance() == null) {
            System.out.println("unavailable: " + CacheLineWriteback.unavailableReason());
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        List<String> notices = new ArrayList<>();
        try (MappedDevice device = DevDaxNode.mapRaw(file, "probe " + file, size, false, notices::add)) {
            device.write(100, MemorySegment.ofArray(DeviceTesting.pattern(99, 10_000)));
            device.persist(100, 10_000);
            device.persistAll();
            System.out.println("persistence=" + device.persistence());
            System.out.println("notices=" + notices);
        }
    }
}
