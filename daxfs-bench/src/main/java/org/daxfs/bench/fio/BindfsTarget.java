package org.daxfs.bench.fio;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * bindfs, a FUSE passthrough written in C on libfuse, mirroring a directory of tmpfs: the FUSE peer, whose
 * cost is the FUSE round trip plus the kernel's tmpfs.
 */
final class BindfsTarget implements FuseTarget {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path mountPoint;
    private boolean closed;

    private BindfsTarget(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts {@code source} on {@code mountPoint} with {@code bindfs}; mounted when bindfs returns. */
    static BindfsTarget mount(Path bindfs, Path source, Path mountPoint) throws IOException {
        ExternalCommand.run(List.of(bindfs.toString(), source.toString(), mountPoint.toString()), COMMAND_TIMEOUT)
                .outOrThrow("bindfs " + source + " " + mountPoint);
        return new BindfsTarget(mountPoint);
    }

    @Override
    public String name() {
        return FuseComparison.BINDFS;
    }

    @Override
    public String label() {
        return "bindfs over tmpfs";
    }

    @Override
    public Path directory() {
        return mountPoint;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        String unmount = ExternalCommand.find("fusermount3").map(Path::toString).orElse("umount");
        List<String> command = unmount.equals("umount") ? List.of("umount", mountPoint.toString())
                : List.of(unmount, "-u", mountPoint.toString());
        ExternalCommand.run(command, COMMAND_TIMEOUT).outOrThrow("unmounting bindfs from " + mountPoint);
    }
}
