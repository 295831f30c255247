package org.daxfs.stress;

import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FormatOptions;

/** Helpers of the stress tests: the scale knob and freshly formatted memory devices. */
final class StressTesting {
    private StressTesting() {
    }

    /** Scale of the runs: 1 in CI, larger on demand (-Ddaxfs.test.scale=N). */
    static int scale() {
        return Integer.parseInt(System.getProperty("daxfs.test.scale", "1"));
    }

    /** A formatted memory device of {@code mib} MiB (memfd pages are only allocated when touched). */
    static Device formatted(int mib) throws FsException {
        Device device = Devices.memory((long) mib << 20);
        DaxFileSystem.format(device, FormatOptions.defaults());
        return device;
    }
}
