package org.daxfs.fs;

/**
 * How to mount.
 *
 * @param readOnly refuse every change (EROFS); the journal is still replayed in memory only
 * @param uid owner given to files created through the Java API
 * @param gid group given to files created through the Java API
 */
public record MountOptions(boolean readOnly, int uid, int gid) {
    public static MountOptions defaults() {
        return new MountOptions(false, 0, 0);
    }

    public MountOptions withReadOnly(boolean ro) {
        return new MountOptions(ro, uid, gid);
    }
}
