package org.daxfs.nio;

import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributeView;

/**
 * The "daxfs" attribute view: the basic attributes and {@link DaxFileAttributes}, and the per-file DAX
 * flag to set. Obtained with {@code Files.getFileAttributeView(path, DaxFileAttributeView.class)}.
 */
public interface DaxFileAttributeView extends BasicFileAttributeView {
    /** Returns {@code "daxfs"}. */
    @Override
    String name();

    @Override
    DaxFileAttributes readAttributes() throws IOException;

    /**
     * Sets or clears the file's DAX flag ({@link org.daxfs.fs.Stat#FLAG_DAX}). Every file on a
     * direct-access device is accessed directly today whatever the flag says; the flag is kept for when
     * the page cache exists, and is inherited by files created in a directory that has it.
     */
    void setDax(boolean dax) throws IOException;
}
