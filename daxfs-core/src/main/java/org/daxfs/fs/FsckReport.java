package org.daxfs.fs;

import java.util.List;

/**
 * The result of a check, with e2fsck's exit codes.
 *
 * @param problems one line per problem found, in the order found
 * @param corrected how many of them were corrected (only with repair)
 * @param operationalError set when the check could not run at all (unreadable image, I/O error), else null
 */
public record FsckReport(List<String> problems, int corrected, String operationalError) {
    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_CORRECTED = 1;
    public static final int EXIT_UNCORRECTED = 4;
    public static final int EXIT_OPERATIONAL = 8;

    public boolean clean() {
        return operationalError == null && problems.isEmpty();
    }

    /** 0 clean, 1 every problem corrected, 4 problems left, 8 operational error. */
    public int exitCode() {
        if (operationalError != null) {
            return EXIT_OPERATIONAL;
        }
        if (problems.isEmpty()) {
            return EXIT_CLEAN;
        }
        return corrected >= problems.size() ? EXIT_CORRECTED : EXIT_UNCORRECTED;
    }
}
