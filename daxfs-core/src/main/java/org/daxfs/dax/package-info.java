/**
 * The address space layer: what a file's pages are mapped to, and the rules that keep mappings honest.
 *
 * <p>Each file that is mapped has an {@link org.daxfs.dax.AddressSpace}: an index of
 * {@link org.daxfs.dax.MappingEntry mapping entries} (page index to a small 4 KiB or huge 2 MiB run of
 * device blocks, or a hole shown as read-only zeros), the {@link org.daxfs.dax.FileMapping mappings} that
 * show those entries to callers as one contiguous {@link java.lang.foreign.MemorySegment} each, and the
 * pins that hold blocks in place for long-lived direct use. Each file's
 * {@link org.daxfs.dax.InvalidateLock} keeps block-removing operations apart from every path that fills a
 * mapping (rule 1 of DESIGN.md).
 *
 * <h2>Lock order (outermost first), as DESIGN.md writes it</h2>
 * <pre>
 *   inode lock                 (file system layer; writers, range operations, writable mappings)
 *     invalidate lock          shared: read, write, fault, map, pin; exclusive: punch, truncate, collapse,
 *                              insert, zero range, mode switch, freeing a file
 *       journal transaction    (allocation and unwritten conversion, begun before any entry lock)
 *         mapping entry lock   one entry at a time, or a run in ascending index order
 *           device section     direct access and showing blocks in a window
 * </pre>
 * Never begin a transaction while holding an entry lock; never wait for pins while holding one.
 */
package org.daxfs.dax;
