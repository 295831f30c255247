package org.daxfs.bench;

import java.io.IOException;

/**
 * The file systems compared. Benchmarks take the peer as a JMH {@code @Param}, so every peer runs the same
 * benchmark body in its own fork and the JIT sees one implementation at a time.
 */
public enum Peer {
    /** DaxFS in this process through its own API (DaxFileSystem, FileHandle), on a volatile memory device. */
    DAXFS("DaxFS"),
    /**
     * DaxFS in this process through its {@code java.nio.file} provider (scheme {@code daxfs}) and FileChannel,
     * on an image in /dev/shm: the same calls as the tmpfs and Jimfs peers make.
     */
    DAXFS_NIO("DaxFS via java.nio.file"),
    /** The kernel's tmpfs through FileChannel system calls: the baseline most ratios are against. */
    TMPFS("tmpfs FileChannel"),
    /** Jimfs: a pure-Java in-heap file system through java.nio.file, the other in-process peer. */
    JIMFS("Jimfs");

    /** Size of the DaxFS device (and image): room for the 256 MiB test file with space to spare. */
    public static final long DAX_DEVICE_SIZE = 1L << 30;

    /** The name shown in result tables. */
    public final String label;

    Peer(String label) {
        this.label = label;
    }

    /** Makes a fresh, empty volume of this peer (DaxFS on a device of {@link #DAX_DEVICE_SIZE}). */
    public Volume open() throws IOException {
        return open(DAX_DEVICE_SIZE);
    }

    /** Makes a fresh, empty volume of this peer; {@code daxDeviceSize} sizes DaxFS's device or image only. */
    public Volume open(long daxDeviceSize) throws IOException {
        return switch (this) {
            case DAXFS -> DaxVolume.format(daxDeviceSize);
            case DAXFS_NIO -> ChannelVolume.daxfs(daxDeviceSize);
            case TMPFS -> ChannelVolume.tmpfs();
            case JIMFS -> ChannelVolume.jimfs();
        };
    }
}
