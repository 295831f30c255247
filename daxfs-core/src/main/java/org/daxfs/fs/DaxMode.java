package org.daxfs.fs;

import java.util.Locale;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * Which files are DAX (read, written and mapped straight on the device) and which go through the page
 * cache: the {@code dax=} mount option of ext4 and XFS.
 */
public enum DaxMode {
    /** Every regular file is DAX, whatever its flag (needs a direct-access device). */
    ALWAYS,
    /** No file is DAX: all go through the page cache. */
    NEVER,
    /** A file is DAX when its DAX flag is set; new files take the flag from their directory. */
    INODE;

    /** The option's value as written after {@code dax=}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code always}, {@code never} or {@code inode}.
     *
     * @throws FsException EINVAL for anything else
     */
    public static DaxMode parse(String value) throws FsException {
        for (DaxMode m : values()) {
            if (m.optionValue().equals(value)) {
                return m;
            }
        }
        throw FsException.of(Errno.EINVAL, null, "dax=" + value + ": expected always, never or inode");
    }
}
