package org.daxfs.cli;

import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;

/** A mounted image and its device: closing unmounts the file system first, then releases the device. */
record MountedImage(Device device, DaxFileSystem fs) implements AutoCloseable {
    @Override
    public void close() throws FsException {
        try {
            fs.close();
        } finally {
            device.close();
        }
    }
}
