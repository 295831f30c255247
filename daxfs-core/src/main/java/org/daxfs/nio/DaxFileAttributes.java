package org.daxfs.nio;

import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.daxfs.format.Extent;

/**
 * The attributes of a file in a DaxFS file system beyond the basic ones: the per-file DAX flag, where
 * its data lives on the device, and its inode number. Read through
 * {@code Files.readAttributes(path, DaxFileAttributes.class)}, a {@link DaxFileAttributeView}, or by
 * name ({@code Files.getAttribute(path, "daxfs:dax")}, {@code Files.readAttributes(path, "daxfs:*")}).
 *
 * <table>
 * <caption>Attribute names of the "daxfs" view, beside the "basic" ones</caption>
 * <tr><td>dax</td><td>Boolean</td><td>the DAX flag (settable)</td></tr>
 * <tr><td>daxActive</td><td>Boolean</td><td>the file is DAX now (else it goes through the page cache)</td></tr>
 * <tr><td>extents</td><td>{@code List<Extent>}</td><td>the file's extents, as {@code daxfs stat} lists them</td></tr>
 * <tr><td>unwrittenBlocks</td><td>Long</td><td>preallocated blocks that read as zeros until written</td></tr>
 * <tr><td>inode</td><td>Long</td><td>the inode number</td></tr>
 * </table>
 */
public interface DaxFileAttributes extends BasicFileAttributes {
    /** True if the file's DAX flag is set. */
    boolean isDax();

    /**
     * True if the file is accessed directly now (DAX); false if it goes through the page cache. Follows the
     * flag under the mount's default {@code dax=inode}; {@code dax=always} and {@code dax=never} decide for
     * every file.
     */
    boolean isDaxActive();

    /**
     * The file's extents, in logical order: runs of file blocks and the device blocks holding them. Empty
     * for a file without data blocks (and a short symbolic link, stored in its inode).
     */
    List<Extent> extents();

    /** Blocks allocated to the file but not yet written (preallocated), which read as zeros. */
    long unwrittenBlocks();

    /** The inode number. */
    long inode();
}
