package org.daxfs.fs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.daxfs.FsException;
import org.daxfs.device.Device;

/** Helpers shared by the file system tests. */
final class TestImages {
    static final long MIB = 1L << 20;

    private TestImages() {
    }

    /** Scale of long-running tests: 1 in CI, larger on demand (-Ddaxfs.test.scale=N). */
    static int scale() {
        return Integer.getInteger("daxfs.test.scale", 1);
    }

    static DaxFileSystem formatAndMount(Device device) throws FsException {
        DaxFileSystem.format(device, FormatOptions.defaults());
        return DaxFileSystem.mount(device, MountOptions.defaults());
    }

    static byte[] pattern(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void writeFile(DaxFileSystem fs, String path, byte[] content) throws FsException {
        try (FileHandle h = fs.open(path, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.TRUNCATE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            long pos = 0;
            while (b.hasRemaining()) {
                pos += h.write(b, pos);
            }
        }
    }

    static byte[] readFile(DaxFileSystem fs, String path) throws FsException {
        try (FileHandle h = fs.open(path, OpenFlag.READ)) {
            byte[] out = new byte[(int) h.size()];
            ByteBuffer b = ByteBuffer.wrap(out);
            long pos = 0;
            while (b.hasRemaining()) {
                int n = h.read(b, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            return out;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
