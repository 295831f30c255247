package org.daxfs.fs;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.format.Block;
import org.daxfs.format.DirectoryIndex;
import org.daxfs.format.Extent;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.XattrBlock;
import org.daxfs.journal.Transaction;

/**
 * A mounted file system reached by inode number, the way the kernel names files to a FUSE server: a
 * directory's inode and a name instead of a path. Same semantics and errors as the path methods of
 * {@link DaxFileSystem}, with two additions the kernel needs:
 *
 * <ul>
 *   <li><b>Holds.</b> {@link #lookup}, {@link #create}, {@link #mkdir}, {@link #mknod}, {@link #symlink},
 *   {@link #link} and {@link #readdir} with attributes each take one hold on the inode they return, as the
 *   kernel's lookup count; {@link #forget} drops them. Like an open handle, a hold keeps an unlinked inode (and
 *   its number) alive, so a number the kernel still knows never names another file.</li>
 *   <li><b>Owners.</b> Creating calls take the owner the caller asks for (the requesting process's uid and
 *   gid); in a set-group-ID directory the group is the directory's and a new directory inherits the bit, as
 *   Linux's local file systems do.</li>
 * </ul>
 *
 * Names are raw bytes, as stored. Permission checks are the caller's (the kernel's, for FUSE).
 *
 * <p>Locking is that of {@link DaxFileSystem}: the namespace lock (shared for lookups and listings, exclusive
 * for changes to names), then inode locks, then journal transactions. Every error is an {@link FsException};
 * a runtime failure below becomes EIO.
 */
public final class ByInode {
    /** {@link #setAttributes} value: leave the mode, owner or group as it is. */
    public static final int KEEP = -1;
    /** {@link #setAttributes} value: leave the size as it is. */
    public static final long KEEP_SIZE = -1;

    private final DaxFileSystem fs;

    ByInode(DaxFileSystem fs) {
        this.fs = fs;
    }

    /** The inode number of the root directory. */
    public long rootIno() {
        return InodeTable.ROOT_INO;
    }

    /**
     * One entry of a directory listing.
     *
     * @param name the name, as stored
     * @param ino the inode it names
     * @param type that inode's type
     * @param cookie where a listing resumes after this entry
     * @param stat the inode's attributes, when asked for (then a hold was taken on it), else null
     */
    public record Entry(byte[] name, long ino, FileType type, long cookie, Stat stat) {
    }

    /** A created (or, without EXCLUSIVE, an existing) file: its attributes and a handle open on it. */
    public record Created(Stat stat, FileHandle handle) {
    }

    /**
     * Changes for {@link #setAttributes}: {@link #KEEP} (mode, uid, gid), {@link #KEEP_SIZE} (size) and
     * {@link DaxFileSystem#UTIME_OMIT} (times) leave an attribute alone; {@link DaxFileSystem#UTIME_NOW} sets
     * a time to now.
     */
    public record AttributeChange(int mode, int uid, int gid, long size, long atime, long mtime) {
        /** No change at all. */
        public static AttributeChange none() {
            return new AttributeChange(KEEP, KEEP, KEEP, KEEP_SIZE, DaxFileSystem.UTIME_OMIT, DaxFileSystem.UTIME_OMIT);
        }

        public AttributeChange withMode(int m) {
            return new AttributeChange(m & 07777, uid, gid, size, atime, mtime);
        }

        public AttributeChange withOwner(int u, int g) {
            return new AttributeChange(mode, u, g, size, atime, mtime);
        }

        public AttributeChange withSize(long s) {
            return new AttributeChange(mode, uid, gid, s, atime, mtime);
        }

        public AttributeChange withTimes(long a, long m) {
            return new AttributeChange(mode, uid, gid, size, a, m);
        }
    }

    // ---- names ---------------------------------------------------------------------------------------

    /** The attributes of what {@code name} names in directory {@code dir}, taking a hold on it. */
    public Stat lookup(long dir, byte[] name) throws FsException {
        fs.checkAlive();
        String where = where(dir, name);
        return inNamespace(false, where, () -> {
            Inode d = directory(dir, where);
            Inode in = childOf(d, name, where);
            if (in == null) {
                throw FsException.of(Errno.ENOENT, where);
            }
            return hold(in, where);
        });
    }

    /** Drops {@code count} holds taken by lookups and creations; an unlinked inode without holds is freed. */
    public void forget(long ino, long count) throws FsException {
        if (count <= 0) {
            return;
        }
        try {
            Inode in = fs.table().find(ino);
            if (in != null) {
                fs.unhold(in, count);
            }
        } catch (RuntimeException e) {
            throw fs.internal(e, where(ino));
        }
    }

    /** The attributes of inode {@code ino}. */
    public Stat getattr(long ino) throws FsException {
        fs.checkAlive();
        try {
            return fs.statOf(live(ino, where(ino)));
        } catch (RuntimeException e) {
            throw fs.internal(e, where(ino));
        }
    }

    /**
     * Up to {@code max} entries of directory {@code dir} after {@code cookie} (0: from the start), "." and ".."
     * not included; entries that share a cookie come in one batch, which may then hold more. With
     * {@code attributes}, each entry carries its inode's attributes and a hold on it (drop the holds of entries
     * not passed on with {@link #forget}).
     */
    public List<Entry> readdir(long dir, long cookie, int max, boolean attributes) throws FsException {
        fs.checkAlive();
        String where = where(dir);
        return inNamespace(false, where, () -> {
            Inode d = directory(dir, where);
            List<Entry> out = new ArrayList<>();
            try {
                for (DirectoryIndex.Entry e : fs.directoryOf(fs.journal().committed(), d).list(cookie, max)) {
                    FileType type = FileType.ofMode(e.type() << 12);
                    if (type == null) {
                        throw FsException.atOffset(Errno.EUCLEAN, -1, "directory entry of unknown type " + e.type());
                    }
                    Stat st = null;
                    if (attributes) {
                        st = hold(fs.table().get(e.ino()), where);
                    }
                    out.add(new Entry(e.name(), e.ino(), type, e.cookie(), st));
                }
            } catch (FsException | RuntimeException e) {
                for (Entry held : out) {
                    if (held.stat() != null) {
                        forget(held.ino(), 1);
                    }
                }
                throw e;
            }
            return out;
        });
    }

    /**
     * Opens inode {@code ino}, as {@link DaxFileSystem#open} opens a path: READ and WRITE as asked (READ if
     * neither), TRUNCATE empties a regular file, DIRECTORY requires a directory. CREATE and EXCLUSIVE are
     * {@link #create}'s; NOFOLLOW is meaningless here (a symlink is never opened: ELOOP).
     */
    public FileHandle open(long ino, Set<OpenFlag> flags) throws FsException {
        fs.checkAlive();
        Set<OpenFlag> f = accessOf(flags);
        String where = where(ino);
        if (writes(f) && fs.isReadOnly()) {
            throw FsException.of(Errno.EROFS, where);
        }
        Inode in = inNamespace(false, where, () -> {
            Inode target = live(ino, where);
            checkOpenable(target, f, where);
            openCount(target, where);
            return target;
        });
        return fs.handleOn(in, f, where, true);
    }

    /**
     * Creates regular file {@code name} in {@code dir} with permissions {@code mode}, owned by {@code uid} and
     * {@code gid}, and opens it with {@code flags} (WRITE, READ, TRUNCATE as {@link #open}). If the name exists
     * the call fails with EEXIST when {@code flags} has EXCLUSIVE, else opens what is there. Takes a hold on
     * the file, besides the handle.
     */
    public Created create(long dir, byte[] name, int mode, int uid, int gid, Set<OpenFlag> flags) throws FsException {
        fs.checkWritable();
        Set<OpenFlag> f = accessOf(flags);
        String where = where(dir, name);
        boolean[] existed = {false};
        Inode in = inNamespace(true, where, () -> {
            Inode d = directory(dir, where);
            Inode target = childOf(d, name, where);
            if (target != null) {
                if (f.contains(OpenFlag.EXCLUSIVE)) {
                    throw FsException.of(Errno.EEXIST, where);
                }
                checkOpenable(target, f, where);
                existed[0] = true;
            } else {
                target = createIn(d, name, FileType.REGULAR.modeBits() | (mode & 07777), null, where, uid, gid);
            }
            openCount(target, where);
            return target;
        });
        FileHandle h = fs.handleOn(in, f, where, existed[0]);
        try {
            return new Created(hold(in, where), h);
        } catch (FsException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /**
     * Creates a node after mknod(2). DaxFS stores regular files, directories and symlinks only: any other type
     * (device, FIFO, socket) fails with EPERM. Takes a hold on the new file.
     */
    public Stat mknod(long dir, byte[] name, int mode, int uid, int gid) throws FsException {
        int type = mode & FileType.S_IFMT;
        if (type != 0 && type != FileType.REGULAR.modeBits()) {
            throw FsException.of(Errno.EPERM, where(dir, name), "only regular files, directories and symlinks are stored");
        }
        return createNode(dir, name, FileType.REGULAR.modeBits() | (mode & 07777), null, uid, gid);
    }

    /** Creates directory {@code name} in {@code dir}; takes a hold on it. */
    public Stat mkdir(long dir, byte[] name, int mode, int uid, int gid) throws FsException {
        return createNode(dir, name, FileType.DIRECTORY.modeBits() | (mode & 07777), null, uid, gid);
    }

    /** Creates symlink {@code name} in {@code dir} pointing to {@code target}; takes a hold on it. */
    public Stat symlink(long dir, byte[] name, byte[] target, int uid, int gid) throws FsException {
        String where = where(dir, name);
        if (target.length == 0) {
            throw FsException.of(Errno.ENOENT, where, "empty symlink target");
        }
        if (target.length >= PathWalker.PATH_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG, where);
        }
        return createNode(dir, name, FileType.SYMLINK.modeBits() | 0777, target.clone(), uid, gid);
    }

    private Stat createNode(long dir, byte[] name, int mode, byte[] target, int uid, int gid) throws FsException {
        fs.checkWritable();
        String where = where(dir, name);
        return inNamespace(true, where, () -> {
            Inode d = directory(dir, where);
            if (childOf(d, name, where) != null) {
                throw FsException.of(Errno.EEXIST, where);
            }
            return hold(createIn(d, name, mode, target, where, uid, gid), where);
        });
    }

    /** Context: namespace lock exclusive; {@code name} is not in {@code d}. */
    private Inode createIn(Inode d, byte[] name, int mode, byte[] target, String where, int uid, int gid)
            throws FsException {
        PathWalker.checkNewName(name, where);
        if (d.record.nlink == 0) {
            throw FsException.of(Errno.ENOENT, where, "directory was removed");
        }
        int group = gid;
        int m = mode;
        if ((d.record.mode & 02000) != 0) {
            // A set-group-ID directory gives its group to what is created in it, and the bit to subdirectories.
            group = d.record.gid;
            if (FileType.ofMode(mode) == FileType.DIRECTORY) {
                m |= 02000;
            }
        }
        return fs.createNode(d, name, m, target, where, uid, group);
    }

    /** Makes {@code newName} in {@code newDir} a new name of inode {@code ino}; takes a hold on it. */
    public Stat link(long ino, long newDir, byte[] newName) throws FsException {
        fs.checkWritable();
        String where = where(newDir, newName);
        return inNamespace(true, where, () -> {
            Inode target = live(ino, where(ino));
            if (target.isDirectory()) {
                throw FsException.of(Errno.EPERM, where, "hard links to directories are not allowed");
            }
            Inode parent = directory(newDir, where);
            if (childOf(parent, newName, where) != null) {
                throw FsException.of(Errno.EEXIST, where);
            }
            PathWalker.checkNewName(newName, where);
            if (parent.record.nlink == 0) {
                throw FsException.of(Errno.ENOENT, where, "directory was removed");
            }
            long t = fs.now();
            target.lock.writeLock().lock();
            try (Transaction txn = fs.journal().begin()) {
                if (target.record.nlink >= DaxFileSystem.MAX_LINKS) {
                    throw FsException.of(Errno.EMLINK, where(ino));
                }
                if (target.record.nlink == 0) {
                    throw FsException.of(Errno.ENOENT, where(ino));
                }
                parent.joinTransaction(txn);
                target.joinTransaction(txn);
                fs.directoryOf(txn, parent).add(newName, target.ino, DaxFileSystem.direntType(target));
                target.record.nlink++;
                target.record.ctime = t;
                parent.record.mtime = t;
                parent.record.ctime = t;
                fs.table().write(txn, parent);
                fs.table().write(txn, target);
                txn.commit();
            } finally {
                target.lock.writeLock().unlock();
            }
            return hold(target, where);
        });
    }

    /** Removes name {@code name} (not a directory) from {@code dir}. */
    public void unlink(long dir, byte[] name) throws FsException {
        fs.checkWritable();
        String where = where(dir, name);
        Inode victim = inNamespace(true, where, () -> {
            Inode parent = directory(dir, where);
            Inode target = namedIn(parent, name, where);
            if (target.isDirectory()) {
                throw FsException.of(Errno.EISDIR, where);
            }
            fs.removeName(parent, name, target);
            return target;
        });
        fs.freeIfUnused(victim);
    }

    /** Removes the empty directory {@code name} from {@code dir}. */
    public void rmdir(long dir, byte[] name) throws FsException {
        fs.checkWritable();
        String where = where(dir, name);
        Inode victim = inNamespace(true, where, () -> {
            Inode parent = directory(dir, where);
            if (Arrays.equals(name, PathWalker.DOT)) {
                throw FsException.of(Errno.EINVAL, where);
            }
            if (Arrays.equals(name, PathWalker.DOTDOT)) {
                throw FsException.of(Errno.ENOTEMPTY, where);
            }
            Inode d = namedIn(parent, name, where);
            if (!d.isDirectory()) {
                throw FsException.of(Errno.ENOTDIR, where);
            }
            fs.removeDirectory(parent, name, d, where);
            return d;
        });
        fs.freeIfUnused(victim);
    }

    /** Renames after renameat2(2): {@code name} in {@code dir} becomes {@code newName} in {@code newDir}. */
    public void rename(long dir, byte[] name, long newDir, byte[] newName, RenameFlag... flags) throws FsException {
        fs.checkWritable();
        Set<RenameFlag> f = flags.length == 0 ? EnumSet.noneOf(RenameFlag.class) : EnumSet.copyOf(Arrays.asList(flags));
        String from = where(dir, name);
        String to = where(newDir, newName);
        if (f.contains(RenameFlag.EXCHANGE) && f.contains(RenameFlag.NOREPLACE)) {
            throw FsException.of(Errno.EINVAL, from, "EXCHANGE and NOREPLACE together");
        }
        Inode victim = inNamespace(true, from, () -> {
            Inode sp = directory(dir, from);
            Inode dp = directory(newDir, to);
            PathWalker.Location src = new PathWalker.Location(sp, name, childOf(sp, name, from), false);
            PathWalker.Location dst = new PathWalker.Location(dp, newName, childOf(dp, newName, to), false);
            if (dst.target() == null && !dst.isDotOrDotDot()) {
                PathWalker.checkNewName(newName, to);
                if (dp.record.nlink == 0) {
                    throw FsException.of(Errno.ENOENT, to, "directory was removed");
                }
            }
            return fs.renames().rename(src, dst, f, from, to, fs.now());
        });
        if (victim != null) {
            fs.freeIfUnused(victim);
        }
    }

    /** The target of symlink {@code ino}, as stored. */
    public byte[] readlink(long ino) throws FsException {
        fs.checkAlive();
        String where = where(ino);
        try {
            Inode link = live(ino, where);
            if (link.type() != FileType.SYMLINK) {
                throw FsException.of(Errno.EINVAL, where, "not a symlink");
            }
            link.lock.readLock().lock();
            try {
                int len = (int) link.record.size;
                if (len <= 0 || len >= PathWalker.PATH_MAX) {
                    throw FsException.atOffset(Errno.EUCLEAN, -1, "symlink inode " + ino + " has bad length " + len);
                }
                byte[] b = new byte[len];
                if ((link.record.flags & InodeRecord.FLAG_INLINE) != 0) {
                    if (len > DaxFileSystem.INLINE_SYMLINK_MAX) {
                        throw FsException.atOffset(Errno.EUCLEAN, -1, "symlink inode " + ino + " has bad length " + len);
                    }
                    System.arraycopy(link.record.root, 0, b, 0, len);
                } else {
                    fs.data().read(link, 0, MemorySegment.ofArray(b));
                }
                return b;
            } finally {
                link.lock.readLock().unlock();
            }
        } catch (RuntimeException e) {
            throw fs.internal(e, where);
        }
    }

    // ---- attributes ----------------------------------------------------------------------------------

    /**
     * Changes attributes of inode {@code ino} (no symlink is followed): first the size (as ftruncate(2); EISDIR
     * for a directory, EINVAL for a symlink), then owner and group (which clear set-user-ID, and set-group-ID
     * when group-executable, of a non-directory, as chown(2)), then the mode, then the times, in one transaction;
     * the change time becomes now.
     *
     * @return the attributes after the change
     */
    public Stat setAttributes(long ino, AttributeChange c) throws FsException {
        fs.checkWritable();
        String where = where(ino);
        if (c.size() != KEEP_SIZE) {
            Inode in = inNamespace(false, where, () -> live(ino, where));
            if (in.isDirectory()) {
                throw FsException.of(Errno.EISDIR, where);
            }
            if (in.type() != FileType.REGULAR) {
                throw FsException.of(Errno.EINVAL, where, "size of a symlink");
            }
            try (FileHandle h = open(ino, EnumSet.of(OpenFlag.WRITE))) {
                h.truncate(c.size());
            }
        }
        boolean others = c.mode() != KEEP || c.uid() != KEEP || c.gid() != KEEP
                || c.atime() != DaxFileSystem.UTIME_OMIT || c.mtime() != DaxFileSystem.UTIME_OMIT;
        if (others) {
            changeAttributes(ino, (txn, in, t) -> {
                if (c.uid() != KEEP) {
                    in.record.uid = c.uid();
                }
                if (c.gid() != KEEP) {
                    in.record.gid = c.gid();
                }
                if (!in.isDirectory() && (c.uid() != KEEP || c.gid() != KEEP)) {
                    in.record.mode &= ~04000;
                    if ((in.record.mode & 00010) != 0) {
                        in.record.mode &= ~02000;
                    }
                }
                if (c.mode() != KEEP) {
                    in.record.mode = (in.record.mode & FileType.S_IFMT) | (c.mode() & 07777);
                }
                if (c.atime() != DaxFileSystem.UTIME_OMIT) {
                    in.record.atime = c.atime() == DaxFileSystem.UTIME_NOW ? t : c.atime();
                }
                if (c.mtime() != DaxFileSystem.UTIME_OMIT) {
                    in.record.mtime = c.mtime() == DaxFileSystem.UTIME_NOW ? t : c.mtime();
                }
            });
        }
        return getattr(ino);
    }

    /** Sets the user-settable per-file flags ({@link Stat#FLAG_DAX}) of inode {@code ino}. */
    public void setFlags(long ino, int flags) throws FsException {
        if ((flags & ~InodeRecord.USER_FLAGS) != 0) {
            throw FsException.of(Errno.EINVAL, where(ino), "unknown flags 0x" + Integer.toHexString(flags));
        }
        fs.checkWritable();
        String where = where(ino);
        inNamespace(false, where, () -> {
            fs.changeFlags(live(ino, where), flags);
            return null;
        });
    }

    private interface Change {
        void apply(Transaction txn, Inode in, long now) throws FsException;
    }

    private void changeAttributes(long ino, Change change) throws FsException {
        fs.checkWritable();
        String where = where(ino);
        inNamespace(false, where, () -> {
            Inode in = live(ino, where);
            in.lock.writeLock().lock();
            try (Transaction txn = fs.journal().begin()) {
                if (in.freed) {
                    throw FsException.of(Errno.ENOENT, where);
                }
                long t = fs.now();
                in.joinTransaction(txn);
                change.apply(txn, in, t);
                in.record.ctime = t;
                fs.table().write(txn, in);
                txn.commit();
            } finally {
                in.lock.writeLock().unlock();
            }
            return null;
        });
    }

    // ---- extended attributes -----------------------------------------------------------------------

    /** The value of extended attribute {@code name} of inode {@code ino}; ENODATA if it has none. */
    public byte[] getXattr(long ino, String name) throws FsException {
        ExtendedAttributes.checkName(where(ino), name);
        byte[] v = xattrsOf(ino).get(name);
        if (v == null) {
            throw FsException.of(Errno.ENODATA, where(ino), name);
        }
        return v;
    }

    /** Names of the extended attributes of inode {@code ino}. */
    public List<String> listXattrs(long ino) throws FsException {
        return new ArrayList<>(xattrsOf(ino).keySet());
    }

    /** Sets an extended attribute; flags {@link DaxFileSystem#XATTR_CREATE} / {@link DaxFileSystem#XATTR_REPLACE}. */
    public void setXattr(long ino, String name, byte[] value, int flags) throws FsException {
        String where = where(ino);
        ExtendedAttributes.checkName(where, name);
        if (value.length > XattrBlock.CAPACITY) {
            throw FsException.of(Errno.E2BIG, where, "attribute value too large");
        }
        updateXattrs(ino, attrs -> {
            boolean exists = attrs.containsKey(name);
            if ((flags & DaxFileSystem.XATTR_CREATE) != 0 && exists) {
                throw FsException.of(Errno.EEXIST, where, name);
            }
            if ((flags & DaxFileSystem.XATTR_REPLACE) != 0 && !exists) {
                throw FsException.of(Errno.ENODATA, where, name);
            }
            attrs.put(name, value.clone());
        });
    }

    public void removeXattr(long ino, String name) throws FsException {
        String where = where(ino);
        ExtendedAttributes.checkName(where, name);
        updateXattrs(ino, attrs -> {
            if (attrs.remove(name) == null) {
                throw FsException.of(Errno.ENODATA, where, name);
            }
        });
    }

    private Map<String, byte[]> xattrsOf(long ino) throws FsException {
        fs.checkAlive();
        String where = where(ino);
        return inNamespace(false, where, () -> {
            Inode in = live(ino, where);
            in.lock.readLock().lock();
            try {
                return ExtendedAttributes.read(fs.journal().committed(), in);
            } finally {
                in.lock.readLock().unlock();
            }
        });
    }

    private interface XattrChange {
        void apply(Map<String, byte[]> attrs) throws FsException;
    }

    /** Reads the inode's extended attributes, lets {@code change} edit them, stores them: one transaction. */
    private void updateXattrs(long ino, XattrChange change) throws FsException {
        changeAttributes(ino, (txn, in, t) -> {
            Map<String, byte[]> attrs = ExtendedAttributes.read(txn, in);
            change.apply(attrs);
            ExtendedAttributes.store(txn, in, attrs);
        });
    }

    // ---- data ------------------------------------------------------------------------------------------

    /** The extents of inode {@code ino}, like filefrag, in file order. */
    public List<Extent> extents(long ino) throws FsException {
        fs.checkAlive();
        String where = where(ino);
        return inNamespace(false, where, () -> {
            Inode in = live(ino, where);
            in.lock.readLock().lock();
            try {
                if ((in.record.flags & InodeRecord.FLAG_INLINE) != 0) {
                    return List.<Extent>of();
                }
                List<Extent> all = new ArrayList<>(in.tree(fs.journal().committed()).all());
                all.sort(Comparator.comparingLong(Extent::logical));
                return all;
            } finally {
                in.lock.readLock().unlock();
            }
        });
    }

    /**
     * lseek(2) with SEEK_DATA ({@code data}) or SEEK_HOLE from {@code offset} in regular file {@code ino}: the
     * first offset at or after it that holds data, or that lies in a hole (the end of file counts as one).
     * Preallocated (unwritten) blocks count as holes, as on ext4 and XFS. ENXIO if {@code offset} is negative
     * or not before the end of file, or (SEEK_DATA) no data follows.
     */
    public long seek(long ino, long offset, boolean data) throws FsException {
        fs.checkAlive();
        String where = where(ino);
        return inNamespace(false, where, () -> {
            Inode in = live(ino, where);
            if (in.isDirectory()) {
                throw FsException.of(Errno.EINVAL, where, "SEEK_DATA/SEEK_HOLE in a directory");
            }
            in.lock.readLock().lock();
            try {
                long size = in.record.size;
                if (offset < 0 || offset >= size) {
                    throw FsException.atOffset(Errno.ENXIO, offset, "at or past the end of file");
                }
                List<Extent> written = new ArrayList<>();
                if ((in.record.flags & InodeRecord.FLAG_INLINE) == 0) {
                    for (Extent e : in.tree(fs.journal().committed()).all()) {
                        if (!e.unwritten()) {
                            written.add(e);
                        }
                    }
                } else {
                    return data ? offset : size;
                }
                written.sort(Comparator.comparingLong(Extent::logical));
                if (data) {
                    for (Extent e : written) {
                        if (e.end() * Block.SIZE > offset) {
                            long at = Math.max(offset, e.logical() * Block.SIZE);
                            if (at >= size) {
                                break;
                            }
                            return at;
                        }
                    }
                    throw FsException.atOffset(Errno.ENXIO, offset, "no data after this offset");
                }
                long pos = offset;
                for (Extent e : written) {
                    long start = e.logical() * Block.SIZE;
                    long end = e.end() * Block.SIZE;
                    if (end <= pos) {
                        continue;
                    }
                    if (start > pos) {
                        break;
                    }
                    pos = end;
                }
                return Math.min(pos, size);
            } finally {
                in.lock.readLock().unlock();
            }
        });
    }

    /**
     * Copies up to {@code length} bytes from {@code from} at {@code fromOffset} to {@code to} at
     * {@code toOffset}, as copy_file_range(2): stops at the end of the source; EINVAL if the two ranges of one
     * file overlap. Holes of the source are copied as zeros.
     *
     * @return bytes copied
     */
    public long copyRange(FileHandle from, long fromOffset, FileHandle to, long toOffset, long length)
            throws FsException {
        if (fromOffset < 0 || toOffset < 0 || length < 0) {
            throw FsException.atOffset(Errno.EINVAL, Math.min(fromOffset, toOffset), "negative offset or length");
        }
        long size = from.size();
        long end = Math.min(size, fromOffset + Math.min(length, Long.MAX_VALUE - fromOffset));
        if (fromOffset >= end) {
            return 0;
        }
        if (from.inode() == to.inode() && fromOffset < toOffset + (end - fromOffset) && toOffset < end) {
            throw FsException.atOffset(Errno.EINVAL, toOffset, "source and target ranges overlap");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(1 << 20, end - fromOffset));
        long done = 0;
        while (fromOffset + done < end) {
            buf.clear().limit((int) Math.min(buf.capacity(), end - fromOffset - done));
            int n = from.read(buf, fromOffset + done);
            if (n <= 0) {
                break;
            }
            buf.flip();
            long at = toOffset + done;
            while (buf.hasRemaining()) {
                int w = to.write(buf, at);
                if (w <= 0) {
                    throw FsException.atOffset(Errno.ENOSPC, at, "short copy");
                }
                at += w;
            }
            done += n;
        }
        return done;
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static Set<OpenFlag> accessOf(Set<OpenFlag> flags) {
        Set<OpenFlag> f = flags.isEmpty() ? EnumSet.of(OpenFlag.READ) : EnumSet.copyOf(flags);
        if (!f.contains(OpenFlag.READ) && !f.contains(OpenFlag.WRITE)) {
            f.add(OpenFlag.READ);
        }
        return f;
    }

    private static boolean writes(Set<OpenFlag> f) {
        return f.contains(OpenFlag.WRITE) || f.contains(OpenFlag.TRUNCATE) || f.contains(OpenFlag.CREATE);
    }

    private static void checkOpenable(Inode in, Set<OpenFlag> f, String where) throws FsException {
        if (in.type() == FileType.SYMLINK) {
            throw FsException.of(Errno.ELOOP, where);
        }
        if (f.contains(OpenFlag.DIRECTORY) && !in.isDirectory()) {
            throw FsException.of(Errno.ENOTDIR, where);
        }
        if (in.isDirectory() && (f.contains(OpenFlag.WRITE) || f.contains(OpenFlag.TRUNCATE))) {
            throw FsException.of(Errno.EISDIR, where);
        }
    }

    /** Counts one more open of {@code in}. Context: namespace lock held. */
    private static void openCount(Inode in, String where) throws FsException {
        in.lock.writeLock().lock();
        try {
            if (in.freed) {
                throw FsException.of(Errno.ENOENT, where);
            }
            in.opens++;
        } finally {
            in.lock.writeLock().unlock();
        }
    }

    /** Takes a hold on {@code in} and returns its attributes. Context: namespace lock held. */
    private Stat hold(Inode in, String where) throws FsException {
        in.lock.writeLock().lock();
        try {
            if (in.freed) {
                throw FsException.of(Errno.ENOENT, where);
            }
            in.opens++;
            return fs.withDaxState(in, in.stat());
        } finally {
            in.lock.writeLock().unlock();
        }
    }

    /** The inode numbered {@code ino}, or ENOENT if none is in use. */
    private Inode live(long ino, String where) throws FsException {
        Inode in = fs.table().find(ino);
        if (in == null) {
            throw FsException.of(Errno.ENOENT, where, "no inode " + ino);
        }
        return in;
    }

    /** The directory numbered {@code ino}: ENOENT if none, ENOTDIR if not a directory. */
    private Inode directory(long ino, String where) throws FsException {
        Inode d = live(ino, where);
        if (!d.isDirectory()) {
            throw FsException.of(Errno.ENOTDIR, where);
        }
        return d;
    }

    /** What {@code name} names in {@code dir}, never "." or "..": ENOENT if nothing. */
    private Inode namedIn(Inode dir, byte[] name, String where) throws FsException {
        if (Arrays.equals(name, PathWalker.DOT) || Arrays.equals(name, PathWalker.DOTDOT)) {
            throw FsException.of(Errno.EINVAL, where, "\".\" or \"..\"");
        }
        Inode in = childOf(dir, name, where);
        if (in == null) {
            throw FsException.of(Errno.ENOENT, where);
        }
        return in;
    }

    /** What {@code name} names in {@code dir}, or null; ENAMETOOLONG for a name too long to exist. */
    private Inode childOf(Inode dir, byte[] name, String where) throws FsException {
        if (name.length > PathWalker.NAME_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG, where);
        }
        if (name.length == 0) {
            throw FsException.of(Errno.ENOENT, where, "empty name");
        }
        return fs.child(dir, name);
    }

    private interface Work<T> {
        T run() throws FsException;
    }

    private <T> T inNamespace(boolean exclusive, String where, Work<T> work) throws FsException {
        Lock lock = exclusive ? fs.namespaceLock().writeLock() : fs.namespaceLock().readLock();
        lock.lock();
        try {
            return work.run();
        } catch (FsException e) {
            throw e.withPath(where);
        } catch (RuntimeException e) {
            throw fs.internal(e, where);
        } finally {
            lock.unlock();
        }
    }

    /** How errors name an inode: "inode 12". */
    private static String where(long ino) {
        return "inode " + ino;
    }

    /** How errors name a name in a directory: "inode 12/name". */
    private static String where(long dir, byte[] name) {
        return "inode " + dir + "/" + new String(name, StandardCharsets.UTF_8);
    }
}
