package org.daxfs.fs;

import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.format.DirectoryIndex;
import org.daxfs.format.MetadataBlocks;
import org.daxfs.journal.Journal;
import org.daxfs.journal.Transaction;

/**
 * rename and renameat2(2): moving a name, replacing a target ({@link RenameFlag#NOREPLACE} refuses),
 * or exchanging two ({@link RenameFlag#EXCHANGE}), with Linux's checks and errors, in one transaction.
 * A replaced inode left with no links goes on the orphan list in that same transaction; the caller frees it
 * once no handle holds it.
 *
 * <p>Context: the namespace lock held exclusive (so at most one rename runs, and the two inode locks it
 * takes cannot be taken in the other order by anyone else).
 */
final class Renames {
    private final Journal journal;
    private final InodeTable table;
    private final Orphans orphans;
    private final long hashSeed;

    Renames(Journal journal, InodeTable table, Orphans orphans, long hashSeed) {
        this.journal = journal;
        this.table = table;
        this.orphans = orphans;
        this.hashSeed = hashSeed;
    }

    /**
     * Renames {@code src} to {@code dst} (both resolved without following a final symlink).
     *
     * @return a replaced inode left with no links, or null
     */
    Inode rename(PathWalker.Location src, PathWalker.Location dst, Set<RenameFlag> flags, String from, String to,
                 long now) throws FsException {
        boolean exchange = flags.contains(RenameFlag.EXCHANGE);
        boolean noReplace = flags.contains(RenameFlag.NOREPLACE);
        if (src.name() == null || dst.name() == null || src.isDotOrDotDot() || dst.isDotOrDotDot()) {
            throw FsException.of(Errno.EBUSY, src.name() == null || src.isDotOrDotDot() ? from : to);
        }
        Inode s = src.target();
        Inode d = dst.target();
        if (s == null) {
            throw FsException.of(Errno.ENOENT, from);
        }
        if (d == null && exchange) {
            throw FsException.of(Errno.ENOENT, to);
        }
        if (d != null && noReplace) {
            throw FsException.of(Errno.EEXIST, to);
        }
        if (!s.isDirectory() && (src.trailingSlash() || (d == null && dst.trailingSlash()))) {
            throw FsException.of(Errno.ENOTDIR, src.trailingSlash() ? from : to);
        }
        if (s == d) {
            return null; // two names of one inode: nothing to do, as rename(2) says
        }
        if (d != null && !exchange) {
            if (s.isDirectory() && !d.isDirectory()) {
                throw FsException.of(Errno.ENOTDIR, to);
            }
            if (!s.isDirectory() && d.isDirectory()) {
                throw FsException.of(Errno.EISDIR, to);
            }
            if (d.isDirectory() && index(journal.committed(), d).count() != 0) {
                throw FsException.of(Errno.ENOTEMPTY, to);
            }
        }
        if (s.isDirectory() && isAncestorOrSelf(s, dst.parent())) {
            throw FsException.of(Errno.EINVAL, to, "cannot move a directory into itself");
        }
        if (exchange && d.isDirectory() && isAncestorOrSelf(d, src.parent())) {
            throw FsException.of(Errno.EINVAL, from, "cannot move a directory into itself");
        }
        return apply(src, dst, exchange, now);
    }

    /** Context: namespace lock exclusive; checks done. Returns a replaced inode left with no links. */
    private Inode apply(PathWalker.Location src, PathWalker.Location dst, boolean exchange, long t) throws FsException {
        Inode s = src.target();
        Inode d = dst.target();
        Inode sp = src.parent();
        Inode dp = dst.parent();
        Inode victim = null;
        s.lock.writeLock().lock();
        if (d != null) {
            d.lock.writeLock().lock();
        }
        try (Transaction txn = journal.begin()) {
            for (Inode in : new Inode[] {sp, dp, s, d}) {
                if (in != null) {
                    in.joinTransaction(txn);
                }
            }
            DirectoryIndex srcIndex = index(txn, sp);
            DirectoryIndex dstIndex = sp == dp ? srcIndex : index(txn, dp);
            if (exchange) {
                srcIndex.replace(src.name(), d.ino, DaxFileSystem.direntType(d));
                dstIndex.replace(dst.name(), s.ino, DaxFileSystem.direntType(s));
                if (sp != dp) {
                    moveDirectory(s, sp, dp);
                    moveDirectory(d, dp, sp);
                }
                d.record.ctime = t;
            } else {
                if (d != null) {
                    dstIndex.replace(dst.name(), s.ino, DaxFileSystem.direntType(s));
                    if (d.isDirectory()) {
                        d.record.nlink = 0;
                        dp.record.nlink--;
                    } else {
                        d.record.nlink--;
                    }
                    d.record.ctime = t;
                    if (d.record.nlink == 0) {
                        orphans.add(txn, d);
                        victim = d;
                    }
                } else {
                    dstIndex.add(dst.name(), s.ino, DaxFileSystem.direntType(s));
                }
                srcIndex.remove(src.name());
                if (sp != dp) {
                    moveDirectory(s, sp, dp);
                }
            }
            s.record.ctime = t;
            for (Inode p : sp == dp ? new Inode[] {sp} : new Inode[] {sp, dp}) {
                p.record.mtime = t;
                p.record.ctime = t;
            }
            for (Inode in : new Inode[] {sp, sp == dp ? null : dp, s, d}) {
                if (in != null) {
                    table.write(txn, in);
                }
            }
            txn.commit();
        } finally {
            if (d != null) {
                d.lock.writeLock().unlock();
            }
            s.lock.writeLock().unlock();
        }
        return victim;
    }

    /** A directory moving from {@code from} to {@code to}: its ".." and both link counts follow. */
    private static void moveDirectory(Inode in, Inode from, Inode to) {
        if (in.isDirectory()) {
            in.record.parent = to.ino;
            from.record.nlink--;
            to.record.nlink++;
        }
    }

    /** True if {@code dir} is {@code node} or one of its ancestors. Context: namespace lock held. */
    private boolean isAncestorOrSelf(Inode dir, Inode node) throws FsException {
        Inode cur = node;
        for (int depth = 0; depth < 1_000_000; depth++) {
            if (cur == dir) {
                return true;
            }
            if (cur.ino == InodeTable.ROOT_INO) {
                return false;
            }
            cur = table.get(cur.record.parent);
        }
        throw FsException.atOffset(Errno.EUCLEAN, -1, "directory parents form a loop");
    }

    private DirectoryIndex index(MetadataBlocks mb, Inode dir) {
        return new DirectoryIndex(new DirectoryBlocks(mb, dir.ino, dir.record), hashSeed);
    }
}
