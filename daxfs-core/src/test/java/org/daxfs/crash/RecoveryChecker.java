package org.daxfs.crash;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.daxfs.FsException;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.DirEntry;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.FileType;
import org.daxfs.fs.MountOptions;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.Stat;

/**
 * Checks one crash image against a {@link CrashModel}: fsck is clean before mounting; mount (journal
 * replay and orphan processing) succeeds; the tree equals the namespace before or after the interrupted
 * call; every file's size and bytes are allowed by its {@link FileModel}; the image takes new writes; and
 * after unmount fsck is clean and a remount shows the same files and contents (recovery is stable).
 *
 * <p>Optionally it also crashes the recovery itself at each of its persist points and checks those images
 * against the same model (recovery must be restartable: Chipmunk and FlyTrap found most bugs there), and
 * mounts the image read-only first, which must write nothing and show the same tree and bytes as the
 * read-write recovery.
 *
 * <p>Every check returns a problem description or null; the caller adds seed and persist point.
 */
final class RecoveryChecker {
    /** Name the checker creates to prove the recovered image takes writes; no workload uses it. */
    static final String PROBE = "/zz-crash-probe";

    /** Counters that show the checks did real work. */
    static final class Stats {
        long images;
        long files;
        long exactFiles;
        long bytes;
        long matchedAfter;
        long recoveryImages;
        long readOnlyImages;

        @Override
        public String toString() {
            return images + " crash images (" + recoveryImages + " of them crashed during recovery, " + readOnlyImages
                    + " also mounted read-only), " + files
                    + " files checked (" + exactFiles + " fsynced and unchanged, so exact), " + bytes
                    + " bytes, " + matchedAfter + " images showed the interrupted call's new namespace";
        }
    }

    private final CrashModel model;
    private final Stats stats;
    /** Also mount read-only first and compare (see {@link ReadOnlyView}). */
    boolean readOnlyToo;

    RecoveryChecker(CrashModel model, Stats stats) {
        this.model = model;
        this.stats = stats;
    }

    /**
     * Checks {@code image} (closed on return).
     *
     * @param recoveryCrashes if > 0, also crash the recovery at each of its persist points, keeping
     *     unpersisted lines with probability 0 and with this probability
     * @param rnd source for those crashes
     */
    String check(CrashSimulatorDevice image, double recoveryCrashes, Random rnd) {
        try (image) {
            return checkImage(image, recoveryCrashes, rnd);
        } catch (Throwable t) {
            return "unexpected " + stackOf(t);
        }
    }

    private String checkImage(CrashSimulatorDevice image, double recoveryCrashes, Random rnd) throws FsException {
        stats.images++;
        String f = CrashTesting.fsckProblems(image);
        if (f != null) {
            return "before mount: " + f;
        }
        ReadOnlyView ro = null;
        if (readOnlyToo) {
            ro = new ReadOnlyView();
            String p = ro.read(image);
            if (p != null) {
                return p;
            }
        }
        DaxFileSystem fs;
        String[] recoveryProblem = new String[1];
        Device mountOn = image;
        if (recoveryCrashes > 0) {
            PersistPointDevice pp = new PersistPointDevice(image);
            pp.setHook((point, off, len) -> {
                if (recoveryProblem[0] != null) {
                    return;
                }
                for (double keep : new double[] {0.0, recoveryCrashes}) {
                    stats.recoveryImages++;
                    String p = new RecoveryChecker(model, stats).check(image.crash(rnd, keep), 0, rnd);
                    if (p != null) {
                        recoveryProblem[0] = "crash during recovery, before its persist point " + point + " (keep "
                                + keep + "), then mount again: " + p;
                        return;
                    }
                }
            });
            mountOn = pp;
        }
        try {
            fs = CrashTesting.mount(mountOn);
        } catch (FsException e) {
            return "mount failed: " + stackOf(e);
        }
        if (recoveryProblem[0] != null) {
            fs.close();
            return recoveryProblem[0];
        }
        Map<String, byte[]> contents;
        try {
            SortedMap<String, Namespace.Found> found = walk(fs);
            Namespace matched = match(found, true);
            if (matched == null) {
                return "namespace is neither the one before nor the one after the interrupted call:\n  before: "
                        + model.before + "\n    diff: " + model.before.diff(found, model::inoOf)
                        + "\n  after:  " + model.after + "\n    diff: " + model.after.diff(found, model::inoOf)
                        + "\n  found:  " + found.keySet();
            }
            contents = new LinkedHashMap<>();
            String p = checkFiles(fs, matched, contents, true);
            if (p != null) {
                return p;
            }
            if (ro != null) {
                p = ro.compare(found, contents);
                if (p != null) {
                    return p;
                }
            }
            p = probeWrites(fs);
            if (p != null) {
                return p;
            }
        } finally {
            fs.close();
        }
        f = CrashTesting.fsckProblems(image);
        if (f != null) {
            return "after mount and unmount: " + f;
        }
        return checkRemount(image, contents);
    }

    /**
     * What a read-only mount shows (journal replayed in memory only, orphans left alone): it must be what
     * the read-write recovery shows, and the mount must write nothing to the image.
     */
    private final class ReadOnlyView {
        private SortedMap<String, Namespace.Found> found;
        private final Map<String, byte[]> contents = new LinkedHashMap<>();

        String read(CrashSimulatorDevice image) throws FsException {
            // A crash image starts with nothing unpersisted; a mount that writes leaves unpersisted lines
            // or adds persists.
            int persistsBefore = image.persistCount();
            long unpersistedBefore = image.unpersistedLines();
            try (DaxFileSystem fs = DaxFileSystem.mount(image, new MountOptions(true, 0, 0))) {
                found = walk(fs);
                Namespace matched = match(found, false);
                if (matched == null) {
                    return "read-only mount: namespace is neither the one before nor the one after the interrupted call: "
                            + found.keySet();
                }
                String p = checkFiles(fs, matched, contents, false);
                if (p != null) {
                    return "read-only mount: " + p;
                }
            } catch (FsException e) {
                return "read-only mount failed: " + stackOf(e);
            }
            if (image.persistCount() != persistsBefore || image.unpersistedLines() != unpersistedBefore) {
                return "a read-only mount wrote to the image (" + (image.persistCount() - persistsBefore) + " persists, "
                        + image.unpersistedLines() + " unpersisted lines)";
            }
            stats.readOnlyImages++;
            return null;
        }

        String compare(SortedMap<String, Namespace.Found> rwFound, Map<String, byte[]> rwContents) {
            if (!found.equals(rwFound)) {
                return "read-only and read-write mounts of one crash image disagree on the tree:\n  ro: " + found
                        + "\n  rw: " + rwFound;
            }
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                if (!Arrays.equals(e.getValue(), rwContents.get(e.getKey()))) {
                    return "read-only and read-write mounts of one crash image disagree on the content of " + e.getKey();
                }
            }
            return null;
        }
    }

    private Namespace match(SortedMap<String, Namespace.Found> found, boolean count) {
        if (model.before.diff(found, model::inoOf) == null) {
            return model.before;
        }
        if (model.after.diff(found, model::inoOf) == null) {
            stats.matchedAfter += count ? 1 : 0;
            return model.after;
        }
        return null;
    }

    /** Checks each file of the matched namespace once; fills {@code contents} (path -> bytes) for the remount check. */
    private String checkFiles(DaxFileSystem fs, Namespace ns, Map<String, byte[]> contents, boolean count) throws FsException {
        for (Map.Entry<String, Namespace.Node> e : ns.nodes().entrySet()) {
            Namespace.Node n = e.getValue();
            if (n.dir() || !ns.pathsOf(n.id()).get(0).equals(e.getKey())) {
                continue;
            }
            FileModel fm = model.files.get(n.id());
            byte[] r = CrashTesting.readFile(fs, e.getKey());
            contents.put(e.getKey(), r);
            if (count) {
                stats.files++;
                stats.bytes += r.length;
                stats.exactFiles += fm.exact() ? 1 : 0;
            }
            String p = fm.checkContent(r, model.writes);
            if (p != null) {
                return "file #" + n.id() + " at " + e.getKey() + " (inode " + fm.ino + "): " + p;
            }
        }
        return null;
    }

    /**
     * The recovered image must take new work: a new file, written and fsynced. On a full device (the
     * workloads that fill it) the write may stop short, but only if the device really has no room left.
     */
    private String probeWrites(DaxFileSystem fs) throws FsException {
        byte[] b = CrashTesting.data(-1, 0, 2 * CrashTesting.BLOCK + 100);
        try (FileHandle h = fs.open(PROBE, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE)) {
            int n;
            try {
                n = h.write(java.nio.ByteBuffer.wrap(b), 0);
            } catch (FsException e) {
                if (e.errno() != org.daxfs.Errno.ENOSPC) {
                    throw e;
                }
                n = 0;
            }
            if (n < b.length && fs.statfs().availableBlocks() >= 3) {
                return "the recovered image refused a write of " + b.length + " bytes (wrote " + n + ") with "
                        + fs.statfs().availableBlocks() + " blocks available";
            }
            h.fsync();
            probe = Arrays.copyOf(b, n);
        }
        return null;
    }

    /** What the probe file holds. */
    private byte[] probe;

    /** After unmount, a second mount must show the same names and bytes, plus the probe file. */
    private String checkRemount(CrashSimulatorDevice image, Map<String, byte[]> contents) throws FsException {
        DaxFileSystem fs;
        try {
            fs = CrashTesting.mount(image);
        } catch (FsException e) {
            return "second mount (after a clean unmount of the recovered image) failed: " + stackOf(e);
        }
        try {
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                byte[] again = CrashTesting.readFile(fs, e.getKey());
                if (!Arrays.equals(again, e.getValue())) {
                    return "recovery is not stable: " + e.getKey() + " reads differently after unmount and remount (size "
                            + e.getValue().length + " then " + again.length + ")";
                }
            }
            if (!Arrays.equals(CrashTesting.readFile(fs, PROBE), probe)) {
                return "the file written after recovery (" + PROBE + ") lost its fsynced content across a remount";
            }
        } finally {
            fs.close();
        }
        return null;
    }

    /** The recovered tree: every path with its type, inode and link count ("." and ".." left out). */
    static SortedMap<String, Namespace.Found> walk(DaxFileSystem fs) throws FsException {
        SortedMap<String, Namespace.Found> out = new TreeMap<>();
        walk(fs, "/", out);
        return out;
    }

    private static void walk(DaxFileSystem fs, String dir, SortedMap<String, Namespace.Found> out) throws FsException {
        List<DirEntry> entries = fs.readdir(dir);
        for (DirEntry e : entries) {
            String p = (dir.equals("/") ? "/" : dir + "/") + e.name();
            Stat st = fs.lstat(p);
            boolean isDir = e.type() == FileType.DIRECTORY;
            if (st.ino() != e.ino() || st.isDirectory() != isDir) {
                throw new AssertionError(p + ": directory entry says inode " + e.ino() + " " + e.type()
                        + " but stat says inode " + st.ino() + " " + st.type());
            }
            out.put(p, new Namespace.Found(isDir, e.ino(), st.nlink()));
            if (isDir) {
                walk(fs, p, out);
            }
        }
    }

    static String stackOf(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString();
        String[] lines = s.split("\n");
        return String.join("\n", Arrays.copyOf(lines, Math.min(lines.length, 14)));
    }
}
