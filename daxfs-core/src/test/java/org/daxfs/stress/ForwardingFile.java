package org.daxfs.stress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import org.daxfs.FsException;
import org.daxfs.format.Extent;
import org.daxfs.fs.MapMode;
import org.daxfs.fs.Stat;

/** A {@link TestedFile} that passes every call on; tests override one call to break it on purpose. */
class ForwardingFile implements TestedFile {
    final TestedFile inner;

    ForwardingFile(TestedFile inner) {
        this.inner = inner;
    }

    @Override
    public String path() {
        return inner.path();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws FsException {
        return inner.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws FsException {
        return inner.write(src, position);
    }

    @Override
    public int append(ByteBuffer src) throws FsException {
        return inner.append(src);
    }

    @Override
    public void truncate(long size) throws FsException {
        inner.truncate(size);
    }

    @Override
    public void allocate(long offset, long length, boolean keepSize) throws FsException {
        inner.allocate(offset, length, keepSize);
    }

    @Override
    public void punchHole(long offset, long length) throws FsException {
        inner.punchHole(offset, length);
    }

    @Override
    public void zeroRange(long offset, long length, boolean keepSize) throws FsException {
        inner.zeroRange(offset, length, keepSize);
    }

    @Override
    public void collapseRange(long offset, long length) throws FsException {
        inner.collapseRange(offset, length);
    }

    @Override
    public void insertRange(long offset, long length) throws FsException {
        inner.insertRange(offset, length);
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long length, Arena arena) throws FsException {
        return inner.map(mode, offset, length, arena);
    }

    @Override
    public void msync(long offset, long length) throws FsException {
        inner.msync(offset, length);
    }

    @Override
    public void fsync() throws FsException {
        inner.fsync();
    }

    @Override
    public void fdatasync() throws FsException {
        inner.fdatasync();
    }

    @Override
    public long size() throws FsException {
        return inner.size();
    }

    @Override
    public Stat stat() throws FsException {
        return inner.stat();
    }

    @Override
    public void setDax(boolean on) throws FsException {
        inner.setDax(on);
    }

    @Override
    public void reopen(boolean append, boolean truncate) throws FsException {
        inner.reopen(append, truncate);
    }

    @Override
    public void remount() throws FsException {
        inner.remount();
    }

    @Override
    public List<Extent> extents() throws FsException {
        return inner.extents();
    }

    @Override
    public void close() throws FsException {
        inner.close();
    }
}
