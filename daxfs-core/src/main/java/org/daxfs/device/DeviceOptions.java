package org.daxfs.device;

import java.util.function.Consumer;

/**
 * How {@link Devices#open} opens a device.
 *
 * @param readOnly  refuse writes (EROFS); the file is opened and mapped read-only
 * @param blockOnly use positional reads and writes ({@link BlockOnlyDevice}) instead of a mapping
 * @param sync      try a MAP_SYNC mapping so that a cache-line flush makes stores durable; when the file
 *                  is not on a DAX mount this falls back to an ordinary mapping (msync) with a notice.
 *                  Ignored for read-only and block-only devices; devdax nodes are always synchronous
 * @param notices   receives one-line messages about fallbacks (e.g. no MAP_SYNC); never null
 */
public record DeviceOptions(boolean readOnly, boolean blockOnly, boolean sync, Consumer<String> notices) {
    private static final System.Logger LOG = System.getLogger("org.daxfs.device");

    public DeviceOptions {
        if (notices == null) {
            notices = message -> {};
        }
    }

    /** Read-write, mapped, no MAP_SYNC, notices go to the {@code org.daxfs.device} system logger. */
    public static DeviceOptions defaults() {
        return new DeviceOptions(false, false, false, message -> LOG.log(System.Logger.Level.INFO, message));
    }

    public DeviceOptions withReadOnly(boolean readOnly) {
        return new DeviceOptions(readOnly, blockOnly, sync, notices);
    }

    public DeviceOptions withBlockOnly(boolean blockOnly) {
        return new DeviceOptions(readOnly, blockOnly, sync, notices);
    }

    public DeviceOptions withSync(boolean sync) {
        return new DeviceOptions(readOnly, blockOnly, sync, notices);
    }

    public DeviceOptions withNotices(Consumer<String> notices) {
        return new DeviceOptions(readOnly, blockOnly, sync, notices);
    }
}
