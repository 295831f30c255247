package org.daxfs.bench.fio;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.daxfs.bench.DaxVolume;
import org.daxfs.fuse.FuseMount;
import org.daxfs.fuse.FuseOptions;

/**
 * DaxFS on a fresh volatile memory device, mounted through FUSE and served by this JVM, with the mount's
 * default options (what {@code daxfs mount} uses).
 */
final class DaxfsFuseTarget implements FuseTarget {
    private final DaxVolume volume;
    private final FuseMount mount;
    private boolean closed;

    private DaxfsFuseTarget(DaxVolume volume, FuseMount mount) {
        this.volume = volume;
        this.mount = mount;
    }

    /** Formats a memory device of {@code deviceSize} bytes and mounts it on {@code mountPoint}; problems go to {@code log}. */
    static DaxfsFuseTarget mount(Path mountPoint, long deviceSize, Consumer<String> log) throws IOException {
        DaxVolume volume = DaxVolume.format(deviceSize);
        try {
            FuseMount mount = FuseMount.mount(volume.fileSystem(), mountPoint, FuseOptions.defaults().withLog(log, false));
            DaxfsFuseTarget target = new DaxfsFuseTarget(volume, mount);
            try {
                mount.awaitInitialized(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                target.close();
                throw new IOException("interrupted while mounting", e);
            } catch (IOException | RuntimeException e) {
                target.close();
                throw e;
            }
            return target;
        } catch (IOException | RuntimeException e) {
            volume.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return FuseComparison.DAXFS;
    }

    @Override
    public String label() {
        return "DaxFS mount";
    }

    @Override
    public Path directory() {
        return mount.mountPoint();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            mount.close();
        } finally {
            volume.close();
        }
    }
}
