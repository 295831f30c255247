package org.daxfs.stress;

import java.util.List;
import org.daxfs.FsException;
import org.daxfs.fs.Stat;

/**
 * Thread 0 of flip mode: flips the DAX flag of the shared file as fast as it can (now and then setting
 * the flag it has, which switches nothing), while the workers run every operation on the file, until they
 * are done or the run stops. Under {@code dax=inode} each flip switches the file between DAX and the page
 * cache: DaxFS takes the file's locks exclusive, waits for pins, revokes every mapping, writes back and
 * drops cached pages. Each flip must succeed and read back: the flag as set, the file DAX or cached as the
 * mount's policy says. Nobody else changes the flag, so these are exact.
 *
 * <p>Runs on its own thread; {@link #stop} and the getters may be called from any thread.
 */
final class Flipper {
    final int thread;
    final String path;
    private final TestedFile file;
    private final DaxPolicy policy;
    private final Rng rng;
    private volatile boolean flag;
    private volatile long flips;
    private volatile boolean stopping;

    /**
     * @param file a handle of its own on the shared file, for stat
     * @param flag the file's DAX flag now
     */
    Flipper(int thread, TestedFile file, DaxPolicy policy, boolean flag, long seed) {
        this.thread = thread;
        this.path = file.path();
        this.file = file;
        this.policy = policy;
        this.flag = flag;
        this.rng = new Rng(seed);
    }

    /** Flips until {@link #stop} or until the run stops. */
    void run(RunControl control) throws StressFailure {
        while (!stopping && !control.stopped()) {
            boolean on = rng.percent(90) != flag;
            long n = flips + 1;
            String what = "dax " + (on ? "on" : "off");
            Stat st;
            try {
                file.setDax(on);
                st = file.stat();
            } catch (FsException | RuntimeException e) {
                throw failure(n, what, Mismatch.of("flip #" + n + " failed: " + e.getMessage()), e);
            }
            flag = on;
            flips = n;
            if (st.isDax() != on) {
                throw failure(n, what, Mismatch.of("the DAX flag reads " + st.isDax() + " after setting it " + on), null);
            }
            if (st.isDaxActive() != policy.active(on)) {
                throw failure(n, what, Mismatch.of("with the DAX flag " + (on ? "set" : "clear") + " the file is "
                        + (st.isDaxActive() ? "DAX" : "cached") + "; under dax=" + policy.mode().optionValue() + " it must be "
                        + (policy.active(on) ? "DAX" : "cached")), null);
            }
        }
    }

    private StressFailure failure(long n, String what, Mismatch m, Throwable cause) {
        return new StressFailure(thread, path, n, "#" + n + " " + what, m, List.of(), cause);
    }

    /** Makes {@link #run} return after the flip under way. */
    void stop() {
        stopping = true;
    }

    /** The flag the last flip set (the initial one before the first). */
    boolean flag() {
        return flag;
    }

    long flips() {
        return flips;
    }
}
