/**
 * The {@code java.nio.file} provider (front-end layer): a DaxFS image as a {@link java.nio.file.FileSystem}
 * with scheme {@code daxfs}, so that {@link java.nio.file.Files}, {@link java.nio.channels.FileChannel}
 * and every library written against them work on it unchanged.
 *
 * <p>The provider is a thin adapter: every file-system decision (name lookup, permissions of operations,
 * range operations, crash safety, revocation of mappings) is the engine's ({@link org.daxfs.fs.DaxFileSystem});
 * this package only turns {@code java.nio.file} calls into engine calls and engine errors
 * ({@link org.daxfs.FsException}) into the exceptions {@code java.nio.file} promises ({@link org.daxfs.nio.Errors}).
 *
 * <pre>
 *   FileSystems.newFileSystem(URI.create("daxfs:" + image.toUri()), Map.of("create", true, "size", "256m"))
 *   Path p = Path.of(URI.create("daxfs:file:///tmp/x.img!/a/b"))      // once the image is open
 * </pre>
 *
 * <h2>Locks</h2>
 * None of the engine's locks is ever held here: this package calls only the engine's public API, which
 * takes and releases its own locks inside each call. The locks of this package are leaves: a channel's
 * position lock (held across one relative read or write, which calls the engine), the provider's table of
 * open file systems and a file system's table of file locks (no engine call made under either).
 */
package org.daxfs.nio;
