package org.daxfs.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image is open by one writer at a time, so two mounts can never both change it. */
class ImageLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondOpenOfAnImageInUseIsRefusedUntilTheFirstCloses() throws Exception {
        Path img = dir.resolve("a.img");
        Devices.createImage(img, Devices.MIN_IMAGE_SIZE);
        for (DeviceOptions second : new DeviceOptions[] {DeviceOptions.defaults(),
                DeviceOptions.defaults().withReadOnly(true), DeviceOptions.defaults().withBlockOnly(true)}) {
            try (Device first = Devices.open(img)) {
                FsException e = assertThrows(FsException.class, () -> Devices.open(img, second).close());
                assertEquals(Errno.EBUSY, e.errno(), e.getMessage());
                assertEquals(img.toString(), e.path());
            }
            Devices.open(img, second).close();
        }
    }

    @Test
    void theLockGoesWithTheDevice() throws Exception {
        Path img = dir.resolve("b.img");
        Devices.createImage(img, Devices.MIN_IMAGE_SIZE);
        Device d = Devices.open(img);
        d.kill();
        assertThrows(FsException.class, () -> Devices.open(img).close(), "killed but not closed: still held");
        d.close();
        Devices.open(img).close();
    }
}
