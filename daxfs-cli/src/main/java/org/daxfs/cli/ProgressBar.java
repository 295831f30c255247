package org.daxfs.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A one-line progress bar, {@code [#####.....]  42%  label}, redrawn in place with a carriage return.
 * It draws only for a person at a terminal: in a pipe, a log file or CI the carriage returns would be
 * noise, so there it draws nothing at all.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final boolean enabled;
    private int shownPercent = -1;

    ProgressBar(PrintWriter out, String label, boolean enabled) {
        this.out = out;
        this.label = label;
        this.enabled = enabled;
    }

    /** A bar on {@code err} that draws only if this process talks to a terminal. */
    public static ProgressBar onTerminal(PrintWriter err, String label) {
        Console console = System.console();
        // Since JDK 22 System.console() may exist without a terminal behind it; isTerminal() tells.
        boolean terminal = console != null && console.isTerminal();
        return new ProgressBar(err, label, interactive(terminal, System.getenv()));
    }

    /** A bar that never draws, for work too short to need one. */
    public static ProgressBar none() {
        return new ProgressBar(null, "", false);
    }

    /** Whether to draw: a terminal, not CI, and a terminal that understands a carriage return. */
    static boolean interactive(boolean terminal, Map<String, String> env) {
        String ci = env.get("CI");
        return terminal && (ci == null || ci.isEmpty() || ci.equals("false")) && !"dumb".equals(env.get("TERM"));
    }

    /** Shows {@code done} of {@code total}; redraws only when the whole percentage changes. */
    public void update(long done, long total) {
        if (!enabled || total <= 0) {
            return;
        }
        int percent = (int) Math.min(100, Math.max(0, done * 100.0 / total));
        if (percent == shownPercent) {
            return;
        }
        shownPercent = percent;
        int filled = percent * WIDTH / 100;
        out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format("%3d%%", percent) + "  " + label);
        out.flush();
    }

    /** An adapter for engine callbacks that report thousandths done (format, fsck). */
    public LongConsumer thousandths() {
        return done -> update(done, 1000);
    }

    /** Ends the line, so what is printed next starts on a fresh one. */
    @Override
    public void close() {
        if (enabled && shownPercent >= 0) {
            out.println();
            out.flush();
        }
    }
}
