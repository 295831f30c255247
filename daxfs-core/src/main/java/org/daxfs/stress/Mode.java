package org.daxfs.stress;

import java.util.Locale;

/** How a run spreads over files and threads. */
public enum Mode {
    /** One thread on one file; the only mode that remounts in the middle of a run. */
    SINGLE,
    /** Several threads, each on its own file with its own model. */
    MULTI,
    /**
     * One thread (the disruptor) truncates, preallocates, rewrites and flips the DAX flag of a shared
     * file; the others read it, through their handles and through mappings the disruptor revokes under them
     * (accepting old, new or zero bytes, never foreign ones), between operations on files of their own, whose
     * writes reuse the blocks the disruptor frees.
     */
    DISRUPT,
    /**
     * One file for all threads: one (the flipper) flips its DAX flag as fast as it can, switching it
     * between DAX and the page cache, while the others (workers) run every operation on it, each mostly in
     * a region of its own, beside each other, the rest alone ({@link Region}). Nothing a flip does may
     * show: the model stays exact, except that any mapping may be revoked at any moment and a sync
     * mapping may or may not be refused. Worker i tags the bytes it writes as file i ({@link Pattern}), so
     * a report says whose write bytes came from. The operations are not replayed exactly: what a worker
     * draws depends on what the others did to the file before.
     */
    FLIP;

    /** The name on the command line: {@code single}, {@code multi}, {@code disrupt}, {@code flip}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code name} (any case); IllegalArgumentException with the choices if there is none. */
    public static Mode parse(String name) {
        for (Mode m : values()) {
            if (m.cliName().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "' (choose single, multi, disrupt or flip)");
    }
}
