package org.daxfs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.MountOptions;
import org.daxfs.fs.OpenFlag;
import org.junit.jupiter.api.Test;

/**
 * Where the stress checker found DaxFS answering otherwise than Linux (ext4, XFS), each reduced to a few
 * calls. DESIGN.md: "Where a behaviour is not spelled out, do what Linux ext4/XFS do."
 */
class EngineDivergenceTest {
    /**
     * pwrite(2) with a negative offset fails with EINVAL before anything else, O_APPEND or not (Linux checks
     * the offset in ksys_pwrite64). Found by {@code --seed 14 --mode multi --threads 8 --max-size 65536},
     * thread 4, op #168; in single mode by seed 11.
     */
    @Test
    void aNegativeOffsetIsInvalidEvenWhenAppending() throws Exception {
        try (Device device = StressTesting.formatted(64)) {
            DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults());
            try (FileHandle h = fs.open("/f", OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.APPEND)) {
                h.write(ByteBuffer.wrap(new byte[10]), 0);
                FsException e = assertThrows(FsException.class, () -> h.write(ByteBuffer.wrap(new byte[5]), -1));
                assertEquals(Errno.EINVAL, e.errno());
                assertEquals(10, h.size());
            } finally {
                fs.close();
            }
        }
    }

    /**
     * ftruncate(2) to the current size gives back blocks preallocated past the end of file (FALLOC_FL_KEEP_SIZE),
     * as shrinking does: ext4_setattr calls ext4_truncate "even if i_size didn't change to truncate possible
     * preallocated blocks", and XFS's xfs_setattr_size removes them too (checked on ext4: fallocate -n 1 MiB
     * on a 3-byte file, truncate -s 3: st_blocks 2048 -> 8). So does O_TRUNC of an empty file. Found by
     * {@code --seed 11}, op #631 (a truncate to the current size after an allocate-keep-size past the end).
     */
    @Test
    void truncatingToTheSameSizeGivesBackBlocksPreallocatedPastTheEnd() throws Exception {
        try (Device device = StressTesting.formatted(64)) {
            DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults());
            try (FileHandle h = fs.open("/f", OpenFlag.WRITE, OpenFlag.CREATE)) {
                h.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
                h.allocate(0, 1 << 20, true);
                assertEquals(1 << 20, h.stat().blocks());
                h.truncate(3);
                assertEquals(4096, h.stat().blocks(), "blocks past the end of file stay allocated");
                assertEquals(1, fs.extents("/f").getFirst().length());

                h.truncate(0);
                h.allocate(0, 1 << 16, true);
            } finally {
                fs.close();
            }
            fs = DaxFileSystem.mount(device, MountOptions.defaults());
            try (FileHandle h = fs.open("/f", OpenFlag.WRITE, OpenFlag.TRUNCATE)) {
                assertEquals(0, h.stat().blocks(), "O_TRUNC of an empty file keeps its preallocated blocks");
            } finally {
                fs.close();
            }
        }
    }
}
