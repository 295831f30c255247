package org.daxfs.fuse;

import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.fs.ByInode;
import org.daxfs.fs.FileHandle;

/**
 * copy_file_range(2) that keeps holes: only the source's data ranges (found with SEEK_DATA and SEEK_HOLE) are
 * copied; where the source has a hole, the target gets one too (punched where it had data), so a sparse file
 * stays sparse and its copy reads the same bytes. Preallocated source blocks read as zeros and count as holes,
 * as SEEK_HOLE says. The target's size grows to the end of the copied range, as a copy of zeros would make it.
 *
 * <p>Not atomic, as on Linux: a source written meanwhile may be copied partly old, partly new.
 *
 * <p>Locking: none of its own; each engine call takes the file's locks.
 */
final class SparseCopy {
    private SparseCopy() {
    }

    /**
     * Copies up to {@code length} bytes of {@code from} at {@code fromOffset} to {@code to} at {@code toOffset},
     * stopping at the end of the source.
     *
     * @return the bytes copied (holes included)
     * @throws FsException EINVAL if the ranges are of one file and overlap, or an offset or the length is negative
     */
    static long copy(ByInode ops, FileHandle from, long fromOffset, FileHandle to, long toOffset, long length)
            throws FsException {
        if (fromOffset < 0 || toOffset < 0 || length < 0) {
            throw FsException.atOffset(Errno.EINVAL, Math.min(fromOffset, toOffset), "negative offset or length");
        }
        long end = Math.min(from.size(), fromOffset + Math.min(length, Long.MAX_VALUE - fromOffset));
        if (fromOffset >= end) {
            return 0;
        }
        long shift = toOffset - fromOffset;
        if (from.inode() == to.inode() && fromOffset < end + shift && toOffset < end) {
            throw FsException.atOffset(Errno.EINVAL, toOffset, "source and target ranges of inode " + to.inode() + " overlap");
        }
        long pos = fromOffset;
        while (pos < end) {
            long data = Math.min(next(ops, from.inode(), pos, true, end), end);
            if (data > pos) {
                clear(ops, to, pos + shift, data + shift);
            }
            if (data >= end) {
                break;
            }
            long hole = Math.min(next(ops, from.inode(), data, false, end), end);
            long copied = ops.copyRange(from, data, to, data + shift, hole - data);
            if (copied < hole - data) { // the source shrank meanwhile: what is left of it is copied
                end = data + copied;
                break;
            }
            pos = hole;
        }
        if (to.size() < end + shift) {
            to.truncate(end + shift); // a hole at the end of the range still makes the target that long
        }
        return end - fromOffset;
    }

    /** SEEK_DATA ({@code data}) or SEEK_HOLE from {@code offset}; {@code end} where there is none (ENXIO). */
    private static long next(ByInode ops, long ino, long offset, boolean data, long end) throws FsException {
        try {
            return ops.seek(ino, offset, data);
        } catch (FsException e) {
            if (e.errno() == Errno.ENXIO) {
                return end; // no data after offset, or the file shrank below it
            }
            throw e;
        }
    }

    /** Makes {@code [start, end)} of {@code to} read zeros, punching only if it holds data there. */
    private static void clear(ByInode ops, FileHandle to, long start, long end) throws FsException {
        long size = to.size();
        if (start >= size || next(ops, to.inode(), start, true, end) >= end) {
            return; // past the end of file, or a hole already
        }
        to.punchHole(start, Math.min(end, size) - start);
    }
}
