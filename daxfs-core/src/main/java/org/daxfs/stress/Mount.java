package org.daxfs.stress;

import org.daxfs.FsException;
import org.daxfs.cache.PageCache;
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
    private final MountOptions options;
    private volatile DaxFileSystem fs;
    /** Pages the caches of earlier mounts evicted. */
    private long evictedBefore;

    private Mount(Device device, MountOptions options, DaxFileSystem fs) {
        this.device = device;
        this.options = options;
        this.fs = fs;
    }

    /** Mounts with the default options. */
    static Mount mount(Device device) throws FsException {
        return mount(device, MountOptions.defaults());
    }

    /** Mounts with {@code options}, which every remount uses again. */
    static Mount mount(Device device, MountOptions options) throws FsException {
        return new Mount(device, options, DaxFileSystem.mount(device, options));
    }

    DaxFileSystem fs() {
        return fs;
    }

    Device device() {
        return device;
    }

    /** Pages the page caches of this mount and the earlier ones evicted. */
    long evictions() {
        return evictedBefore + evictions(fs);
    }

    private static long evictions(DaxFileSystem fs) {
        PageCache cache = fs.pageCache();
        return cache == null ? 0 : cache.evictions();
    }

    /** Unmounts and mounts again: everything written must survive. */
    void remount() throws FsException {
        evictedBefore += evictions(fs);
        fs.close();
        fs = DaxFileSystem.mount(device, options);
    }

    /** Unmounts (the device stays open). */
    @Override
    public void close() throws FsException {
        fs.close();
    }
}
