package org.daxfs.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.daxfs.cache.Readahead;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceOptions;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.MountOptions;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.Stat;

/**
 * One written test file of {@link #FILE_SIZE} on a DaxFS memory device mounted with the default
 * {@code dax=inode}: DAX or cached by its flag ({@link CacheCase}), so both cases run on the same kind of
 * image and mount and only the data path differs. The cache holds the whole file once it is read.
 */
final class CachedFileFixture implements AutoCloseable {
    static final long FILE_SIZE = 64L << 20;
    private static final int CHUNK = 1 << 20;

    final Device device;
    final DaxFileSystem fs;
    final FileHandle file;

    private CachedFileFixture(Device device, DaxFileSystem fs, FileHandle file) {
        this.device = device;
        this.fs = fs;
        this.file = file;
    }

    /** A memory device, the file DAX or cached as {@code c} says, written and (cached) read once into the cache. */
    static CachedFileFixture open(CacheCase c) throws IOException {
        Device device = Devices.memory(FILE_SIZE * 4);
        try {
            DaxFileSystem.format(device, FormatOptions.defaults());
            DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults().withCacheBytes(FILE_SIZE * 2));
            if (c == CacheCase.CACHED) {
                fs.setFlags("/", 0); // new files inherit: no DAX flag, so cached under dax=inode
            }
            FileHandle h = fs.open("/data", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
            fill(h, FILE_SIZE);
            h.fsync();
            readAll(h, FILE_SIZE);
            Stat st = h.stat();
            if (st.isDaxActive() != (c == CacheCase.DAX)) {
                throw new IllegalStateException("file is " + (st.isDaxActive() ? "DAX" : "cached") + ", wanted " + c);
            }
            return new CachedFileFixture(device, fs, h);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /**
     * An image file in /dev/shm opened as a block-only device (pread/pwrite, so every file is cached), with
     * a page cache smaller than the file, so a sequential scan keeps missing and readahead decides how many
     * device calls each miss costs.
     */
    static CachedFileFixture blockOnly(Path image, Readahead.Advice advice) throws IOException {
        Files.deleteIfExists(image);
        Devices.createImage(image, FILE_SIZE * 4);
        Device device = Devices.open(image, DeviceOptions.defaults().withBlockOnly(true));
        try {
            DaxFileSystem.format(device, FormatOptions.defaults());
            DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults().withCacheBytes(FILE_SIZE / 4));
            FileHandle h = fs.open("/data", OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE);
            fill(h, FILE_SIZE);
            h.fsync();
            h.advise(advice);
            return new CachedFileFixture(device, fs, h);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    private static void fill(FileHandle h, long size) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(CHUNK);
            for (long i = 0; i < chunk.byteSize(); i++) {
                chunk.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
            }
            for (long pos = 0; pos < size; pos += CHUNK) {
                h.write(chunk, pos);
            }
        }
    }

    private static void readAll(FileHandle h, long size) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(CHUNK);
            for (long pos = 0; pos < size; pos += CHUNK) {
                h.read(chunk, pos);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
            fs.close();
        } finally {
            device.close();
        }
    }
}
