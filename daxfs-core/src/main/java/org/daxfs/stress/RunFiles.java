package org.daxfs.stress;

import java.util.ArrayList;
import java.util.List;
import org.daxfs.FsException;

/**
 * The files of one run: a checker per thread (each with its model and file), plus the handles readers of
 * disrupt mode and the flipper of flip mode hold on the shared file. Used by the thread that sets up and checks the run, while no
 * checker runs.
 */
final class RunFiles {
    final List<FileChecker> checkers = new ArrayList<>();
    /** Flip mode's flipper (its handle is among the shared handles). */
    final List<Flipper> flippers = new ArrayList<>();
    private final List<TestedFile> sharedHandles = new ArrayList<>();

    void addSharedHandle(TestedFile handle) {
        sharedHandles.add(handle);
    }

    /** Closes every handle. */
    void close() throws FsException {
        for (FileChecker c : checkers) {
            c.file().close();
        }
        for (TestedFile h : sharedHandles) {
            h.close();
        }
        sharedHandles.clear();
    }

    /** After a failure: closes what still closes, so unmounting can leave the image consistent for a look. */
    void closeQuietly() {
        for (FileChecker c : checkers) {
            try {
                c.file().close();
            } catch (FsException | RuntimeException ignored) {
                // The failure being reported matters; this one is most likely its consequence.
            }
        }
        for (TestedFile h : sharedHandles) {
            try {
                h.close();
            } catch (FsException | RuntimeException ignored) {
                // As above.
            }
        }
        sharedHandles.clear();
    }
}
