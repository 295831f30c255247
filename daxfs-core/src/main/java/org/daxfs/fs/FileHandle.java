package org.daxfs.fs;

import java.nio.ByteBuffer;
import org.daxfs.FsException;

/** API SKELETON - bodies being written. */
public final class FileHandle implements AutoCloseable {
    public int read(ByteBuffer dst, long position) throws FsException { throw new UnsupportedOperationException(); }
    public int write(ByteBuffer src, long position) throws FsException { throw new UnsupportedOperationException(); }
    public int append(ByteBuffer src) throws FsException { throw new UnsupportedOperationException(); }
    public long size() throws FsException { throw new UnsupportedOperationException(); }
    public void truncate(long size) throws FsException { throw new UnsupportedOperationException(); }
    public void allocate(long offset, long length, boolean keepSize) throws FsException { throw new UnsupportedOperationException(); }
    public void fsync() throws FsException { throw new UnsupportedOperationException(); }
    public void fdatasync() throws FsException { throw new UnsupportedOperationException(); }
    public Stat stat() throws FsException { throw new UnsupportedOperationException(); }
    @Override public void close() throws FsException { throw new UnsupportedOperationException(); }
}
