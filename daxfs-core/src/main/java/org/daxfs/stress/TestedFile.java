package org.daxfs.stress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import org.daxfs.FsException;
import org.daxfs.format.Extent;
import org.daxfs.fs.MapMode;
import org.daxfs.fs.Stat;

/**
 * The file under test as operations see it: the calls of a DaxFS file handle, plus what happens around
 * one (reopen, remount, the DAX flag). {@link DaxFile} is the real thing; tests wrap it to break it on
 * purpose and prove that the checker notices.
 *
 * <p>Each instance is driven by one thread, except that readers in disrupt mode share the file (each
 * through its own instance).
 */
interface TestedFile {
    String path();

    /** pread: bytes read, or -1 at end of file. */
    int read(ByteBuffer dst, long position) throws FsException;

    /** pwrite (at the end of file if the handle appends). */
    int write(ByteBuffer src, long position) throws FsException;

    /** A write at the end of file, atomically with finding it. */
    int append(ByteBuffer src) throws FsException;

    void truncate(long size) throws FsException;

    /** fallocate mode 0, or FALLOC_FL_KEEP_SIZE. */
    void allocate(long offset, long length, boolean keepSize) throws FsException;

    /** fallocate FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE. */
    void punchHole(long offset, long length) throws FsException;

    /** fallocate FALLOC_FL_ZERO_RANGE, with FALLOC_FL_KEEP_SIZE if {@code keepSize}. */
    void zeroRange(long offset, long length, boolean keepSize) throws FsException;

    /** fallocate FALLOC_FL_COLLAPSE_RANGE. */
    void collapseRange(long offset, long length) throws FsException;

    /** fallocate FALLOC_FL_INSERT_RANGE. */
    void insertRange(long offset, long length) throws FsException;

    /**
     * mmap of {@code [offset, offset+length)} (FileHandle.map): the bytes as a segment, valid until
     * {@code arena} closes or a range operation over them revokes it (then any access throws
     * IllegalStateException).
     */
    MemorySegment map(MapMode mode, long offset, long length, Arena arena) throws FsException;

    /** msync(2) MS_SYNC of {@code [offset, offset+length)}: stores through mappings there become durable. */
    void msync(long offset, long length) throws FsException;

    void fsync() throws FsException;

    void fdatasync() throws FsException;

    long size() throws FsException;

    Stat stat() throws FsException;

    /** Sets or clears the per-file DAX flag. */
    void setDax(boolean on) throws FsException;

    /** Closes the handle and opens the file again, with APPEND and O_TRUNC as asked. */
    void reopen(boolean append, boolean truncate) throws FsException;

    /** Closes the handle, unmounts, mounts the same device again and reopens the file. */
    void remount() throws FsException;

    /** The file's extents as the engine maps them. */
    List<Extent> extents() throws FsException;

    void close() throws FsException;
}
