package org.daxfs.dax;

import java.util.function.BiConsumer;
import jdk.jfr.Event;
import org.daxfs.FsException;

/**
 * Runs a piece of work inside a JFR event: timed, and committed with its outcome ("ok", or "failed: "
 * and the message) when a recording enables the event. Disabled events cost a check and nothing else.
 */
public final class Traced {
    /** Work that may fail like the engine fails. */
    @FunctionalInterface
    public interface Work {
        void run() throws FsException;
    }

    private Traced() {}

    /**
     * Runs {@code work} timed by {@code event}; if the event is to be committed, {@code fill} sets its
     * fields from the outcome. Failures are rethrown unchanged.
     */
    public static <E extends Event> void run(E event, Work work, BiConsumer<E, String> fill) throws FsException {
        event.begin();
        String outcome = "ok";
        try {
            work.run();
        } catch (FsException | RuntimeException e) {
            outcome = "failed: " + e.getMessage();
            throw e;
        } finally {
            event.end();
            if (event.shouldCommit()) {
                fill.accept(event, outcome);
                event.commit();
            }
        }
    }
}
