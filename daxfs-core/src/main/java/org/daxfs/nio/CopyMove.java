package org.daxfs.nio;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.format.InodeRecord;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.Stat;

/**
 * {@code Files.copy} and {@code Files.move} between paths of DaxFS file systems: within one image, or
 * from one image to another (copies to and from other providers go through {@code Files}' own streams).
 *
 * <p>Copy, as the default provider on Linux: a directory is copied without its entries, a symbolic link
 * is followed unless NOFOLLOW_LINKS; the target is created with the source's permissions; holes stay holes
 * (whole 4 KiB blocks of zeros are not written); COPY_ATTRIBUTES also copies owner, group, times, the DAX
 * flag and the extended attributes (not for a symbolic link itself, which the engine cannot change).
 *
 * <p>Move: ATOMIC_MOVE is rename(2), which replaces an existing target atomically. Otherwise an existing
 * target is an error (FileAlreadyExistsException, through RENAME_NOREPLACE) unless REPLACE_EXISTING, and
 * then it is replaced atomically when it is of the source's kind, or removed first (it must be an empty
 * directory or not a directory) as the JDK does. Between images a move is a copy and a delete.
 *
 * <p>Locks: none.
 */
final class CopyMove {
    /** Bytes copied per step. */
    private static final int CHUNK = 1 << 20;
    private static final int BLOCK = 4096;

    private CopyMove() {
    }

    private record Options(boolean replace, boolean copyAttributes, boolean follow, boolean atomic) {
    }

    private static Options copyOptions(CopyOption... options) {
        boolean replace = false, attrs = false, follow = true;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o == StandardCopyOption.COPY_ATTRIBUTES) {
                attrs = true;
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                follow = false;
            } else {
                throw new UnsupportedOperationException("copy option " + Objects.requireNonNull(o) + " is not supported");
            }
        }
        return new Options(replace, attrs, follow, false);
    }

    private static Options moveOptions(CopyOption... options) {
        boolean replace = false, atomic = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o == StandardCopyOption.ATOMIC_MOVE) {
                atomic = true;
            } else if (o != LinkOption.NOFOLLOW_LINKS) {
                throw new UnsupportedOperationException("move option " + Objects.requireNonNull(o) + " is not supported");
            }
        }
        return new Options(replace, true, false, atomic);
    }

    static void copy(DaxPath source, DaxPath target, CopyOption... options) throws IOException {
        copy(source, target, copyOptions(options));
    }

    private static void copy(DaxPath source, DaxPath target, Options o) throws IOException {
        DaxNioFileSystem from = source.getFileSystem();
        DaxNioFileSystem to = target.getFileSystem();
        from.checkOpen();
        to.checkWritable();
        Stat st = from.stat(source, o.follow());
        Stat existing = to.statIfExists(target, false);
        if (existing != null) {
            if (from == to && existing.ino() == st.ino()) {
                return; // the same file
            }
            if (!o.replace()) {
                throw new FileAlreadyExistsException(target.toString());
            }
            to.delete(target);
        }
        String t = target.enginePath();
        if (st.isDirectory()) {
            to.run(target, null, e -> e.mkdir(t, st.permissions()));
        } else if (st.isSymlink()) {
            String link = from.readSymbolicLink(source).toString();
            to.run(target, null, e -> e.symlink(link, t));
            return; // the engine cannot change a symbolic link's own attributes
        } else {
            copyData(source, st, target);
        }
        if (o.copyAttributes()) {
            copyAttributes(source, st, target);
        }
    }

    /** Copies a regular file's data, block by block, leaving blocks of zeros as holes. */
    private static void copyData(DaxPath source, Stat st, DaxPath target) throws IOException {
        DaxNioFileSystem from = source.getFileSystem();
        DaxNioFileSystem to = target.getFileSystem();
        String s = source.enginePath();
        String t = target.enginePath();
        int mode = st.permissions();
        // Open by the followed name: a link swapped in meanwhile is ELOOP, not silently copied.
        FileHandle in = from.call(source, null, e -> e.open(s, EnumSet.of(OpenFlag.READ), 0));
        try {
            FileHandle out = to.call(target, null,
                    e -> e.open(t, EnumSet.of(OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE), mode));
            try {
                byte[] buf = new byte[CHUNK];
                MemorySegment seg = MemorySegment.ofArray(buf);
                MemorySegment zeros = MemorySegment.ofArray(new byte[BLOCK]);
                long pos = 0;
                while (true) {
                    long n;
                    try {
                        n = in.read(seg, pos);
                    } catch (FsException e) {
                        throw Errors.translate(e, source, null);
                    }
                    if (n <= 0) {
                        break;
                    }
                    long off = 0;
                    while (off < n) {
                        if (isZero(seg.asSlice(off, Math.min(BLOCK, n - off)), zeros)) {
                            off += Math.min(BLOCK, n - off);
                            continue;
                        }
                        long start = off;
                        while (off < n && !isZero(seg.asSlice(off, Math.min(BLOCK, n - off)), zeros)) {
                            off += Math.min(BLOCK, n - off);
                        }
                        MemorySegment run = seg.asSlice(start, off - start);
                        try {
                            if (out.write(run, pos + start) != run.byteSize()) {
                                throw FsException.of(Errno.ENOSPC, t);
                            }
                        } catch (FsException e) {
                            throw Errors.translate(e, target, null);
                        }
                    }
                    pos += n;
                }
                try {
                    if (out.size() < pos) {
                        out.truncate(pos); // trailing holes
                    }
                } catch (FsException e) {
                    throw Errors.translate(e, target, null);
                }
            } finally {
                close(out, target);
            }
        } finally {
            close(in, source);
        }
    }

    private static boolean isZero(MemorySegment block, MemorySegment zeros) {
        return block.mismatch(zeros.asSlice(0, block.byteSize())) == -1;
    }

    private static void close(FileHandle h, DaxPath p) throws IOException {
        try {
            h.close();
        } catch (FsException e) {
            throw Errors.translate(e, p, null);
        }
    }

    /** Owner, group, permissions, times, the DAX flag and the extended attributes of a file or directory. */
    private static void copyAttributes(DaxPath source, Stat st, DaxPath target) throws IOException {
        DaxNioFileSystem from = source.getFileSystem();
        DaxNioFileSystem to = target.getFileSystem();
        String s = source.enginePath();
        String t = target.enginePath();
        List<String> names = from.call(source, null, e -> e.listXattrs(s));
        for (String name : names) {
            byte[] value = from.call(source, null, e -> e.getXattr(s, name));
            to.run(target, null, e -> e.setXattr(t, name, value, 0));
        }
        to.run(target, null, e -> {
            e.chown(t, st.uid(), st.gid());
            e.chmod(t, st.permissions());
            int flags = st.flags() & InodeRecord.USER_FLAGS;
            if ((e.stat(t).flags() & InodeRecord.USER_FLAGS) != flags) {
                e.setFlags(t, flags);
            }
            e.utimes(t, st.atime(), st.mtime());
        });
    }

    static void move(DaxPath source, DaxPath target, CopyOption... options) throws IOException {
        Options o = moveOptions(options);
        DaxNioFileSystem from = source.getFileSystem();
        DaxNioFileSystem to = target.getFileSystem();
        from.checkWritable();
        to.checkWritable();
        if (from != to) {
            if (o.atomic()) {
                throw new AtomicMoveNotSupportedException(source.toString(), target.toString(),
                        "source and target are in different DaxFS file systems");
            }
            Stat st = from.stat(source, false);
            if (st.isDirectory()) {
                String s = source.enginePath();
                if (!from.call(source, null, e -> e.readdir(s, 0, 1)).isEmpty()) {
                    throw new DirectoryNotEmptyException(source.toString());
                }
            }
            copy(source, target, new Options(o.replace(), true, false, false));
            from.delete(source);
            return;
        }
        String s = source.enginePath();
        String t = target.enginePath();
        if (o.atomic()) {
            from.run(source, target, e -> e.rename(s, t));
            return;
        }
        Stat st = from.stat(source, false);
        Stat existing = from.statIfExists(target, false);
        if (existing == null) {
            from.run(source, target, e -> e.rename(s, t, org.daxfs.fs.RenameFlag.NOREPLACE));
            return;
        }
        if (existing.ino() == st.ino()) {
            return; // the same file
        }
        if (!o.replace()) {
            throw new FileAlreadyExistsException(target.toString());
        }
        if (existing.isDirectory() != st.isDirectory()) {
            from.delete(target);
        }
        from.run(source, target, e -> e.rename(s, t));
    }
}
