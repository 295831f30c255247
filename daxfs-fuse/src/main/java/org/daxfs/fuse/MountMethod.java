package org.daxfs.fuse;

/** How {@link FuseMount} mounts. */
public enum MountMethod {
    /** mount(2) when running as root (effective user id 0), fusermount3 otherwise. */
    AUTO,
    /** mount(2) of {@code /dev/fuse}, which needs root (CAP_SYS_ADMIN). */
    MOUNT_SYSCALL,
    /** libfuse's set-user-ID {@code fusermount3}, as an ordinary user mounts; works for root too. */
    FUSERMOUNT
}
