package org.daxfs.fs;

/**
 * One name in a directory listing.
 *
 * @param name the name
 * @param ino the inode it names
 * @param type the inode's type
 * @param cookie where a listing resumes after this entry ({@link DaxFileSystem#readdir(String, long, int)})
 */
public record DirEntry(String name, long ino, FileType type, long cookie) {
}
