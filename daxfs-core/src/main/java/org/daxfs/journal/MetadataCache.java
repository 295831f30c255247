package org.daxfs.journal;

import java.util.concurrent.ConcurrentHashMap;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.format.Block;

/**
 * The committed state of every metadata block read so far, in memory.
 *
 * <p>Readers never see a block half-written: a committing transaction installs each new block image here
 * (one reference swap) before it writes the block to its home location, so whoever misses the cache later
 * reads a home location that already holds that image. Images here are never modified after
 * installation; {@link #get} wraps them in a {@link Block} the caller must treat as read-only.
 *
 * <p>Locking: none of its own beyond the map's; callers reading a structure that spans several blocks
 * hold the lock of the inode it belongs to.
 */
final class MetadataCache {
    private final Device device;
    private final ConcurrentHashMap<Long, byte[]> images = new ConcurrentHashMap<>();

    MetadataCache(Device device) {
        this.device = device;
    }

    /** The committed image of block {@code n} (read from the device on a miss). */
    Block get(long n) throws FsException {
        byte[] data = images.get(n);
        if (data == null) {
            if (n < 0 || (n + 1) * (long) Block.SIZE > device.size()) {
                throw FsException.atOffset(org.daxfs.Errno.EUCLEAN, n * (long) Block.SIZE,
                        "metadata block " + n + " is outside the device");
            }
            byte[] fresh = new byte[Block.SIZE];
            device.read(n * Block.SIZE, fresh, 0, Block.SIZE);
            byte[] raced = images.putIfAbsent(n, fresh);
            data = raced != null ? raced : fresh;
        }
        return new Block(n, data);
    }

    /** Installs a newly committed image; the caller gives up the array. */
    void install(long n, byte[] image) {
        images.put(n, image);
    }

    /** Forgets a block that was freed (it may become file data). */
    void drop(long n) {
        images.remove(n);
    }

    int size() {
        return images.size();
    }
}
