package org.daxfs.stress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.daxfs.FsException;
import org.daxfs.format.Extent;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.MapMode;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.Stat;

/** A {@link TestedFile} on DaxFS: one path, one open handle, on the current file system of a {@link Mount}. */
final class DaxFile implements TestedFile {
    private final Mount mount;
    private final String path;
    private final boolean writable;
    private FileHandle handle;
    private boolean appending;

    private DaxFile(Mount mount, String path, boolean writable) {
        this.mount = mount;
        this.path = path;
        this.writable = writable;
    }

    /** Opens {@code path} for reading and writing, creating it if need be. */
    static DaxFile open(Mount mount, String path) throws FsException {
        DaxFile f = new DaxFile(mount, path, true);
        f.handle = mount.fs().open(path, f.flags(false, false), 0644);
        return f;
    }

    /** Opens an existing {@code path} for reading only (the readers of disrupt mode). */
    static DaxFile openReadOnly(Mount mount, String path) throws FsException {
        DaxFile f = new DaxFile(mount, path, false);
        f.handle = mount.fs().open(path, OpenFlag.READ);
        return f;
    }

    private Set<OpenFlag> flags(boolean append, boolean truncate) {
        Set<OpenFlag> flags = EnumSet.of(OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
        if (append) {
            flags.add(OpenFlag.APPEND);
        }
        if (truncate) {
            flags.add(OpenFlag.TRUNCATE);
        }
        return flags;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws FsException {
        return handle.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws FsException {
        return handle.write(src, position);
    }

    @Override
    public int append(ByteBuffer src) throws FsException {
        return handle.append(src);
    }

    @Override
    public void truncate(long size) throws FsException {
        handle.truncate(size);
    }

    @Override
    public void allocate(long offset, long length, boolean keepSize) throws FsException {
        handle.allocate(offset, length, keepSize);
    }

    @Override
    public void punchHole(long offset, long length) throws FsException {
        handle.punchHole(offset, length);
    }

    @Override
    public void zeroRange(long offset, long length, boolean keepSize) throws FsException {
        handle.zeroRange(offset, length, keepSize);
    }

    @Override
    public void collapseRange(long offset, long length) throws FsException {
        handle.collapseRange(offset, length);
    }

    @Override
    public void insertRange(long offset, long length) throws FsException {
        handle.insertRange(offset, length);
    }

    @Override
    public MemorySegment map(MapMode mode, long offset, long length, Arena arena) throws FsException {
        return handle.map(mode, offset, length, arena);
    }

    @Override
    public void msync(long offset, long length) throws FsException {
        handle.msync(offset, length);
    }

    @Override
    public void fsync() throws FsException {
        handle.fsync();
    }

    @Override
    public void fdatasync() throws FsException {
        handle.fdatasync();
    }

    @Override
    public long size() throws FsException {
        return handle.size();
    }

    @Override
    public Stat stat() throws FsException {
        return handle.stat();
    }

    @Override
    public void setDax(boolean on) throws FsException {
        mount.fs().setFlags(path, on ? Stat.FLAG_DAX : 0);
    }

    @Override
    public void reopen(boolean append, boolean truncate) throws FsException {
        handle.close();
        handle = mount.fs().open(path, writable ? flags(append, truncate) : EnumSet.of(OpenFlag.READ), 0644);
        appending = append;
    }

    @Override
    public void remount() throws FsException {
        handle.close();
        mount.remount();
        handle = mount.fs().open(path, writable ? flags(appending, false) : EnumSet.of(OpenFlag.READ), 0644);
    }

    @Override
    public List<Extent> extents() throws FsException {
        return mount.fs().extents(path);
    }

    @Override
    public void close() throws FsException {
        handle.close();
    }
}
