package org.daxfs.fs;

import static org.daxfs.fs.TestImages.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Tests on a freshly formatted 64 MiB memory image: {@link #device} and {@link #fs}, closed after each. */
abstract class MountedImageTest {
    protected Device device;
    /** The mounted file system; a test that unmounts it for good sets it to null. */
    protected DaxFileSystem fs;

    @BeforeEach
    void mountFreshImage() throws Exception {
        device = Devices.memory(64 * MIB);
        fs = TestImages.formatAndMount(device);
    }

    @AfterEach
    void unmountAndClose() throws Exception {
        if (fs != null) {
            fs.close();
        }
        device.close();
    }

    /** Opens {@code path} for reading and writing, creating it. */
    protected FileHandle open(String path) throws FsException {
        return fs.open(path, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
    }

    /** Code under test that may throw anything. */
    protected interface Executable {
        void run() throws Exception;
    }

    /** Asserts that {@code r} fails with an FsException carrying {@code expected}. */
    protected static void assertErrno(Errno expected, Executable r) {
        FsException e = assertThrows(FsException.class, r::run);
        assertEquals(expected, e.errno(), e.getMessage());
    }
}
