package org.daxfs.fs;

/** Flags of {@link DaxFileSystem#rename}, after renameat2(2). */
public enum RenameFlag {
    /** Fail with EEXIST if the target exists (RENAME_NOREPLACE). */
    NOREPLACE,
    /** Atomically exchange source and target, which must both exist (RENAME_EXCHANGE). */
    EXCHANGE
}
