package org.daxfs.bench.fio;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.daxfs.bench.FileTrees;
import org.daxfs.bench.report.Key;
import org.daxfs.bench.report.Measurement;
import org.daxfs.fuse.FuseMount;

/**
 * fio's 4 KiB random reads and writes through FUSE: against DaxFS mounted by this JVM on a memory device,
 * and against bindfs over a directory of tmpfs (/dev/shm), the same job on both. After one unmeasured run of
 * each workload on each mount (which also lays out fio's file), the measured runs take turns, workload by
 * workload and mount by mount, so a change in the machine's load falls on both alike.
 *
 * <p>What cannot run is left out and said: no FUSE here (no /dev/fuse, not root), no fio, or no bindfs
 * (DaxFS's mount is then measured alone).
 */
public final class FuseComparison {
    /** The report's name of DaxFS's mount. */
    public static final String DAXFS = "DAXFS_FUSE";
    /** The report's name of bindfs's mount. */
    public static final String BINDFS = "BINDFS";
    /** Where tmpfs is: bindfs mirrors a directory made there. */
    static final Path TMPFS = Path.of("/dev/shm");

    /** What the comparison measured, and what it could not. */
    public record Outcome(List<Measurement> measurements, List<String> notes) {}

    private final FioPlan plan;
    private final PrintStream progress;
    private final List<String> notes = new ArrayList<>();

    public FuseComparison(FioPlan plan, PrintStream progress) {
        this.plan = plan;
        this.progress = progress;
    }

    /** Why the comparison cannot run at all here, or empty if it can. */
    static Optional<String> unavailable(String fuseProblem, Optional<Path> fio) {
        if (fuseProblem != null) {
            return Optional.of("FUSE comparison skipped: " + fuseProblem);
        }
        if (fio.isEmpty()) {
            return Optional.of("FUSE comparison skipped: fio is not installed (Debian package fio)");
        }
        return Optional.empty();
    }

    public Outcome run() {
        Optional<Path> fio = ExternalCommand.find("fio");
        Optional<String> skip = unavailable(FuseMount.unsupportedReason(), fio);
        if (skip.isPresent()) {
            return new Outcome(List.of(), List.of(skip.get()));
        }
        Optional<Path> bindfs = ExternalCommand.find("bindfs");
        if (bindfs.isEmpty()) {
            notes.add("bindfs is not installed (Debian package bindfs): DaxFS's FUSE mount was measured alone, with "
                    + "no peer to hold it against");
        }
        List<FuseTarget> targets = new ArrayList<>();
        Thread unmountOnExit = new Thread(() -> closeAll(targets), "daxfs-bench-unmount");
        Runtime.getRuntime().addShutdownHook(unmountOnExit);
        Path work = null;
        Path source = null;
        try {
            work = Files.createTempDirectory("daxfs-bench-fuse-");
            Path daxfsMnt = Files.createDirectory(work.resolve("daxfs"));
            mountOrNote(targets, "DaxFS's FUSE mount", () -> DaxfsFuseTarget.mount(daxfsMnt, deviceSize(),
                    line -> progress.println("    daxfs fuse: " + line)));
            if (bindfs.isPresent()) {
                source = Files.createTempDirectory(TMPFS, "daxfs-bench-bindfs-");
                Path src = source;
                Path bindfsMnt = Files.createDirectory(work.resolve("bindfs"));
                mountOrNote(targets, "bindfs", () -> BindfsTarget.mount(bindfs.get(), src, bindfsMnt));
            }
            return new Outcome(measure(fio.get(), targets), notes);
        } catch (IOException e) {
            notes.add("FUSE comparison failed: " + e.getMessage());
            return new Outcome(List.of(), notes);
        } finally {
            closeAll(targets);
            try {
                Runtime.getRuntime().removeShutdownHook(unmountOnExit);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook runs closeAll, which is idempotent
            }
            deleteTree(work);
            deleteTree(source);
        }
    }

    /** Room for fio's file and DaxFS's metadata. */
    private long deviceSize() {
        return Math.max(2 * plan.fileSize(), 256L << 20);
    }

    private interface Mounting {
        FuseTarget mount() throws IOException;
    }

    private void mountOrNote(List<FuseTarget> targets, String what, Mounting mounting) {
        try {
            FuseTarget t = mounting.mount();
            synchronized (targets) {
                targets.add(t);
            }
        } catch (IOException | RuntimeException e) {
            notes.add("could not mount " + what + ": " + e.getMessage());
        }
    }

    private List<Measurement> measure(Path fio, List<FuseTarget> targets) {
        List<FuseTarget> running = new ArrayList<>(targets);
        for (FioWorkload w : FioWorkload.values()) {
            for (FuseTarget t : List.copyOf(running)) {
                progress.println("    warm-up: fio " + w.rw + " on " + t.label());
                if (runOnce(fio, w, t).isEmpty()) {
                    running.remove(t);
                }
            }
        }
        Map<Key, List<Double>> values = new LinkedHashMap<>();
        for (int rep = 1; rep <= plan.repetitions(); rep++) {
            for (FioWorkload w : FioWorkload.values()) {
                for (FuseTarget t : List.copyOf(running)) {
                    Optional<Double> iops = runOnce(fio, w, t);
                    if (iops.isEmpty()) {
                        running.remove(t);
                        continue;
                    }
                    values.computeIfAbsent(w.key(t.name()), k -> new ArrayList<>()).add(iops.get());
                    progress.printf(Locale.ROOT, "    %d/%d fio %s on %s: %,.0f IOPS%n", rep, plan.repetitions(), w.rw,
                            t.label(), iops.get());
                }
            }
        }
        List<Measurement> measurements = new ArrayList<>();
        for (FuseTarget t : running) {
            for (FioWorkload w : FioWorkload.values()) {
                measurements.add(new Measurement(w.key(t.name()), values.get(w.key(t.name()))));
            }
        }
        return measurements;
    }

    /** One run's IOPS, or empty (and a note) if fio failed. */
    private Optional<Double> runOnce(Path fio, FioWorkload w, FuseTarget t) {
        List<String> command = w.command(fio.toString(), t.directory(), plan.fileSize(), plan.runtime());
        try {
            // Laying out the file comes on top of the run; a minute more is plenty for a small file in memory.
            String out = ExternalCommand.run(command, plan.runtime().plus(Duration.ofSeconds(60)))
                    .outOrThrow("fio " + w.rw + " on " + t.label());
            return Optional.of(FioOutput.parse(out).iops(w));
        } catch (IOException e) {
            notes.add(e.getMessage() + "; " + t.label() + " is left out of the FUSE comparison");
            return Optional.empty();
        }
    }

    private void closeAll(List<FuseTarget> targets) {
        synchronized (targets) {
            for (FuseTarget t : targets) {
                try {
                    t.close();
                } catch (IOException | RuntimeException e) {
                    notes.add("unmounting " + t.label() + " failed: " + e.getMessage());
                }
            }
        }
    }

    private void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            notes.add("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
