package org.daxfs.stress;

import org.daxfs.fs.DaxMode;

/**
 * Which files a mount makes DAX, stated by the checker on its own: {@code dax=always} every file,
 * {@code dax=never} none (they go through the page cache), {@code dax=inode} those with the DAX flag, and
 * only on a device with direct access.
 *
 * @param mode the mount's {@code dax=} option, resolved (never null)
 * @param directAccess whether the device can be accessed directly (not a block-only one)
 */
record DaxPolicy(DaxMode mode, boolean directAccess) {
    /** {@code dax=inode} on a direct-access device: the default of a memory device or an image file. */
    static final DaxPolicy DEFAULT = new DaxPolicy(DaxMode.INODE, true);

    /**
     * The policy of a mount with {@code dax} (null for the default: {@code inode} on a direct-access device,
     * {@code never} on a block-only one).
     */
    static DaxPolicy of(DaxMode dax, boolean directAccess) {
        return new DaxPolicy(dax != null ? dax : directAccess ? DaxMode.INODE : DaxMode.NEVER, directAccess);
    }

    /** Whether a file with DAX flag {@code flag} is DAX. */
    boolean active(boolean flag) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case INODE -> directAccess && flag;
        };
    }
}
