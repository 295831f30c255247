package org.daxfs.stress;

/**
 * One reader's view of the {@link SharedFile}: its own handle on it, and how it draws ranges there (whole
 * 8-byte words, as the disruptor writes them).
 *
 * @param shared the shared file
 * @param file this reader's handle on it (read only)
 * @param choices how ranges are drawn: {@code align} 8, no edge cases
 */
record SharedReader(SharedFile shared, TestedFile file, Choices choices) {
}
