package org.daxfs.fs;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.cache.FilePages;
import org.daxfs.cache.PageCache;
import org.daxfs.dax.AddressSpace;
import org.daxfs.device.Device;
import org.daxfs.format.Allocator;
import org.daxfs.format.Block;
import org.daxfs.format.DirectoryIndex;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.format.Superblock;
import org.daxfs.format.XattrBlock;
import org.daxfs.journal.Journal;
import org.daxfs.journal.Transaction;
import org.daxfs.locking.LockRank;
import org.daxfs.locking.RankedReadWriteLock;

/**
 * A mounted DaxFS: files and directories over one {@link Device}, reached by path.
 *
 * <h2>Lock order (outermost first)</h2>
 * <pre>
 *   namespace lock       shared: path lookups, readdir, stat; exclusive: create, link, unlink, rename, mkdir,
 *                        rmdir, symlink (directory contents and directory records change only under it)
 *     inode lock         {@link Inode#lock}: exclusive for writes, truncate, fallocate, writable mappings,
 *                        attribute changes, fsync and freeing; shared to build the extent cache
 *       invalidate lock  {@link Inode#invalidateLock}: shared for reads (instead of the inode lock), writes,
 *                        preallocation, faults and mappings; exclusive across revoke, change extents and
 *                        free in truncate, punch, zero, collapse and insert range and freeing
 *         journal lock   held by a {@link Transaction} from begin to commit/abort
 *           allocator    a leaf monitor
 *           mapping entry lock (org.daxfs.dax), one at a time or a run in ascending order
 *             device read-side section, taken inside each device call
 * </pre>
 * Never take the namespace lock while holding an inode lock, and never begin a transaction while holding
 * a mapping entry or page lock. The whole order, with the levels of the file layers below, is written at the
 * top of {@link org.daxfs.locking.LockOrder}; with {@code -Ddaxfs.lockorder=true} (as the tests run) every
 * acquisition is checked against it.
 *
 * <h2>Failure</h2>
 * Every error is an {@link FsException} with an errno and the path concerned. If the device dies or a
 * commit fails half-way, the file system shuts down: every later call fails with EIO, nothing hangs.
 *
 * <p>The file system does not own the device: close the device after closing the file system.
 */
public final class DaxFileSystem implements AutoCloseable {
    /** {@link #utimes} value: set the time to now. */
    public static final long UTIME_NOW = Long.MIN_VALUE + 1;
    /** {@link #utimes} value: leave the time as it is. */
    public static final long UTIME_OMIT = Long.MIN_VALUE + 2;
    /** {@link #setXattr} flag: fail with EEXIST if the attribute exists. */
    public static final int XATTR_CREATE = 1;
    /** {@link #setXattr} flag: fail with ENODATA if the attribute does not exist. */
    public static final int XATTR_REPLACE = 2;
    /** Longest symlink target stored in the inode itself. */
    static final int INLINE_SYMLINK_MAX = InodeRecord.ROOT_SIZE;
    static final int MAX_LINKS = 65000;

    private final Device device;
    private final MountOptions options;
    private final Journal journal;
    private final Allocator allocator;
    private final InodeTable table;
    private final Orphans orphans;
    private final FileData data;
    private final long hashSeed;
    private final PathWalker walker;
    private final Renames renames;
    private final RankedReadWriteLock namespace = new RankedReadWriteLock(LockRank.NAMESPACE, "namespace");
    /** Which files are DAX, resolved for this device. */
    private final DaxMode daxMode;
    /** The page cache of files that are not DAX, made when the first such file is used. Guarded by this. */
    private PageCache cache;
    private volatile FsException shutdown;
    private volatile boolean closed;
    /** Registered with the device while mounted; removed at unmount so the device does not keep us. */
    private final Runnable onDeviceKilled = () -> {
        shutdown(FsException.of(Errno.EIO, null, "device removed"));
        revokeMappings("device removed");
    };
    /** How long a range operation waits for pins on its range before failing with EBUSY. */
    private volatile long pinTimeoutNanos = TimeUnit.SECONDS.toNanos(30);

    private DaxFileSystem(Device device, MountOptions options, Journal journal, Allocator allocator, long hashSeed) {
        this.device = device;
        this.options = options;
        this.daxMode = options.dax() != null ? options.dax() : device.isDirectAccess() ? DaxMode.INODE : DaxMode.NEVER;
        this.journal = journal;
        this.allocator = allocator;
        this.table = new InodeTable(journal, allocator);
        this.orphans = new Orphans(table);
        this.data = new FileData(device, journal, allocator, table, orphans);
        this.hashSeed = hashSeed;
        this.renames = new Renames(journal, table, orphans, hashSeed);
        this.walker = new PathWalker(new PathWalker.Lookup() {
            @Override
            public Inode root() throws FsException {
                return table.get(InodeTable.ROOT_INO);
            }

            @Override
            public Inode lookup(Inode dir, byte[] name) throws FsException {
                return lookupIn(dir, name);
            }

            @Override
            public String readlink(Inode link) throws FsException {
                return readlinkOf(link);
            }
        });
    }

    // ---- format and mount ---------------------------------------------------------------------------

    /** Formats the device, destroying what it held. */
    public static void format(Device device, FormatOptions options) throws FsException {
        Formatter.format(device, options == null ? FormatOptions.defaults() : options);
    }

    /**
     * Mounts: replays the journal, checks the superblock and bitmap, and finishes work left on the orphan
     * list by a crash. A damaged or foreign image is refused with one clear message.
     */
    public static DaxFileSystem mount(Device device, MountOptions options) throws FsException {
        if (options.dax() == DaxMode.ALWAYS && !device.isDirectAccess()) {
            throw FsException.of(Errno.EINVAL, null, "dax=always needs a direct-access device, not " + device.describe());
        }
        try {
            boolean ro = options.readOnly() || device.isReadOnly();
            Journal journal = Journal.recover(device, ro);
            MetadataBlocks committed = journal.committed();
            Superblock sb = Superblock.verify(committed.read(Superblock.BLOCK_NUMBER), device.size());
            if (sb.journalBlocks() != journal.blocks()) {
                throw FsException.atOffset(Errno.EUCLEAN, 0, "superblock and journal header disagree on the journal size");
            }
            Allocator allocator = Allocator.load(committed, sb);
            journal.attach(allocator);
            DaxFileSystem fs = new DaxFileSystem(device, options.withReadOnly(ro), journal, allocator, sb.hashSeed());
            Inode root = fs.table.get(InodeTable.ROOT_INO);
            if (!root.isDirectory()) {
                throw FsException.atOffset(Errno.EUCLEAN, 0, "root inode is not a directory");
            }
            journal.onFailure(() -> fs.shutdown(FsException.of(Errno.EIO, null, "journal commit failed")));
            device.onKill(fs.onDeviceKilled);
            if (!ro) {
                fs.markMounted(sb);
                fs.finishOrphans();
            }
            return fs;
        } catch (RuntimeException e) {
            throw FsException.wrap(Errno.EUCLEAN, null, -1, "damaged image: " + e, e);
        }
    }

    private void markMounted(Superblock committedSb) throws FsException {
        try (Transaction txn = journal.begin()) {
            Superblock sb = new Superblock(txn.modify(Superblock.BLOCK_NUMBER));
            sb.setState(Superblock.STATE_DIRTY);
            sb.setMountCount(committedSb.mountCount() + 1);
            sb.setLastMount(now());
            if (sb.freeBlocks() != allocator.freeBlocks()) {
                sb.setFreeBlocks(allocator.freeBlocks());
            }
            txn.commit();
        }
    }

    /** Finishes what the orphan list records: frees unlinked inodes, trims interrupted truncates. */
    private void finishOrphans() throws FsException {
        for (long ino : Orphans.list(journal.committed(), table)) {
            Inode in = table.get(ino);
            in.onOrphanList = true;
            in.lock.writeLock().lock();
            try {
                if (in.record.nlink == 0) {
                    freeInode(in);
                } else {
                    // Only a file's truncate is ever left here with links; a directory or symlink on the
                    // list with links comes from damage, and trimming it to its size would destroy it.
                    if (in.type() == FileType.REGULAR) {
                        data.removeFrom(in, (in.record.size + Block.SIZE - 1) / Block.SIZE);
                    }
                    try (Transaction txn = journal.begin()) {
                        orphans.remove(txn, in);
                        txn.commit();
                    }
                }
            } finally {
                in.lock.writeLock().unlock();
            }
        }
    }

    /** The device this file system lives on. */
    public Device device() {
        return device;
    }

    /** True if mounted read-only. */
    public boolean isReadOnly() {
        return options.readOnly();
    }

    /** What the superblock says, with current usage. */
    public ImageInfo info() throws FsException {
        checkAlive();
        return infoOf(new Superblock(journal.committed().read(Superblock.BLOCK_NUMBER)));
    }

    /** Reads the superblock of an unmounted image (replaying nothing). */
    public static ImageInfo info(Device device) throws FsException {
        byte[] raw = new byte[Block.SIZE];
        if (device.size() < Block.SIZE) {
            throw FsException.atOffset(Errno.EINVAL, 0, "not a DaxFS image (too small)");
        }
        device.read(0, raw, 0, Block.SIZE);
        return infoOf(Superblock.verify(new Block(0, raw), device.size()));
    }

    private static ImageInfo infoOf(Superblock sb) {
        return new ImageInfo(sb.uuid(), sb.version(), ((long) sb.incompatFeatures() << 32) | sb.compatFeatures(),
                Block.SIZE, sb.totalBlocks(), sb.freeBlocks(), sb.journalBlocks(), sb.tableInodes(),
                sb.freeInodes(), sb.state() == Superblock.STATE_CLEAN, sb.formattedAt());
    }

    // ---- files ------------------------------------------------------------------------------------

    /**
     * Opens (and with CREATE, creates) a file, after open(2). Without READ or WRITE the file is opened
     * for reading. {@code mode} gives the permissions of a created file.
     */
    public FileHandle open(String path, Set<OpenFlag> flags, int mode) throws FsException {
        checkAlive();
        Set<OpenFlag> f = flags.isEmpty() ? EnumSet.of(OpenFlag.READ) : EnumSet.copyOf(flags);
        if (!f.contains(OpenFlag.READ) && !f.contains(OpenFlag.WRITE)) {
            f.add(OpenFlag.READ);
        }
        boolean create = f.contains(OpenFlag.CREATE);
        boolean exclusive = create && f.contains(OpenFlag.EXCLUSIVE);
        boolean writes = f.contains(OpenFlag.WRITE) || f.contains(OpenFlag.TRUNCATE) || create;
        if (writes && options.readOnly()) {
            throw FsException.of(Errno.EROFS, path);
        }
        ReentrantReadWriteLock.ReadLock shared = namespace.readLock();
        ReentrantReadWriteLock.WriteLock excl = namespace.writeLock();
        Inode in;
        boolean existed;
        if (create) {
            excl.lock();
        } else {
            shared.lock();
        }
        try {
            PathWalker.Location loc = walker.locate(path, !f.contains(OpenFlag.NOFOLLOW) && !exclusive);
            in = loc.target();
            existed = in != null;
            if (in == null) {
                if (!create) {
                    throw FsException.of(Errno.ENOENT, path);
                }
                if (loc.trailingSlash()) {
                    throw FsException.of(Errno.EISDIR, path);
                }
                PathWalker.checkNewName(loc.name(), path);
                in = createNode(loc.parent(), loc.name(), FileType.REGULAR.modeBits() | (mode & 07777), null, path);
            } else {
                if (exclusive) {
                    throw FsException.of(Errno.EEXIST, path);
                }
                if (in.type() == FileType.SYMLINK) {
                    throw FsException.of(Errno.ELOOP, path);
                }
                if (f.contains(OpenFlag.DIRECTORY) && !in.isDirectory()) {
                    throw FsException.of(Errno.ENOTDIR, path);
                }
                if (in.isDirectory() && (f.contains(OpenFlag.WRITE) || f.contains(OpenFlag.TRUNCATE))) {
                    throw FsException.of(Errno.EISDIR, path);
                }
            }
            in.lock.writeLock().lock();
            try {
                in.opens++;
            } finally {
                in.lock.writeLock().unlock();
            }
        } catch (RuntimeException e) {
            throw internal(e, path);
        } finally {
            if (create) {
                excl.unlock();
            } else {
                shared.unlock();
            }
        }
        return handleOn(in, f, path, existed);
    }

    /** A handle on {@code in}, whose open was counted; truncated first if asked and the file existed. */
    FileHandle handleOn(Inode in, Set<OpenFlag> f, String path, boolean existed) throws FsException {
        FileHandle handle = new FileHandle(this, in, f, path);
        if (existed && f.contains(OpenFlag.TRUNCATE) && in.type() == FileType.REGULAR) {
            try {
                handle.truncate(0);
            } catch (FsException e) {
                handle.close();
                throw e;
            }
        }
        return handle;
    }

    /**
     * Removes the name {@code name} of {@code target} (not a directory) from {@code parent}; a last link
     * puts the inode on the orphan list until its last close. Context: namespace lock exclusive.
     */
    void removeName(Inode parent, byte[] name, Inode target) throws FsException {
        long t = now();
        target.lock.writeLock().lock();
        try (Transaction txn = journal.begin()) {
            parent.joinTransaction(txn);
            target.joinTransaction(txn);
            index(txn, parent).remove(name);
            parent.record.mtime = t;
            parent.record.ctime = t;
            target.record.nlink--;
            target.record.ctime = t;
            table.write(txn, parent);
            table.write(txn, target);
            if (target.record.nlink == 0) {
                orphans.add(txn, target);
            }
            txn.commit();
        } finally {
            target.lock.writeLock().unlock();
        }
    }

    /**
     * Removes the directory {@code dir}, named {@code name} in {@code parent}, if it is empty (else
     * ENOTEMPTY). Context: namespace lock exclusive.
     */
    void removeDirectory(Inode parent, byte[] name, Inode dir, String where) throws FsException {
        if (index(journal.committed(), dir).count() != 0) {
            throw FsException.of(Errno.ENOTEMPTY, where);
        }
        long t = now();
        dir.lock.writeLock().lock();
        try (Transaction txn = journal.begin()) {
            parent.joinTransaction(txn);
            dir.joinTransaction(txn);
            index(txn, parent).remove(name);
            parent.record.nlink--;
            parent.record.mtime = t;
            parent.record.ctime = t;
            dir.record.nlink = 0;
            dir.record.ctime = t;
            table.write(txn, parent);
            orphans.add(txn, dir);
            txn.commit();
        } finally {
            dir.lock.writeLock().unlock();
        }
    }

    /** Opens with default permissions 0644 for a created file. */
    public FileHandle open(String path, OpenFlag... flags) throws FsException {
        return open(path, flags.length == 0 ? EnumSet.of(OpenFlag.READ) : EnumSet.copyOf(Arrays.asList(flags)), 0644);
    }

    /** Sets the size of the file at {@code path} (following symlinks). */
    public void truncate(String path, long size) throws FsException {
        try (FileHandle h = open(path, OpenFlag.WRITE)) {
            h.truncate(size);
        }
    }

    // ---- directories ------------------------------------------------------------------------------

    public void mkdir(String path, int mode) throws FsException {
        checkWritable();
        inNamespace(true, path, () -> {
            PathWalker.Location loc = walker.locate(path, false);
            if (loc.target() != null || loc.name() == null) {
                throw FsException.of(Errno.EEXIST, path);
            }
            PathWalker.checkNewName(loc.name(), path);
            createNode(loc.parent(), loc.name(), FileType.DIRECTORY.modeBits() | (mode & 07777), null, path);
            return null;
        });
    }

    public void rmdir(String path) throws FsException {
        checkWritable();
        Inode victim = inNamespace(true, path, () -> {
            PathWalker.Location loc = walker.locate(path, false);
            Inode dir = loc.target();
            if (loc.name() == null) {
                throw FsException.of(Errno.EBUSY, path, "cannot remove the root directory");
            }
            if (Arrays.equals(loc.name(), PathWalker.DOT)) {
                throw FsException.of(Errno.EINVAL, path);
            }
            if (Arrays.equals(loc.name(), PathWalker.DOTDOT)) {
                throw FsException.of(Errno.ENOTEMPTY, path);
            }
            if (dir == null) {
                throw FsException.of(Errno.ENOENT, path);
            }
            if (!dir.isDirectory()) {
                throw FsException.of(Errno.ENOTDIR, path);
            }
            removeDirectory(loc.parent(), loc.name(), dir, path);
            return dir;
        });
        releaseIfUnused(victim);
    }

    /** Every entry of a directory except "." and "..". */
    public List<DirEntry> readdir(String path) throws FsException {
        List<DirEntry> all = new ArrayList<>();
        long cookie = 0;
        while (true) {
            List<DirEntry> page = readdir(path, cookie, 4096);
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            cookie = page.get(page.size() - 1).cookie();
        }
    }

    /**
     * Up to {@code max} entries after {@code cookie} (0: from the start), "." and ".." not included.
     * Entries that stay in the directory while it is listed are returned exactly once.
     */
    public List<DirEntry> readdir(String path, long cookie, int max) throws FsException {
        checkAlive();
        return inNamespace(false, path, () -> {
            Inode dir = walker.locate(path, true).target();
            if (dir == null) {
                throw FsException.of(Errno.ENOENT, path);
            }
            if (!dir.isDirectory()) {
                throw FsException.of(Errno.ENOTDIR, path);
            }
            List<DirEntry> out = new ArrayList<>();
            for (DirectoryIndex.Entry e : index(journal.committed(), dir).list(cookie, max)) {
                out.add(new DirEntry(new String(e.name(), StandardCharsets.UTF_8), e.ino(), typeOfDirent(e.type()), e.cookie()));
            }
            return out;
        });
    }

    // ---- names ------------------------------------------------------------------------------------

    public void unlink(String path) throws FsException {
        checkWritable();
        Inode victim = inNamespace(true, path, () -> {
            PathWalker.Location loc = walker.locate(path, false);
            Inode target = loc.target();
            if (target == null) {
                throw FsException.of(loc.name() == null ? Errno.EISDIR : Errno.ENOENT, path);
            }
            if (target.isDirectory()) {
                throw FsException.of(Errno.EISDIR, path);
            }
            if (loc.trailingSlash()) {
                throw FsException.of(Errno.ENOTDIR, path);
            }
            removeName(loc.parent(), loc.name(), target);
            return target;
        });
        releaseIfUnused(victim);
    }

    /** Renames, after renameat2(2): replaces an existing target unless NOREPLACE; EXCHANGE swaps the two. */
    public void rename(String from, String to, RenameFlag... flags) throws FsException {
        checkWritable();
        Set<RenameFlag> f = flags.length == 0 ? EnumSet.noneOf(RenameFlag.class) : EnumSet.copyOf(Arrays.asList(flags));
        boolean exchange = f.contains(RenameFlag.EXCHANGE);
        boolean noReplace = f.contains(RenameFlag.NOREPLACE);
        if (exchange && noReplace) {
            throw FsException.of(Errno.EINVAL, from, "EXCHANGE and NOREPLACE together");
        }
        Inode victim = inNamespace(true, from, () ->
                renames.rename(walker.locate(from, false), walker.locate(to, false), f, from, to, now()));
        if (victim != null) {
            releaseIfUnused(victim);
        }
    }

    /** Makes {@code newPath} a new name of the file at {@code existing} (not followed if a symlink). */
    public void link(String existing, String newPath) throws FsException {
        checkWritable();
        inNamespace(true, newPath, () -> {
            Inode target = walker.locate(existing, false).target();
            if (target == null) {
                throw FsException.of(Errno.ENOENT, existing);
            }
            if (target.isDirectory()) {
                throw FsException.of(Errno.EPERM, existing, "hard links to directories are not allowed");
            }
            PathWalker.Location loc = walker.locate(newPath, false);
            if (loc.target() != null || loc.name() == null) {
                throw FsException.of(Errno.EEXIST, newPath);
            }
            if (loc.trailingSlash()) {
                throw FsException.of(Errno.ENOENT, newPath);
            }
            PathWalker.checkNewName(loc.name(), newPath);
            Inode parent = loc.parent();
            long t = now();
            target.lock.writeLock().lock();
            try (Transaction txn = journal.begin()) {
                if (target.record.nlink >= MAX_LINKS) {
                    throw FsException.of(Errno.EMLINK, existing);
                }
                if (target.record.nlink == 0) {
                    throw FsException.of(Errno.ENOENT, existing);
                }
                parent.joinTransaction(txn);
                target.joinTransaction(txn);
                index(txn, parent).add(loc.name(), target.ino, direntType(target));
                target.record.nlink++;
                target.record.ctime = t;
                parent.record.mtime = t;
                parent.record.ctime = t;
                table.write(txn, parent);
                table.write(txn, target);
                txn.commit();
            } finally {
                target.lock.writeLock().unlock();
            }
            return null;
        });
    }

    public void symlink(String target, String linkPath) throws FsException {
        checkWritable();
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw FsException.of(Errno.ENOENT, linkPath, "empty symlink target");
        }
        if (bytes.length >= PathWalker.PATH_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG, linkPath);
        }
        inNamespace(true, linkPath, () -> {
            PathWalker.Location loc = walker.locate(linkPath, false);
            if (loc.target() != null || loc.name() == null) {
                throw FsException.of(Errno.EEXIST, linkPath);
            }
            PathWalker.checkNewName(loc.name(), linkPath);
            createNode(loc.parent(), loc.name(), FileType.SYMLINK.modeBits() | 0777, bytes, linkPath);
            return null;
        });
    }

    public String readlink(String path) throws FsException {
        checkAlive();
        return inNamespace(false, path, () -> {
            Inode in = existing(path, false);
            if (in.type() != FileType.SYMLINK) {
                throw FsException.of(Errno.EINVAL, path, "not a symlink");
            }
            return readlinkOf(in);
        });
    }

    /**
     * Creates an inode of {@code mode}'s type named {@code name} in {@code parent}, in one transaction.
     * A symlink's target is stored inline when short, else in one data block written (and flushed) before
     * the transaction. Context: namespace lock exclusive.
     */
    private Inode createNode(Inode parent, byte[] name, int mode, byte[] symlinkTarget, String path) throws FsException {
        return createNode(parent, name, mode, symlinkTarget, path, options.uid(), options.gid());
    }

    /** As above, owned by {@code uid} and {@code gid}. Context: namespace lock exclusive. */
    Inode createNode(Inode parent, byte[] name, int mode, byte[] symlinkTarget, String path, int uid, int gid)
            throws FsException {
        checkWritable();
        long t = now();
        FileType type = FileType.ofMode(mode);
        long[] run = null;
        if (symlinkTarget != null && symlinkTarget.length > INLINE_SYMLINK_MAX) {
            run = allocator.reserve(0, 1, true, false);
            try {
                device.zero(run[0] * Block.SIZE, Block.SIZE);
                device.write(run[0] * Block.SIZE, symlinkTarget, 0, symlinkTarget.length);
                device.persist(run[0] * Block.SIZE, Block.SIZE);
            } catch (FsException e) {
                allocator.unreserve(run[0], run[1]);
                throw e;
            }
        }
        boolean claimed = false;
        try (Transaction txn = journal.begin()) {
            InodeRecord r = new InodeRecord();
            r.mode = mode;
            r.nlink = type == FileType.DIRECTORY ? 2 : 1;
            r.uid = uid;
            r.gid = gid;
            r.atime = r.mtime = r.ctime = r.btime = t;
            r.parent = parent.ino;
            r.flags = parent.record.flags & InodeRecord.FLAG_DAX;
            ExtentTree.initRoot(r.root);
            Inode in = table.allocate(txn, r);
            if (symlinkTarget != null) {
                r.size = symlinkTarget.length;
                if (run == null) {
                    r.flags |= InodeRecord.FLAG_INLINE;
                    Arrays.fill(r.root, (byte) 0);
                    System.arraycopy(symlinkTarget, 0, r.root, 0, symlinkTarget.length);
                } else {
                    txn.claim(run[0], 1);
                    claimed = true;
                    in.tree(txn).insert(new Extent(0, run[0], 1, false));
                    r.blocks = 1;
                }
            }
            if (type == FileType.DIRECTORY) {
                DirectoryIndex.format(new DirectoryBlocks(txn, in.ino, in.record));
            }
            table.write(txn, in);
            parent.joinTransaction(txn);
            index(txn, parent).add(name, in.ino, direntType(in));
            if (type == FileType.DIRECTORY) {
                parent.record.nlink++;
            }
            parent.record.mtime = t;
            parent.record.ctime = t;
            table.write(txn, parent);
            txn.commit();
            return in;
        } catch (FsException | RuntimeException e) {
            if (run != null && !claimed) {
                allocator.unreserve(run[0], run[1]);
            }
            throw e;
        }
    }

    // ---- attributes -------------------------------------------------------------------------------

    /** Attributes of what {@code path} names, following a final symlink. */
    public Stat stat(String path) throws FsException {
        return statOf(path, true);
    }

    /** Attributes of what {@code path} names; a final symlink is not followed. */
    public Stat lstat(String path) throws FsException {
        return statOf(path, false);
    }

    private Stat statOf(String path, boolean follow) throws FsException {
        checkAlive();
        return inNamespace(false, path, () -> {
            Inode in = existing(path, follow);
            return statOf(in);
        });
    }

    Stat statOf(Inode in) {
        in.lock.readLock().lock();
        try {
            return withDaxState(in, in.stat());
        } finally {
            in.lock.readLock().unlock();
        }
    }

    /** {@code st} with {@link Stat#FLAG_DAX_ACTIVE} if the file is DAX now. Context: inode lock held. */
    Stat withDaxState(Inode in, Stat st) {
        if (in.type() != FileType.REGULAR || !isDax(in)) {
            return st;
        }
        return new Stat(st.ino(), st.mode(), st.nlink(), st.uid(), st.gid(), st.size(), st.blocks(), st.atime(),
                st.mtime(), st.ctime(), st.btime(), st.flags() | Stat.FLAG_DAX_ACTIVE);
    }

    /** Sets the permission bits (07777). */
    public void chmod(String path, int mode) throws FsException {
        changeAttributes(path, true, (in, t) -> {
            in.record.mode = (in.record.mode & FileType.S_IFMT) | (mode & 07777);
        });
    }

    /** Sets owner and group; -1 leaves one unchanged. Not followed through a final symlink: see lchown. */
    public void chown(String path, int uid, int gid) throws FsException {
        changeAttributes(path, true, (in, t) -> {
            if (uid != -1) {
                in.record.uid = uid;
            }
            if (gid != -1) {
                in.record.gid = gid;
            }
            if (!in.isDirectory() && (uid != -1 || gid != -1)) {
                // As Linux's chown does: set-user-ID goes, and set-group-ID when group-executable.
                in.record.mode &= ~04000;
                if ((in.record.mode & 00010) != 0) {
                    in.record.mode &= ~02000;
                }
            }
        });
    }

    /**
     * Sets access and modification times (ns since the epoch, or {@link #UTIME_NOW} / {@link #UTIME_OMIT}).
     * The change time becomes now.
     */
    public void utimes(String path, long atimeNanos, long mtimeNanos) throws FsException {
        changeAttributes(path, true, (in, t) -> {
            if (atimeNanos != UTIME_OMIT) {
                in.record.atime = atimeNanos == UTIME_NOW ? t : atimeNanos;
            }
            if (mtimeNanos != UTIME_OMIT) {
                in.record.mtime = mtimeNanos == UTIME_NOW ? t : mtimeNanos;
            }
        });
    }

    /** Sets the user-settable per-file flags (Stat.FLAG_DAX). */
    public void setFlags(String path, int flags) throws FsException {
        if ((flags & ~InodeRecord.USER_FLAGS) != 0) {
            throw FsException.of(Errno.EINVAL, path, "unknown flags 0x" + Integer.toHexString(flags));
        }
        checkWritable();
        inNamespace(false, path, () -> {
            changeFlags(existing(path, true), flags);
            return null;
        });
    }

    /**
     * Sets the user-settable flags of {@code in}. If that changes whether a regular file is DAX, the file
     * switches mode while holding its inode lock and invalidate lock exclusive (rule 5 of DESIGN.md): pins
     * are waited for, every mapping is revoked and the address space retired, cached pages are written
     * back and dropped, and only then does the flag change; every read, write, fault and mapping runs
     * wholly before or wholly after. Context: namespace lock held (shared is enough).
     *
     * @throws FsException EBUSY if a pin outlived the pin timeout (nothing changed), ENOENT if freed
     */
    void changeFlags(Inode in, int flags) throws FsException {
        in.lock.writeLock().lock();
        try {
            if (in.freed) {
                throw FsException.of(Errno.ENOENT, null);
            }
            int updated = (in.record.flags & ~InodeRecord.USER_FLAGS) | flags;
            boolean switching = in.type() == FileType.REGULAR && isDax(in) != isDax(updated);
            if (!switching) {
                writeFlags(in, updated);
                return;
            }
            in.invalidateLock.lockExclusive();
            try {
                leaveMode(in);
                writeFlags(in, updated);
            } finally {
                in.invalidateLock.unlockExclusive();
            }
        } finally {
            in.lock.writeLock().unlock();
        }
    }

    private void writeFlags(Inode in, int flags) throws FsException {
        try (Transaction txn = journal.begin()) {
            long t = now();
            in.joinTransaction(txn);
            in.record.flags = flags;
            in.record.ctime = t;
            table.write(txn, in);
            txn.commit();
        }
    }

    /**
     * Leaves the file's current mode: waits for pins, revokes every mapping and retires the address space,
     * writes back and drops cached pages. Context: inode lock and invalidate lock exclusive.
     */
    private void leaveMode(Inode in) throws FsException {
        AddressSpace space = in.space;
        if (space != null) {
            space.invalidate(0, Long.MAX_VALUE, pinTimeoutNanos, "DAX mode switch");
            space.retire();
            in.space = null;
        }
        FilePages pages = in.pages;
        if (pages != null) {
            data.cachedExtents(in);
            pages.dropAll();
        }
    }

    /** The mount's DAX mode ({@code dax=}), resolved for the device. */
    public DaxMode daxMode() {
        return daxMode;
    }

    /** True if the regular file {@code in} is DAX now. Context: inode lock or invalidate lock held. */
    boolean isDax(Inode in) {
        return isDax(in.record.flags);
    }

    private boolean isDax(int flags) {
        return switch (daxMode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case INODE -> device.isDirectAccess() && (flags & InodeRecord.FLAG_DAX) != 0;
        };
    }

    /** The page cache, made on first use. */
    synchronized PageCache cache() throws FsException {
        if (cache == null) {
            cache = new PageCache(options.cacheBytes(), device.describe());
        }
        return cache;
    }

    /** The cached pages of {@code in}, made on first use. Context: the file is not DAX; a lock of it held. */
    FilePages pagesOf(Inode in) throws FsException {
        FilePages p = in.pages;
        if (p == null) {
            PageCache c = cache();
            synchronized (in) {
                p = in.pages;
                if (p == null) {
                    p = c.open(new InodePages(this, in));
                    in.pages = p;
                }
            }
        }
        return p;
    }

    /** True while changes may be written (mounted read-write, not shut down). */
    boolean isWritableNow() {
        return shutdown == null && !closed && !options.readOnly();
    }

    /** The page cache if one was made (for tests and diagnostics), else null. */
    public synchronized PageCache pageCache() {
        return cache;
    }

    private interface AttributeChange {
        void apply(Inode in, long now) throws FsException;
    }

    private void changeAttributes(String path, boolean follow, AttributeChange change) throws FsException {
        checkWritable();
        inNamespace(false, path, () -> {
            Inode in = existing(path, follow);
            in.lock.writeLock().lock();
            try (Transaction txn = journal.begin()) {
                long t = now();
                in.joinTransaction(txn);
                change.apply(in, t);
                in.record.ctime = t;
                table.write(txn, in);
                txn.commit();
            } finally {
                in.lock.writeLock().unlock();
            }
            return null;
        });
    }

    // ---- extended attributes ------------------------------------------------------------------------

    /** The value of extended attribute {@code name}; ENODATA if it has none. */
    public byte[] getXattr(String path, String name) throws FsException {
        ExtendedAttributes.checkName(path, name);
        byte[] v = xattrsOf(path).get(name);
        if (v == null) {
            throw FsException.of(Errno.ENODATA, path, name);
        }
        return v;
    }

    /** Names of the extended attributes. */
    public List<String> listXattrs(String path) throws FsException {
        return new ArrayList<>(xattrsOf(path).keySet());
    }

    /** Sets an extended attribute; flags {@link #XATTR_CREATE} / {@link #XATTR_REPLACE} as setxattr(2). */
    public void setXattr(String path, String name, byte[] value, int flags) throws FsException {
        ExtendedAttributes.checkName(path, name);
        if (value.length > XattrBlock.CAPACITY) {
            throw FsException.of(Errno.E2BIG, path, "attribute value too large");
        }
        updateXattrs(path, attrs -> {
            boolean exists = attrs.containsKey(name);
            if ((flags & XATTR_CREATE) != 0 && exists) {
                throw FsException.of(Errno.EEXIST, path, name);
            }
            if ((flags & XATTR_REPLACE) != 0 && !exists) {
                throw FsException.of(Errno.ENODATA, path, name);
            }
            attrs.put(name, value.clone());
        });
    }

    public void removeXattr(String path, String name) throws FsException {
        ExtendedAttributes.checkName(path, name);
        updateXattrs(path, attrs -> {
            if (attrs.remove(name) == null) {
                throw FsException.of(Errno.ENODATA, path, name);
            }
        });
    }

    private Map<String, byte[]> xattrsOf(String path) throws FsException {
        checkAlive();
        return inNamespace(false, path, () -> {
            Inode in = existing(path, true);
            in.lock.readLock().lock();
            try {
                return ExtendedAttributes.read(journal.committed(), in);
            } finally {
                in.lock.readLock().unlock();
            }
        });
    }

    private interface XattrChange {
        void apply(Map<String, byte[]> attrs) throws FsException;
    }

    private void updateXattrs(String path, XattrChange change) throws FsException {
        checkWritable();
        inNamespace(false, path, () -> {
            Inode in = existing(path, true);
            in.lock.writeLock().lock();
            try (Transaction txn = journal.begin()) {
                in.joinTransaction(txn);
                Map<String, byte[]> attrs = ExtendedAttributes.read(txn, in);
                change.apply(attrs);
                ExtendedAttributes.store(txn, in, attrs);
                in.record.ctime = now();
                table.write(txn, in);
                txn.commit();
            } finally {
                in.lock.writeLock().unlock();
            }
            return null;
        });
    }

    // ---- whole file system ------------------------------------------------------------------------

    public StatFs statfs() throws FsException {
        checkAlive();
        Superblock sb = new Superblock(journal.committed().read(Superblock.BLOCK_NUMBER));
        long growable = Math.max(0, allocator.availableBlocks() / InodeTable.CHUNK_BLOCKS)
                * InodeTable.CHUNK_BLOCKS * InodeRecord.PER_BLOCK;
        return new StatFs(Block.SIZE, sb.totalBlocks(), allocator.freeBlocks(), allocator.availableBlocks(),
                sb.tableInodes() + growable, sb.freeInodes() + growable, PathWalker.NAME_MAX);
    }

    /** The extents of the file at {@code path} (following symlinks), like filefrag. */
    public List<Extent> extents(String path) throws FsException {
        checkAlive();
        return inNamespace(false, path, () -> {
            Inode in = existing(path, true);
            in.lock.readLock().lock();
            try {
                if ((in.record.flags & InodeRecord.FLAG_INLINE) != 0) {
                    return List.<Extent>of();
                }
                return in.tree(journal.committed()).all();
            } finally {
                in.lock.readLock().unlock();
            }
        });
    }

    /** Makes every file's data and attributes durable (sync(2)). */
    public void sync() throws FsException {
        checkAlive();
        if (options.readOnly()) {
            return;
        }
        for (Inode in : table.cached()) {
            in.lock.writeLock().lock();
            try {
                if (!in.freed) {
                    data.fsync(in, false);
                }
            } finally {
                in.lock.writeLock().unlock();
            }
        }
    }

    /**
     * Unmounts: writes everything back, frees files that were unlinked while open, marks the image
     * clean. Handles still open stop working. Does not close the device.
     */
    @Override
    public void close() throws FsException {
        if (closed) {
            return;
        }
        PageCache c = pageCache();
        if (c != null) {
            c.stopWriteback(); // from here on only this thread writes pages back
        }
        try {
            if (shutdown == null && !options.readOnly()) {
                sync();
                for (Inode in : table.cached()) {
                    in.lock.writeLock().lock();
                    try {
                        if (!in.freed && in.record.nlink == 0) {
                            freeInode(in);
                        }
                    } finally {
                        in.lock.writeLock().unlock();
                    }
                }
                try (Transaction txn = journal.begin()) {
                    new Superblock(txn.modify(Superblock.BLOCK_NUMBER)).setState(Superblock.STATE_CLEAN);
                    txn.commit();
                }
                journal.quiesce();
            }
        } catch (RuntimeException e) {
            throw internal(e, null);
        } finally {
            closed = true;
            revokeMappings("file system unmounted");
            device.removeKillListener(onDeviceKilled);
            synchronized (this) {
                if (cache != null) {
                    cache.close();
                }
            }
        }
    }

    /** Revokes every mapping and pin of every file, for good. */
    private void revokeMappings(String reason) {
        for (Inode in : table.cached()) {
            AddressSpace space = in.space;
            if (space != null) {
                space.revokeAll(reason);
            }
        }
    }

    // ---- mappings ------------------------------------------------------------------------------------

    /**
     * How long truncate, punch, collapse, insert and zero range wait for pins on their range before failing
     * with EBUSY (default 30 seconds).
     */
    public void setPinTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative pin timeout " + timeout);
        }
        pinTimeoutNanos = timeout.toNanos();
    }

    long pinTimeoutNanos() {
        return pinTimeoutNanos;
    }

    /** The address space of a regular file, created on first use. Context: inode lock held. */
    AddressSpace spaceOf(Inode in) throws FsException {
        AddressSpace space = in.space;
        if (space == null) {
            boolean dax = isDax(in);
            FilePages pages = dax ? null : pagesOf(in);
            synchronized (in) {
                space = in.space;
                if (space == null) {
                    space = dax ? new AddressSpace(device, new InodeBlockMap(this, in), in.invalidateLock, in.ino)
                            : new AddressSpace(cache().device(), new CachedBlockMap(this, in, pages), in.invalidateLock, in.ino);
                    in.space = space;
                }
            }
        }
        return space;
    }

    /** The inode {@code path} names (for tests). */
    Inode inodeForTests(String path) throws FsException {
        return inNamespace(false, path, () -> existing(path, true));
    }

    /** The mapping state of the file at {@code path} (for tests and diagnostics), or null if never mapped. */
    AddressSpace addressSpaceOf(String path) throws FsException {
        return inNamespace(false, path, () -> existing(path, true).space);
    }

    // ---- the namespace lock ------------------------------------------------------------------------

    /** Work done under the namespace lock; returns a value, or null. */
    private interface NamespaceWork<T> {
        T run() throws FsException;
    }

    /**
     * Runs {@code work} holding the namespace lock, exclusive or shared. Errors get {@code path}; a runtime
     * failure (damaged metadata, a removed device) becomes EIO, never an unchecked exception.
     */
    private <T> T inNamespace(boolean exclusive, String path, NamespaceWork<T> work) throws FsException {
        Lock lock = exclusive ? namespace.writeLock() : namespace.readLock();
        lock.lock();
        try {
            return work.run();
        } catch (FsException e) {
            throw e.withPath(path);
        } catch (RuntimeException e) {
            throw internal(e, path);
        } finally {
            lock.unlock();
        }
    }

    /** What {@code path} names, or ENOENT. Context: namespace lock held. */
    private Inode existing(String path, boolean follow) throws FsException {
        Inode in = walker.locate(path, follow).target();
        if (in == null) {
            throw FsException.of(Errno.ENOENT, path);
        }
        return in;
    }

    // ---- the file system by inode number (ByInode) ---------------------------------------------------

    /**
     * The same file system reached by inode number instead of by path, for front ends that name files the way
     * the kernel does (FUSE).
     */
    public ByInode byInode() {
        return new ByInode(this);
    }

    RankedReadWriteLock namespaceLock() {
        return namespace;
    }

    InodeTable table() {
        return table;
    }

    Journal journal() {
        return journal;
    }

    Renames renames() {
        return renames;
    }

    Orphans orphans() {
        return orphans;
    }

    /** The directory index of {@code dir}, reached through {@code mb}. */
    DirectoryIndex directoryOf(MetadataBlocks mb, Inode dir) {
        return index(mb, dir);
    }

    /** The inode {@code name} names in {@code dir} ("." and ".." included), or null. Context: namespace lock held. */
    Inode child(Inode dir, byte[] name) throws FsException {
        return lookupIn(dir, name);
    }

    /** Frees {@code in} if nothing links or holds it any more. Context: no inode lock held. */
    void freeIfUnused(Inode in) throws FsException {
        releaseIfUnused(in);
    }

    /**
     * Drops {@code count} holds on {@code in} (opens, or a front end's references), freeing it when none is
     * left and it has no links. Context: no inode lock held.
     */
    void unhold(Inode in, long count) throws FsException {
        in.lock.writeLock().lock();
        try {
            in.opens = (int) Math.max(0, in.opens - count);
            if (in.opens == 0 && in.record.nlink == 0 && !in.freed && shutdown == null && !closed) {
                freeInode(in);
            }
        } finally {
            in.lock.writeLock().unlock();
        }
    }

    // ---- internals used by FileHandle ----------------------------------------------------------------

    FileData data() {
        return data;
    }

    long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    void checkAlive() throws FsException {
        FsException s = shutdown;
        if (s != null) {
            throw FsException.wrap(Errno.EIO, null, -1, "file system shut down: " + s.getMessage(), s);
        }
        if (closed) {
            throw FsException.of(Errno.EIO, null, "file system is unmounted");
        }
    }

    void checkWritable() throws FsException {
        checkAlive();
        if (options.readOnly()) {
            throw FsException.of(Errno.EROFS, null);
        }
    }

    void shutdown(FsException cause) {
        if (shutdown == null) {
            shutdown = cause;
        }
    }

    FsException internal(RuntimeException e, String path) {
        if (shutdown != null || !device.isAlive()) {
            return FsException.wrap(Errno.EIO, path, -1, "device removed", e);
        }
        return FsException.wrap(Errno.EIO, path, -1, "internal error: " + e, e);
    }

    /** Called by a handle's close: the last close of an unlinked file frees it. */
    void released(Inode in) throws FsException {
        boolean free;
        in.lock.writeLock().lock();
        try {
            in.opens--;
            free = in.opens == 0 && in.record.nlink == 0 && !in.freed;
            if (!free && in.opens == 0 && shutdown == null && !closed && !options.readOnly()) {
                data.writeBack(in);
            }
            if (free && shutdown == null && !closed) {
                freeInode(in);
            }
        } finally {
            in.lock.writeLock().unlock();
        }
    }

    private void releaseIfUnused(Inode in) throws FsException {
        in.lock.writeLock().lock();
        try {
            if (in.opens == 0 && in.record.nlink == 0 && !in.freed) {
                freeInode(in);
            }
        } finally {
            in.lock.writeLock().unlock();
        }
    }

    /**
     * Gives back an inode with no links and no opens, and all its blocks. Context: inode lock exclusive;
     * the inode is on the orphan list, so a crash part-way is finished at the next mount.
     */
    private void freeInode(Inode in) throws FsException {
        boolean inline = (in.record.flags & InodeRecord.FLAG_INLINE) != 0;
        // Mappings may outlive the last handle: they go (pins too) before the blocks do.
        in.invalidateLock.lockExclusive();
        try {
            AddressSpace space = in.space;
            if (space != null) {
                space.revokeAll("file freed");
            }
            FilePages pages = in.pages;
            if (pages != null) {
                pages.discardAll();
            }
            in.extentCache = null;
            if (!inline) {
                data.removeFrom(in, 0);
            }
        } finally {
            in.invalidateLock.unlockExclusive();
        }
        try (Transaction txn = journal.begin()) {
            in.joinTransaction(txn);
            if (inline) {
                Arrays.fill(in.record.root, (byte) 0);
                ExtentTree.initRoot(in.record.root);
                in.record.flags &= ~InodeRecord.FLAG_INLINE;
            }
            data.releaseRemaining(txn, in);
            orphans.remove(txn, in);
            table.release(txn, in);
            txn.onCommit(() -> in.freed = true);
            txn.commit();
        }
    }

    // ---- directories, by inode ---------------------------------------------------------------------

    private DirectoryIndex index(MetadataBlocks mb, Inode dir) {
        return new DirectoryIndex(new DirectoryBlocks(mb, dir.ino, dir.record), hashSeed);
    }

    /** Context: namespace lock held. */
    private Inode lookupIn(Inode dir, byte[] name) throws FsException {
        if (Arrays.equals(name, PathWalker.DOT)) {
            return dir;
        }
        if (Arrays.equals(name, PathWalker.DOTDOT)) {
            return dir.ino == InodeTable.ROOT_INO ? dir : table.get(dir.record.parent);
        }
        DirectoryIndex.Entry e = index(journal.committed(), dir).lookup(name);
        return e == null ? null : table.get(e.ino());
    }

    private String readlinkOf(Inode link) throws FsException {
        link.lock.readLock().lock();
        try {
            int len = (int) link.record.size;
            if (len <= 0 || len >= PathWalker.PATH_MAX) {
                throw FsException.atOffset(Errno.EUCLEAN, -1, "symlink inode " + link.ino + " has bad length " + len);
            }
            byte[] b = new byte[len];
            if ((link.record.flags & InodeRecord.FLAG_INLINE) != 0) {
                if (len > INLINE_SYMLINK_MAX) {
                    throw FsException.atOffset(Errno.EUCLEAN, -1, "symlink inode " + link.ino + " has bad length " + len);
                }
                System.arraycopy(link.record.root, 0, b, 0, len);
            } else {
                data.read(link, 0, MemorySegment.ofArray(b));
            }
            return new String(b, StandardCharsets.UTF_8);
        } finally {
            link.lock.readLock().unlock();
        }
    }

    static int direntType(Inode in) {
        return (in.record.mode & FileType.S_IFMT) >>> 12;
    }

    private static FileType typeOfDirent(int t) throws FsException {
        FileType f = FileType.ofMode(t << 12);
        if (f == null) {
            throw FsException.atOffset(Errno.EUCLEAN, -1, "directory entry of unknown type " + t);
        }
        return f;
    }

    /** A random 64-bit seed (directory hashing). */
    static long randomSeed() {
        return new SecureRandom().nextLong();
    }

    static UUID randomUuid() {
        return UUID.randomUUID();
    }
}
