package org.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.MountOptions;
import org.daxfs.fs.OpenFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** copy_file_range keeping holes, against the engine: bytes, allocated blocks, sizes, and its errors. */
class SparseCopyTest {
    private static final int K = 1024;
    private Device device;
    private DaxFileSystem fs;
    private FileHandle src;

    @BeforeEach
    void setUp() throws Exception {
        device = Devices.memory(64 << 20);
        DaxFileSystem.format(device, FormatOptions.defaults());
        fs = DaxFileSystem.mount(device, MountOptions.defaults());
        // Data at [0, 64k) and [512k, 520k), a hole between and after, up to 1 MiB + 100 bytes.
        src = open("/src");
        write(src, 0, pattern(64 * K, 1));
        write(src, 512 * K, pattern(8 * K, 2));
        src.truncate((1 << 20) + 100);
    }

    @AfterEach
    void tearDown() throws Exception {
        src.close();
        fs.close();
        device.close();
    }

    private FileHandle open(String path) throws FsException {
        return fs.open(path, OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static void write(FileHandle h, long at, byte[] data) throws FsException {
        h.write(ByteBuffer.wrap(data), at);
    }

    private static byte[] read(FileHandle h) throws FsException {
        ByteBuffer b = ByteBuffer.allocate((int) h.size());
        while (b.hasRemaining() && h.read(b, b.position()) > 0) {
            // reads until full
        }
        return b.array();
    }

    private long blocks(String path) throws FsException {
        return fs.stat(path).blocks512();
    }

    @Test
    void aCopyOfASparseFileIsAsSparse() throws Exception {
        try (FileHandle dst = open("/dst")) {
            assertEquals((1 << 20) + 100, SparseCopy.copy(fs.byInode(), src, 0, dst, 0, Long.MAX_VALUE));
            assertArrayEquals(read(src), read(dst));
            assertEquals(blocks("/src"), blocks("/dst"), "only the data blocks were written");
            assertEquals(72 * 2, blocks("/dst"));
        }
    }

    @Test
    void holesOverwriteDataAtAnUnalignedOffset() throws Exception {
        try (FileHandle dst = open("/dst")) {
            byte[] old = new byte[3 << 20];
            Arrays.fill(old, (byte) 0x55);
            write(dst, 0, old);
            long at = 4096 + 100;
            assertEquals(1 << 20, SparseCopy.copy(fs.byInode(), src, 0, dst, at, 1 << 20));
            byte[] expected = old.clone();
            System.arraycopy(read(src), 0, expected, (int) at, 1 << 20);
            assertArrayEquals(expected, read(dst));
            // At this offset the holes are [69732, 528484) and [536676, 1052676): blocks 18..128 and 132..256 are
            // freed, the blocks they share with data keep it (and zeros).
            assertEquals((768 - 111 - 125) * 8, blocks("/dst"));
        }
    }

    @Test
    void aHoleAtTheEndStillGrowsTheTarget() throws Exception {
        try (FileHandle dst = open("/dst")) {
            assertEquals(4096, SparseCopy.copy(fs.byInode(), src, 600 * K, dst, 10, 4096));
            assertEquals(10 + 4096, dst.size());
            assertEquals(0, blocks("/dst"));
            assertArrayEquals(new byte[10 + 4096], read(dst));
            assertEquals(100, SparseCopy.copy(fs.byInode(), src, 1 << 20, dst, 0, 1 << 20), "stops at the source's end");
            assertEquals(0, SparseCopy.copy(fs.byInode(), src, (1 << 20) + 100, dst, 0, 1), "nothing at the end");
        }
    }

    @Test
    void overlappingRangesOfOneFileAreEinval() throws Exception {
        FsException e = assertThrows(FsException.class, () -> SparseCopy.copy(fs.byInode(), src, 0, src, 4096, 8192));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(64 * K, SparseCopy.copy(fs.byInode(), src, 0, src, 2 << 20, 64 * K), "apart: copied");
        e = assertThrows(FsException.class, () -> SparseCopy.copy(fs.byInode(), src, -1, src, 0, 1));
        assertEquals(Errno.EINVAL, e.errno());
    }
}
