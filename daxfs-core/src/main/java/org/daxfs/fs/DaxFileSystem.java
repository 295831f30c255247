package org.daxfs.fs;

import java.util.List;
import java.util.Set;
import org.daxfs.FsException;
import org.daxfs.device.Device;

/** API SKELETON - bodies being written. */
public final class DaxFileSystem implements AutoCloseable {
    /** Formats the device (destroys its contents). */
    public static void format(Device device, FormatOptions options) throws FsException { throw new UnsupportedOperationException(); }

    /** Mounts: checks the superblock, replays the journal, processes orphans. */
    public static DaxFileSystem mount(Device device, MountOptions options) throws FsException { throw new UnsupportedOperationException(); }

    public ImageInfo info() throws FsException { throw new UnsupportedOperationException(); }
    /** Reads the superblock of an unmounted image. */
    public static ImageInfo info(Device device) throws FsException { throw new UnsupportedOperationException(); }
    public Device device() { throw new UnsupportedOperationException(); }

    public FileHandle open(String path, Set<OpenFlag> flags, int mode) throws FsException { throw new UnsupportedOperationException(); }
    public FileHandle open(String path, OpenFlag... flags) throws FsException { throw new UnsupportedOperationException(); }
    public void mkdir(String path, int mode) throws FsException { throw new UnsupportedOperationException(); }
    public void rmdir(String path) throws FsException { throw new UnsupportedOperationException(); }
    public void unlink(String path) throws FsException { throw new UnsupportedOperationException(); }
    public List<DirEntry> readdir(String path) throws FsException { throw new UnsupportedOperationException(); }
    public List<DirEntry> readdir(String path, long cookie, int max) throws FsException { throw new UnsupportedOperationException(); }
    public void rename(String from, String to, RenameFlag... flags) throws FsException { throw new UnsupportedOperationException(); }
    public void link(String existing, String newPath) throws FsException { throw new UnsupportedOperationException(); }
    public void symlink(String target, String linkPath) throws FsException { throw new UnsupportedOperationException(); }
    public String readlink(String path) throws FsException { throw new UnsupportedOperationException(); }
    public Stat stat(String path) throws FsException { throw new UnsupportedOperationException(); }
    public Stat lstat(String path) throws FsException { throw new UnsupportedOperationException(); }
    public void chmod(String path, int mode) throws FsException { throw new UnsupportedOperationException(); }
    public void chown(String path, int uid, int gid) throws FsException { throw new UnsupportedOperationException(); }
    public void utimes(String path, long atimeNanos, long mtimeNanos) throws FsException { throw new UnsupportedOperationException(); }
    public void truncate(String path, long size) throws FsException { throw new UnsupportedOperationException(); }
    public StatFs statfs() throws FsException { throw new UnsupportedOperationException(); }
    public void sync() throws FsException { throw new UnsupportedOperationException(); }
    public List<org.daxfs.format.Extent> extents(String path) throws FsException { throw new UnsupportedOperationException(); }
    @Override public void close() throws FsException { throw new UnsupportedOperationException(); }
}
