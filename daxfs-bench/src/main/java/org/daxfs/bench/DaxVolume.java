package org.daxfs.bench;

import java.io.IOException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.MountOptions;
import org.daxfs.fs.OpenFlag;

/**
 * DaxFS formatted on a volatile memory device (memfd): the same shared memory tmpfs uses, so the two are
 * compared on equal media and only the software path differs.
 */
public final class DaxVolume implements Volume {
    private final Device device;
    private final DaxFileSystem fs;

    private DaxVolume(Device device, DaxFileSystem fs) {
        this.device = device;
        this.fs = fs;
    }

    /** Formats and mounts a memory device of {@code deviceSize} bytes. */
    public static DaxVolume format(long deviceSize) throws IOException {
        Device device = Devices.memory(deviceSize);
        try {
            DaxFileSystem.format(device, FormatOptions.defaults());
            return new DaxVolume(device, DaxFileSystem.mount(device, MountOptions.defaults()));
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** The mounted file system, for benchmarks that go beyond {@link Volume} (mappings, extents). */
    public DaxFileSystem fileSystem() {
        return fs;
    }

    /** The memory device under the file system. */
    Device device() {
        return device;
    }

    @Override
    public PositionalFile create(String name) throws IOException {
        return new DaxFile(fs.open("/" + name, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE));
    }

    @Override
    public Object lookup(String name) throws IOException {
        return fs.stat("/" + name);
    }

    @Override
    public void delete(String name) throws IOException {
        fs.unlink("/" + name);
    }

    @Override
    public void close() throws IOException {
        // Unmount before the device goes: the file system writes back through it.
        try {
            fs.close();
        } finally {
            device.close();
        }
    }
}
