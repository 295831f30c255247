package org.daxfs.bench.fio;

import java.io.IOException;
import java.nio.file.Path;

/** A mounted FUSE file system that fio runs in: DaxFS's own mount, or bindfs over tmpfs. */
interface FuseTarget extends AutoCloseable {
    /** The report's name of this target ({@link FuseComparison#DAXFS} or {@link FuseComparison#BINDFS}). */
    String name();

    /** What the reader calls it. */
    String label();

    /** The mount point, where fio makes its file. */
    Path directory();

    /** Unmounts and releases everything the target holds; does nothing the second time. */
    @Override
    void close() throws IOException;
}
