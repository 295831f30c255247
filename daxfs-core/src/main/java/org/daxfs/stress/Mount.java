package org.daxfs.stress;

import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.MountOptions;

/**
 * The file system a run works on, which a remount replaces. Remounting happens only while a single thread
 * works on the file system (single mode), so {@link #fs} changes under nobody's feet; it is volatile so
 * that the threads of later phases see the newest one.
 */
final class Mount implements AutoCloseable {
    private final Device device;
    private volatile DaxFileSystem fs;

    private Mount(Device device, DaxFileSystem fs) {
        this.device = device;
        this.fs = fs;
    }

    static Mount mount(Device device) throws FsException {
        return new Mount(device, DaxFileSystem.mount(device, MountOptions.defaults()));
    }

    DaxFileSystem fs() {
        return fs;
    }

    Device device() {
        return device;
    }

    /** Unmounts and mounts again: everything written must survive. */
    void remount() throws FsException {
        fs.close();
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
    }

    /** Unmounts (the device stays open). */
    @Override
    public void close() throws FsException {
        fs.close();
    }
}
