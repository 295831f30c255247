package org.daxfs.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceOptions;
import org.daxfs.device.Devices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images from the smallest (16 MiB) to 1 TiB, sparse, format and mount; metadata does not grow with size. */
class LargeImageTest {
    @TempDir
    Path dir;

    @Test
    void smallestImage() throws Exception {
        Path img = dir.resolve("small.img");
        Devices.createImage(img, 16L << 20);
        try (Device d = Devices.open(img)) {
            DaxFileSystem fs = TestImages.formatAndMount(d);
            TestImages.writeFile(fs, "/f", TestImages.pattern(1, 1 << 20));
            fs.close();
        }
        try (Device d = Devices.open(img)) {
            DaxFileSystem fs = DaxFileSystem.mount(d, MountOptions.defaults());
            assertArrayEquals(TestImages.pattern(1, 1 << 20), TestImages.readFile(fs, "/f"));
            fs.close();
        }
    }

    @Test
    void blockOnlyDevice() throws Exception {
        Path img = dir.resolve("block.img");
        Devices.createImage(img, 32L << 20);
        DeviceOptions blockOnly = DeviceOptions.defaults().withBlockOnly(true);
        byte[] content = TestImages.pattern(2, 3 << 20);
        try (Device d = Devices.open(img, blockOnly)) {
            assertTrue(!d.isDirectAccess());
            DaxFileSystem fs = TestImages.formatAndMount(d);
            fs.mkdir("/d", 0755);
            TestImages.writeFile(fs, "/d/f", content);
            fs.close();
        }
        try (Device d = Devices.open(img, blockOnly)) {
            DaxFileSystem fs = DaxFileSystem.mount(d, MountOptions.defaults());
            assertArrayEquals(content, TestImages.readFile(fs, "/d/f"));
            fs.close();
            assertEquals(0, Fsck.run(d, false, null).exitCode());
        }
    }

    @Test
    void oneTebibyteSparseImage() throws Exception {
        Path img = dir.resolve("big.img");
        Devices.createImage(img, 1L << 40);
        try (Device d = Devices.open(img)) {
            DaxFileSystem fs = TestImages.formatAndMount(d);
            StatFs s = fs.statfs();
            assertEquals((1L << 40) / 4096, s.totalBlocks());
            TestImages.writeFile(fs, "/f", TestImages.bytes("far away"));
            try (FileHandle h = fs.open("/f", OpenFlag.WRITE)) {
                h.write(java.nio.ByteBuffer.wrap(TestImages.bytes("end")), 100L << 30);
            }
            fs.close();
            DaxFileSystem again = DaxFileSystem.mount(d, MountOptions.defaults());
            assertEquals((100L << 30) + 3, again.stat("/f").size());
            again.close();
        }
        Process du = new ProcessBuilder("du", "-B1", img.toString()).start();
        long allocatedBytes = Long.parseLong(new String(du.getInputStream().readAllBytes()).split("\\s+")[0]);
        assertEquals(0, du.waitFor());
        // Bitmap (32 MiB for 1 TiB) plus a little: the rest of the image stays sparse.
        assertTrue(allocatedBytes < (64L << 20), "allocated " + allocatedBytes);
    }
}
