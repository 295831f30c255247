package org.daxfs.fs;

/**
 * How to mount.
 *
 * @param readOnly refuse every change (EROFS); the journal is still replayed in memory only
 * @param uid owner given to files created through the Java API
 * @param gid group given to files created through the Java API
 * @param dax which files are DAX; null for the default: {@link DaxMode#INODE} on a direct-access device,
 *     {@link DaxMode#NEVER} on a block-only one ({@link DaxMode#ALWAYS} there is refused with EINVAL)
 * @param cacheBytes memory limit of the page cache that files which are not DAX go through
 */
public record MountOptions(boolean readOnly, int uid, int gid, DaxMode dax, long cacheBytes) {
    /** Default page cache limit: 256 MiB (memory is used only as pages are cached). */
    public static final long DEFAULT_CACHE_BYTES = 256L << 20;

    public MountOptions(boolean readOnly, int uid, int gid) {
        this(readOnly, uid, gid, null, DEFAULT_CACHE_BYTES);
    }

    public static MountOptions defaults() {
        return new MountOptions(false, 0, 0);
    }

    public MountOptions withReadOnly(boolean ro) {
        return new MountOptions(ro, uid, gid, dax, cacheBytes);
    }

    public MountOptions withDax(DaxMode mode) {
        return new MountOptions(readOnly, uid, gid, mode, cacheBytes);
    }

    public MountOptions withCacheBytes(long bytes) {
        return new MountOptions(readOnly, uid, gid, dax, bytes);
    }
}
