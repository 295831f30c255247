package org.daxfs.device;

import java.util.List;

/**
 * The bad ranges of a device, at 512-byte sector granularity (like Linux badblocks). Thread safe.
 */
public interface MediaErrors {
    int SECTOR = 512;

    /** Marks every sector touching {@code [offset, offset+length)} bad. */
    void add(long offset, long length);

    /** Clears every sector lying wholly inside {@code [offset, offset+length)}. */
    void clear(long offset, long length);

    /** True if any bad sector touches {@code [offset, offset+length)}. Cheap when the list is empty. */
    boolean touches(long offset, long length);

    /** The bad ranges as {@code [offset, length]} pairs, merged and sorted. */
    List<long[]> ranges();

    /** True when no sector is bad. */
    boolean isEmpty();
}
