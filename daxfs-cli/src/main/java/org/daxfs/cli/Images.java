package org.daxfs.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceOptions;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.MountOptions;

/** Opens image files as devices and mounts them, the way every subcommand does. */
final class Images {
    private Images() {
    }

    /**
     * Opens an existing image. Notices from the device (a fallback it took, say) go to {@code err} as
     * {@code daxfs: ...} lines.
     */
    static Device open(Path image, boolean readOnly, PrintWriter err) throws FsException {
        // Said here rather than left to the device layer, so a mistyped name reads the same for every command.
        if (!Files.exists(image)) {
            throw FsException.of(Errno.ENOENT, image.toString());
        }
        DeviceOptions options = new DeviceOptions(readOnly, false, false, notice -> {
            err.println("daxfs: " + notice);
            err.flush();
        });
        return Devices.open(image, options);
    }

    /**
     * Creates a sparse image file of {@code size} bytes (replacing an existing file when {@code replace})
     * and opens it.
     */
    static Device create(Path image, long size, boolean replace, PrintWriter err) throws FsException {
        if (replace) {
            try {
                Files.deleteIfExists(image);
            } catch (java.io.IOException e) {
                throw FsException.wrap(Errno.EIO, image.toString(), -1, "cannot replace: " + e.getMessage(), e);
            }
        }
        Devices.createImage(image, size);
        return open(image, false, err);
    }

    /** Opens and mounts an image; closing the result unmounts it and then releases the device. */
    static MountedImage mount(Path image, boolean readOnly, PrintWriter err) throws FsException {
        return mount(image, MountOptions.defaults().withReadOnly(readOnly), err);
    }

    /** Opens and mounts an image with {@code options}; closing the result unmounts it and releases the device. */
    static MountedImage mount(Path image, MountOptions options, PrintWriter err) throws FsException {
        Device device = open(image, options.readOnly(), err);
        try {
            return new MountedImage(device, DaxFileSystem.mount(device, options));
        } catch (FsException | RuntimeException e) {
            device.close();
            throw e;
        }
    }
}
