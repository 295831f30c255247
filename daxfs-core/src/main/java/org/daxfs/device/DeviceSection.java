package org.daxfs.device;

/**
 * A device read-side section (see {@link Device}). While one is open, {@link Device#kill()} waits; so
 * direct access and the publication of its result happen as one step with respect to device removal.
 */
public interface DeviceSection extends AutoCloseable {
    /** Leaves the section. Never throws. */
    @Override
    void close();
}
