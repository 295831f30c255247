package org.daxfs.stress;

import org.daxfs.FsException;

/**
 * One reader's view of the {@link SharedFile}: its own handle on it, how it draws ranges there (whole
 * 8-byte words, as the disruptor writes them), and the mapping of it the reader keeps between its mapped
 * reads.
 *
 * @param shared the shared file
 * @param file this reader's handle on it (read only)
 * @param choices how ranges are drawn: {@code align} 8, no edge cases
 * @param mapping the reader's mapping of the shared file, held from one mapped read to the next
 */
record SharedReader(SharedFile shared, TestedFile file, Choices choices, HeldMapping mapping) {
    SharedReader(SharedFile shared, TestedFile file, Choices choices) {
        this(shared, file, choices, new HeldMapping());
    }

    /** Unmaps what {@link #mapping} holds, then maps {@code [offset, offset+length)} of the shared file there. */
    void remap(long offset, long length) throws FsException {
        mapping.replace(file, offset, length);
    }

    /** Unmaps what {@link #mapping} holds, if anything. */
    void unmap() {
        mapping.close();
    }
}
