package org.daxfs.fs;

import java.util.HashMap;
import java.util.Map;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.format.Block;
import org.daxfs.format.MetadataBlocks;

/**
 * Metadata blocks read straight from the device, for checking an image whose journal cannot be opened
 * (damaged header): nothing is replayed, and nothing can be changed. Blocks are kept once read, as the
 * journal's own cache would, so walks that revisit a node do not read it again.
 *
 * <p>Locking: none; one fsck thread.
 */
final class CheckRawBlocks implements MetadataBlocks {
    private final Device device;
    private final Map<Long, byte[]> read = new HashMap<>();

    CheckRawBlocks(Device device) {
        this.device = device;
    }

    @Override
    public Block read(long blockNo) throws FsException {
        byte[] data = read.get(blockNo);
        if (data == null) {
            if (blockNo < 0 || (blockNo + 1) * (long) Block.SIZE > device.size()) {
                throw FsException.atOffset(Errno.EUCLEAN, blockNo * (long) Block.SIZE,
                        "metadata block " + blockNo + " is outside the device");
            }
            data = new byte[Block.SIZE];
            device.read(blockNo * Block.SIZE, data, 0, Block.SIZE);
            read.put(blockNo, data);
        }
        return new Block(blockNo, data);
    }

    @Override
    public Block modify(long blockNo) {
        throw new IllegalStateException("fsck changes nothing without a journal");
    }

    @Override
    public Block allocate(long owner, long goal) {
        throw new IllegalStateException("fsck changes nothing without a journal");
    }

    @Override
    public void free(long blockNo) {
        throw new IllegalStateException("fsck changes nothing without a journal");
    }
}
