package org.daxfs.nio;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileStoreAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import org.daxfs.fs.StatFs;

/**
 * The one file store of a DaxFS file system: the image. Its space is what statfs(2) reports: total,
 * usable (free blocks file data may use) and unallocated (free blocks, the metadata reserve included).
 *
 * <p>Locks: none.
 */
final class DaxFileStore extends FileStore {
    private final DaxNioFileSystem fs;

    DaxFileStore(DaxNioFileSystem fs) {
        this.fs = fs;
    }

    private StatFs statfs() throws IOException {
        fs.checkOpen();
        return fs.call(DaxPath.root(fs), null, e -> e.statfs());
    }

    /** The image file's path. */
    @Override
    public String name() {
        return fs.image().toString();
    }

    @Override
    public String type() {
        return "daxfs";
    }

    @Override
    public boolean isReadOnly() {
        return fs.isReadOnly();
    }

    @Override
    public long getTotalSpace() throws IOException {
        StatFs s = statfs();
        return s.totalBlocks() * s.blockSize();
    }

    @Override
    public long getUsableSpace() throws IOException {
        StatFs s = statfs();
        return s.availableBlocks() * s.blockSize();
    }

    @Override
    public long getUnallocatedSpace() throws IOException {
        StatFs s = statfs();
        return s.freeBlocks() * s.blockSize();
    }

    @Override
    public long getBlockSize() throws IOException {
        return statfs().blockSize();
    }

    @Override
    public boolean supportsFileAttributeView(Class<? extends FileAttributeView> type) {
        return type == BasicFileAttributeView.class || type == PosixFileAttributeView.class
                || type == FileOwnerAttributeView.class || type == DaxFileAttributeView.class;
    }

    @Override
    public boolean supportsFileAttributeView(String name) {
        return Attributes.VIEW_NAMES.contains(name);
    }

    @Override
    public <V extends FileStoreAttributeView> V getFileStoreAttributeView(Class<V> type) {
        return null;
    }

    @Override
    public Object getAttribute(String attribute) throws IOException {
        return switch (attribute) {
            case "totalSpace" -> getTotalSpace();
            case "usableSpace" -> getUsableSpace();
            case "unallocatedSpace" -> getUnallocatedSpace();
            case "blockSize" -> getBlockSize();
            default -> throw new UnsupportedOperationException("'" + attribute + "' not recognized");
        };
    }

    @Override
    public String toString() {
        return name() + " (daxfs)";
    }
}
