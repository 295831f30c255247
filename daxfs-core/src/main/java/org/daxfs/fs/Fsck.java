package org.daxfs.fs;

import java.util.function.LongConsumer;
import org.daxfs.device.Device;

/** API SKELETON - being written. */
public final class Fsck {
    /** Checks (and with repair, fixes) an unmounted image. progress gets thousandths done; may be null. */
    public static FsckReport run(Device device, boolean repair, LongConsumer progress) { throw new UnsupportedOperationException(); }
}
