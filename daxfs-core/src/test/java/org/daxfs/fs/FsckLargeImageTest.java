package org.daxfs.fs;

import static org.daxfs.fs.FsckTest.assertClean;
import static org.daxfs.fs.TestImages.MIB;
import static org.daxfs.fs.TestImages.bytes;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 1 TiB sparse image: fsck walks its 8,000-odd bitmap blocks a word at a time and finishes in seconds. */
class FsckLargeImageTest {
    private static final long TIB = 1L << 40;
    /** Generous for a slow, shared CI machine; it takes well under a second on an idle one. */
    private static final long LIMIT_NANOS = 30_000_000_000L;

    @Test
    void terabyteImageChecksInSecondsWithProgress(@TempDir Path dir) throws Exception {
        Path img = dir.resolve("big.img");
        Devices.createImage(img, TIB);
        try (Device device = Devices.open(img)) {
            DaxFileSystem.format(device, FormatOptions.defaults());
            try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
                writeFile(fs, "/small", pattern(1, 10_000));
                try (FileHandle h = fs.open("/huge", OpenFlag.WRITE, OpenFlag.CREATE)) {
                    h.allocate(0, 4096 * MIB, false);
                    h.write(ByteBuffer.wrap(bytes("end")), 4096 * MIB - 3);
                }
                try (FileHandle h = fs.open("/far", OpenFlag.WRITE, OpenFlag.CREATE)) {
                    h.write(ByteBuffer.wrap(bytes("far away")), 16_000_000L * 4096);
                }
            }
            for (boolean repair : new boolean[] {false, true}) {
                List<Long> progress = new ArrayList<>();
                long start = System.nanoTime();
                FsckReport r = Fsck.run(device, repair, progress::add);
                long took = System.nanoTime() - start;
                System.out.println("fsck" + (repair ? " --repair" : "") + " of a 1 TiB image: " + took / 1_000_000 + " ms");
                assertClean(r);
                assertTrue(took < LIMIT_NANOS, "fsck of 1 TiB took " + took / 1_000_000 + " ms");
                assertTrue(progress.size() > 10, "progress reported as the check goes: " + progress);
                assertEquals(1000L, progress.getLast());
                for (int i = 1; i < progress.size(); i++) {
                    assertTrue(progress.get(i) > progress.get(i - 1), "progress goes forward: " + progress);
                }
            }
        }
    }
}
