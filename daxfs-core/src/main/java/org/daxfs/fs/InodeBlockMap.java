package org.daxfs.fs;

import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.dax.BlockMap;
import org.daxfs.format.Extent;

/**
 * A regular file's blocks as its address space sees them: lookups through the inode's extent cache (a
 * snapshot of the committed tree, so they need only the invalidate lock), allocation through
 * {@link FileData}.
 */
final class InodeBlockMap implements BlockMap {
    private final DaxFileSystem fs;
    private final Inode in;

    InodeBlockMap(DaxFileSystem fs, Inode in) {
        this.fs = fs;
        this.in = in;
    }

    @Override
    public long size() {
        return in.record.size;
    }

    @Override
    public Extent extentAt(long index) throws FsException {
        ExtentCache c = in.extentCache;
        if (c == null) {
            // Built before every map (under the inode lock); gone only if a rebuild failed on damage.
            throw FsException.atOffset(Errno.EIO, index * org.daxfs.format.Block.SIZE, "extents of inode " + in.ino + " unreadable");
        }
        return c.next(index);
    }

    @Override
    public void allocateWritten(long from, long to) throws FsException {
        fs.data().allocateWritten(in, from, to, fs.now());
    }

    @Override
    public void beginWrite(boolean durable) throws FsException {
        long now = fs.now();
        in.record.mtime = now;
        in.record.ctime = now;
        in.dirty = true;
        if (durable) {
            fs.data().writeBack(in);
        }
    }
}
