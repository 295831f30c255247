package org.daxfs.crash;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.daxfs.FsException;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.Fsck;
import org.daxfs.fs.FsckReport;
import org.daxfs.fs.MountOptions;
import org.daxfs.fs.OpenFlag;

/**
 * Helpers shared by the crash-consistency tests: sizes and knobs, the recognisable data every test
 * writes, and small wrappers over the file system API.
 *
 * <h2>Recognisable data</h2>
 * Every write in these tests has a globally unique generation number {@code gen}, and the byte it puts at
 * file offset {@code off} is {@link #val(long, long)} — a hash of (gen, off). So any byte read back after
 * a crash can be checked against the short list of writes that ever touched that offset of that file, and a
 * byte that came from a freed block of another file (or from metadata) fails that check with probability
 * 255/256 per byte: a stale 64-byte line or block cannot pass unnoticed.
 */
final class CrashTesting {
    static final long MIB = 1L << 20;
    static final int BLOCK = Device.BLOCK_SIZE;

    private CrashTesting() {
    }

    /** Multiplies the length of the long tests: 1 in CI, larger with -Ddaxfs.test.scale=N. */
    static int scale() {
        return Math.max(1, Integer.getInteger("daxfs.test.scale", 1));
    }

    /** -Ddaxfs.test.seed=S runs only that seed (to replay a failure). */
    static Long seedOverride() {
        String s = System.getProperty("daxfs.test.seed");
        return s == null || s.isBlank() ? null : Long.decode(s.trim());
    }

    /** -Ddaxfs.crash.point=P checks only that persist point (to replay a failure quickly). */
    static int pointOverride() {
        return Integer.getInteger("daxfs.crash.point", -1);
    }

    /** The byte write {@code gen} puts at file offset {@code off}. */
    static byte val(long gen, long off) {
        return (byte) (mix(gen * 0x9E3779B97F4A7C15L + (off >>> 3)) >>> ((off & 7) * 8));
    }

    /** The bytes of write {@code gen} at {@code [off, off+len)}. */
    static byte[] data(long gen, long off, int len) {
        byte[] b = new byte[len];
        long word = 0;
        for (int i = 0; i < len; i++) {
            long o = off + i;
            if (i == 0 || (o & 7) == 0) {
                word = mix(gen * 0x9E3779B97F4A7C15L + (o >>> 3));
            }
            b[i] = (byte) (word >>> ((o & 7) * 8));
        }
        return b;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static CrashSimulatorDevice formattedDevice(long size) throws FsException {
        CrashSimulatorDevice d = new CrashSimulatorDevice(size);
        DaxFileSystem.format(d, FormatOptions.defaults());
        return d;
    }

    static DaxFileSystem mount(Device d) throws FsException {
        return DaxFileSystem.mount(d, MountOptions.defaults());
    }

    /** Writes all of {@code b} at {@code pos}; a short write is a failure here (the tests never fill the device). */
    static void writeFully(FileHandle h, byte[] b, long pos) throws FsException {
        int n = h.write(ByteBuffer.wrap(b), pos);
        if (n != b.length) {
            throw new AssertionError("short write: " + n + " of " + b.length + " bytes at " + pos + " of " + h.path());
        }
    }

    /** The whole content of an open file, as its size says. */
    static byte[] readAll(FileHandle h) throws FsException {
        long size = h.size();
        if (size > Integer.MAX_VALUE) {
            throw new AssertionError(h.path() + ": size " + size + " is absurd for these tests");
        }
        byte[] out = new byte[(int) size];
        ByteBuffer b = ByteBuffer.wrap(out);
        while (b.hasRemaining()) {
            if (h.read(b, b.position()) < 0) {
                throw new AssertionError(h.path() + ": EOF at " + b.position() + " before its size " + size);
            }
        }
        return out;
    }

    static byte[] readFile(DaxFileSystem fs, String path) throws FsException {
        try (FileHandle h = fs.open(path, OpenFlag.READ)) {
            return readAll(h);
        }
    }

    /** Runs fsck (no repair) on an unmounted image: null if it is clean, else a description. */
    static String fsckProblems(Device d) {
        FsckReport r;
        try {
            r = Fsck.run(d, false, null);
        } catch (RuntimeException e) {
            return "fsck threw " + e;
        }
        if (r.exitCode() == FsckReport.EXIT_CLEAN) {
            return null;
        }
        return "fsck exit code " + r.exitCode() + (r.operationalError() == null ? "" : " (" + r.operationalError() + ")")
                + ": " + String.join("; ", r.problems().subList(0, Math.min(10, r.problems().size())));
    }

    static String hex(byte[] b, int from, int len) {
        int end = Math.min(b.length, from + len);
        return HexFormat.ofDelimiter(" ").formatHex(b, Math.max(0, from), end);
    }
}
