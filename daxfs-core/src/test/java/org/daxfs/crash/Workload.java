package org.daxfs.crash;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.CrashSimulatorDevice;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.RenameFlag;

/**
 * Drives a mounted DaxFS and a {@link CrashModel} in step: each operation predicts its effect on the model
 * ({@link CrashModel#begin}), calls the file system, checks the outcome (success, or the errno the model
 * predicted), then commits the model ({@link CrashModel#end}). A crash hook firing inside the call sees
 * the model of "before or after this call".
 *
 * <p>{@link #randomOp()} picks a seeded mix of create, write (new blocks and overwrites, aligned or not),
 * append, fsync/fdatasync, truncate up and down, preallocate (keep-size and extending), rename (to a new
 * name, replacing a file, EXCHANGE, NOREPLACE), link, unlink (also of open files), close, mkdir, rmdir,
 * directory rename and clean remount. Focused tests call the operations directly.
 *
 * <p>Files are kept small (a 16 MiB image, a few hundred KiB per file) so runs stay fast, and the image
 * is remounted now and then, which sends the allocator back to the start of the device so that blocks
 * freed earlier get reused — the case where stale data could leak.
 */
final class Workload {
    static final int MAX_FILE = 160 * 1024;
    private static final String[] FILE_NAMES = {"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"};
    private static final String[] DIR_NAMES = {"d0", "d1", "d2"};

    final PersistPointDevice device;
    final CrashModel model = new CrashModel();
    final Random rnd;
    DaxFileSystem fs;
    final Map<Integer, FileHandle> handles = new HashMap<>();
    /** Files unlinked while open: alive until their handle closes. */
    final Set<Integer> openUnlinked = new LinkedHashSet<>();
    /** Set for workloads that fill the device: ENOSPC and short writes are then expected outcomes. */
    boolean fillsDevice;
    /** Operations run, by kind, to show the mix did what it should. */
    final Map<String, Integer> counts = new HashMap<>();

    Workload(long seed, long deviceSize) throws FsException {
        this.rnd = new Random(seed);
        this.device = new PersistPointDevice(CrashTesting.formattedDevice(deviceSize));
        this.fs = CrashTesting.mount(device);
    }

    CrashSimulatorDevice simulator() {
        return device.simulator();
    }

    void closeAll() {
        try {
            for (FileHandle h : handles.values()) {
                h.close();
            }
            fs.close();
        } catch (FsException e) {
            // Closing after a failed run: the failure that matters was already reported.
        } finally {
            device.close();
        }
    }

    // ---- operations --------------------------------------------------------------------------------

    int create(String path, boolean keepOpen) throws FsException {
        int id = model.newId();
        FileModel fm = new FileModel(id, model.op + 1);
        model.files.put(id, fm);
        model.begin("create " + path, model.before.with(path, new Namespace.Node(false, id)));
        FileHandle h = fs.open(path, java.util.EnumSet.of(OpenFlag.READ, OpenFlag.WRITE, OpenFlag.CREATE, OpenFlag.EXCLUSIVE), 0644);
        fm.ino = h.inode();
        model.end();
        if (keepOpen) {
            handles.put(id, h);
        } else {
            h.close();
        }
        count("create");
        return id;
    }

    void write(int id, long off, int len) throws FsException {
        FileModel fm = model.files.get(id);
        long gen = model.writes.record(id, off, len, model.op + 1);
        byte[] b = CrashTesting.data(gen, off, len);
        model.begin("write " + len + " bytes at " + off + " to #" + id + " (size " + fm.size() + ")", model.before);
        FileModel.Write event = new FileModel.Write(gen, off, len, model.op);
        fm.events.add(event);
        if (off + len > fm.size()) {
            fm.allowSizes(fm.size(), off + len);
        }
        byte[] before = fm.content.clone();
        fm.applyWrite(off, b);
        int n = writeOrShort(handle(id), b, off, false);
        if (n < len) {
            shortWrite(fm, event, before, b, n);
        }
        model.end();
        count(n < len ? "write short (ENOSPC)"
                : off % CrashTesting.BLOCK == 0 && len % CrashTesting.BLOCK == 0 ? "write aligned" : "write unaligned");
    }

    /**
     * Writes (or appends) {@code b}; returns how much was written. A short write, or ENOSPC with nothing
     * written, is allowed only on a workload made to fill the device.
     */
    private int writeOrShort(FileHandle h, byte[] b, long off, boolean append) throws FsException {
        int n;
        try {
            n = append ? h.append(ByteBuffer.wrap(b)) : h.write(ByteBuffer.wrap(b), off);
        } catch (FsException e) {
            if (e.errno() != Errno.ENOSPC || !fillsDevice) {
                throw e;
            }
            n = 0;
        }
        if (n < b.length && !fillsDevice) {
            throw new AssertionError("short write: " + n + " of " + b.length + " bytes at " + off + " of " + h.path());
        }
        return n;
    }

    /** The device filled up after {@code n} bytes: the model keeps only those. */
    private static void shortWrite(FileModel fm, FileModel.Write event, byte[] before, byte[] b, int n) {
        fm.content = before;
        if (n > 0) {
            fm.applyWrite(event.off(), Arrays.copyOf(b, n));
        }
        fm.events.set(fm.events.indexOf(event), new FileModel.Write(event.gen(), event.off(), n, event.op()));
        fm.sizeWindow.remove(fm.sizeWindow.size() - 1);
        fm.allowSizes(before.length, fm.size());
    }

    void append(int id, int len) throws FsException {
        FileModel fm = model.files.get(id);
        long off = fm.size();
        long gen = model.writes.record(id, off, len, model.op + 1);
        byte[] b = CrashTesting.data(gen, off, len);
        model.begin("append " + len + " bytes to #" + id + " at " + off, model.before);
        FileModel.Write event = new FileModel.Write(gen, off, len, model.op);
        fm.events.add(event);
        fm.allowSizes(off, off + len);
        byte[] before = fm.content.clone();
        fm.applyWrite(off, b);
        int n = writeOrShort(handle(id), b, off, true);
        if (n < len) {
            shortWrite(fm, event, before, b, n);
        }
        model.end();
        count(n < len ? "append short (ENOSPC)" : "append");
    }

    void fsync(int id, boolean dataOnly) throws FsException {
        model.begin((dataOnly ? "fdatasync #" : "fsync #") + id, model.before);
        if (dataOnly) {
            handle(id).fdatasync();
        } else {
            handle(id).fsync();
        }
        model.files.get(id).synced((dataOnly ? "fdatasync by op " : "fsync by op ") + model.op, model.op);
        model.end();
        count(dataOnly ? "fdatasync" : "fsync");
    }

    void truncate(int id, long size) throws FsException {
        FileModel fm = model.files.get(id);
        model.begin("truncate #" + id + " from " + fm.size() + " to " + size, model.before);
        FileModel.Truncate t = new FileModel.Truncate(size, model.op);
        fm.events.add(t);
        fm.allowSizes(size, size);
        String kind = size < fm.size() ? "truncate down" : "truncate up";
        fm.applyTruncate(size);
        handle(id).truncate(size);
        t.done = true;
        fm.sizeSynced();
        model.end();
        count(kind);
    }

    void allocate(int id, long off, long len, boolean keepSize) throws FsException {
        FileModel fm = model.files.get(id);
        boolean extends_ = !keepSize && off + len > fm.size();
        model.begin("allocate #" + id + " [" + off + ", " + (off + len) + ")" + (keepSize ? " keep-size" : "")
                + " (size " + fm.size() + ")", model.before);
        long oldSize = fm.size();
        if (extends_) {
            fm.allowSizes(off + len, off + len);
            fm.applyTruncate(off + len);
        }
        Errno got = call(() -> handle(id).allocate(off, len, keepSize));
        if (got != null && !(got == Errno.ENOSPC && fillsDevice)) {
            expectOutcome(null, got);
        }
        if (got != null) {
            // "ENOSPC leaves what was allocated, size unchanged."
            if (extends_) {
                fm.applyTruncate(oldSize);
                fm.sizeWindow.remove(fm.sizeWindow.size() - 1);
            }
        } else if (extends_) {
            fm.sizeSynced();
        }
        model.end();
        count((keepSize ? "allocate keep-size" : "allocate") + (got != null ? " (ENOSPC)" : ""));
    }

    /** rename(from, to, flags); returns the errno the model predicted (null: success). */
    Errno rename(String from, String to, RenameFlag... flags) throws FsException {
        Namespace ns = model.before;
        Set<RenameFlag> f = Set.of(flags);
        Namespace.Node s = ns.get(from);
        Namespace.Node d = ns.get(to);
        Errno expect = null;
        Namespace next;
        Integer victim = null;
        String kind;
        if (f.contains(RenameFlag.EXCHANGE)) {
            next = s.equals(d) ? ns : ns.exchanged(from, to);
            kind = "rename exchange";
        } else if (d != null && f.contains(RenameFlag.NOREPLACE)) {
            expect = Errno.EEXIST;
            next = ns;
            kind = "rename noreplace (refused)";
        } else if (d != null && d.equals(s)) {
            next = ns; // two names of one file: rename(2) does nothing
            kind = "rename between links";
        } else {
            next = ns.renamed(from, to);
            if (d != null && next.pathsOf(d.id()).isEmpty()) {
                victim = d.id();
            }
            kind = d != null ? "rename replacing" : s.dir() ? "rename directory" : "rename";
        }
        model.begin("rename " + from + " -> " + to + (flags.length > 0 ? " " + Arrays.toString(flags) : "")
                + (d != null && !f.contains(RenameFlag.EXCHANGE) ? " (replacing #" + d.id() + ")" : ""), next);
        Errno got = call(() -> fs.rename(from, to, flags));
        expectOutcome(expect, got);
        if (victim != null) {
            dropped(victim);
        }
        model.end();
        count(kind);
        return got;
    }

    void link(String existing, String newPath) throws FsException {
        Namespace.Node n = model.before.get(existing);
        model.begin("link " + existing + " -> " + newPath, model.before.with(newPath, n));
        fs.link(existing, newPath);
        model.end();
        count("link");
    }

    void unlink(String path) throws FsException {
        Namespace.Node n = model.before.get(path);
        Namespace next = model.before.without(path);
        model.begin("unlink " + path + (handles.containsKey(n.id()) ? " (open)" : ""), next);
        fs.unlink(path);
        if (next.pathsOf(n.id()).isEmpty()) {
            dropped(n.id());
        }
        model.end();
        count(handles.containsKey(n.id()) ? "unlink open file" : "unlink");
    }

    void close(int id) throws FsException {
        FileHandle h = handles.remove(id);
        model.begin("close #" + id, model.before);
        h.close();
        openUnlinked.remove(id);
        model.end();
        count("close");
    }

    void mkdir(String path) throws FsException {
        int id = model.newId();
        model.begin("mkdir " + path, model.before.with(path, new Namespace.Node(true, id)));
        fs.mkdir(path, 0755);
        model.dirInos.put(id, fs.stat(path).ino());
        model.end();
        count("mkdir");
    }

    Errno rmdir(String path) throws FsException {
        boolean empty = model.before.children(path).isEmpty();
        model.begin("rmdir " + path + (empty ? "" : " (not empty)"), empty ? model.before.without(path) : model.before);
        Errno got = call(() -> fs.rmdir(path));
        expectOutcome(empty ? null : Errno.ENOTEMPTY, got);
        model.end();
        count(empty ? "rmdir" : "rmdir not empty");
        return got;
    }

    /** Clean unmount and mount: afterwards every file is durable, so each base becomes its content. */
    void remount() throws FsException {
        model.begin("remount", model.before);
        for (Integer id : new ArrayList<>(handles.keySet())) {
            handles.remove(id).close();
        }
        openUnlinked.clear();
        fs.close();
        fs = CrashTesting.mount(device);
        for (Namespace.Node n : model.before.nodes().values()) {
            if (!n.dir()) {
                model.files.get(n.id()).synced("clean unmount by op " + model.op, model.op);
            }
        }
        model.end();
        count("remount");
    }

    /** A file lost its last name: it lives on only while open. */
    private void dropped(int id) {
        if (handles.containsKey(id)) {
            openUnlinked.add(id);
        }
    }

    FileHandle handle(int id) throws FsException {
        FileHandle h = handles.get(id);
        if (h == null) {
            h = fs.open(model.before.pathsOf(id).get(0), OpenFlag.READ, OpenFlag.WRITE);
            handles.put(id, h);
        }
        return h;
    }

    private interface Call {
        void run() throws FsException;
    }

    private static Errno call(Call c) throws FsException {
        try {
            c.run();
            return null;
        } catch (FsException e) {
            if (e.errno() == Errno.EIO || e.errno() == Errno.EUCLEAN) {
                throw e;
            }
            return e.errno();
        }
    }

    private void expectOutcome(Errno expected, Errno got) {
        if (expected != got) {
            throw new AssertionError("op " + model.op + " (" + model.current + "): expected "
                    + (expected == null ? "success" : expected) + ", got " + (got == null ? "success" : got));
        }
    }

    private void count(String kind) {
        counts.merge(kind, 1, Integer::sum);
    }

    // ---- the random mix ------------------------------------------------------------------------------

    /** Runs one randomly chosen operation. */
    void randomOp() throws FsException {
        List<Integer> linked = linkedFiles();
        List<Integer> live = new ArrayList<>(linked);
        live.addAll(openUnlinked);
        int roll = rnd.nextInt(100);
        if (live.isEmpty() || (roll < 10 && linked.size() < 10)) {
            String p = freePath();
            if (p != null) {
                create(p, rnd.nextInt(4) != 0);
                return;
            }
        }
        if (live.isEmpty()) {
            return;
        }
        int id = live.get(rnd.nextInt(live.size()));
        FileModel fm = model.files.get(id);
        long size = fm.size();
        if (fillsDevice && rnd.nextInt(10) == 0) {
            // Take what room there is (preallocated past EOF, so it costs nothing to check), and ENOSPC.
            allocate(id, size, 1 + rnd.nextInt(16 << 20), true);
            return;
        }
        if (roll < 34) {
            randomWrite(id, size);
        } else if (roll < 40) {
            if (size < MAX_FILE) {
                append(id, 1 + rnd.nextInt(rnd.nextBoolean() ? 200 : 3 * CrashTesting.BLOCK));
            }
        } else if (roll < 50) {
            fsync(id, rnd.nextInt(3) == 0);
        } else if (roll < 56) {
            truncate(id, rnd.nextInt(3) == 0 && size < MAX_FILE
                    ? size + rnd.nextInt(3 * CrashTesting.BLOCK) : size == 0 ? 0 : rnd.nextLong(size));
        } else if (roll < 61) {
            boolean keep = rnd.nextBoolean();
            long off = rnd.nextBoolean() ? size : rnd.nextLong(size + 1);
            off = rnd.nextBoolean() ? off / CrashTesting.BLOCK * CrashTesting.BLOCK : off;
            long len = 1 + rnd.nextInt(4 * CrashTesting.BLOCK);
            if (off + len <= MAX_FILE) {
                allocate(id, off, len, keep);
            }
        } else if (roll < 75) {
            randomRename();
        } else if (roll < 79) {
            String to = freePath();
            if (!linked.isEmpty() && to != null) {
                int target = linked.get(rnd.nextInt(linked.size()));
                link(model.before.pathsOf(target).get(0), to);
            }
        } else if (roll < 86) {
            List<String> files = filePaths();
            if (!files.isEmpty()) {
                unlink(files.get(rnd.nextInt(files.size())));
            }
        } else if (roll < 91) {
            if (handles.containsKey(id)) {
                close(id);
            }
        } else if (roll < 94) {
            String p = freeDirPath();
            if (p != null) {
                mkdir(p);
            }
        } else if (roll < 97) {
            List<String> dirs = dirPaths();
            if (!dirs.isEmpty()) {
                rmdir(dirs.get(rnd.nextInt(dirs.size())));
            }
        } else if (roll < 98) {
            remount();
        } else {
            randomWrite(id, size);
        }
    }

    private void randomWrite(int id, long size) throws FsException {
        long off;
        int len;
        switch (rnd.nextInt(5)) {
            case 0 -> { // aligned blocks, anywhere (overwrite, extend or fill a hole)
                off = rnd.nextLong(Math.max(1, (size + 2 * CrashTesting.BLOCK) / CrashTesting.BLOCK)) * CrashTesting.BLOCK;
                len = (1 + rnd.nextInt(4)) * CrashTesting.BLOCK;
            }
            case 1 -> { // small unaligned overwrite inside the file
                off = size == 0 ? 0 : rnd.nextLong(size);
                len = 1 + rnd.nextInt(300);
            }
            case 2 -> { // unaligned, spanning blocks
                off = size == 0 ? rnd.nextInt(CrashTesting.BLOCK) : rnd.nextLong(size + 1);
                len = 1 + rnd.nextInt(3 * CrashTesting.BLOCK);
            }
            case 3 -> { // beyond EOF, leaving a hole
                off = size + rnd.nextInt(6 * CrashTesting.BLOCK);
                len = 1 + rnd.nextInt(2 * CrashTesting.BLOCK);
            }
            default -> { // at EOF
                off = size;
                len = 1 + rnd.nextInt(2 * CrashTesting.BLOCK);
            }
        }
        if (off + len <= MAX_FILE) {
            write(id, off, len);
        } else if (size > 0) {
            write(id, rnd.nextLong(size), (int) Math.min(len, MAX_FILE - size + 1));
        }
    }

    private void randomRename() throws FsException {
        List<String> files = filePaths();
        if (files.isEmpty()) {
            return;
        }
        String from = files.get(rnd.nextInt(files.size()));
        String other = files.get(rnd.nextInt(files.size()));
        switch (rnd.nextInt(6)) {
            case 0, 1 -> {
                String to = freePath();
                if (to != null) {
                    rename(from, to);
                }
            }
            case 2 -> rename(from, other); // replaces (or nothing, between links of one file)
            case 3 -> {
                if (!from.equals(other)) {
                    rename(from, other, RenameFlag.EXCHANGE);
                }
            }
            case 4 -> {
                String to = rnd.nextBoolean() ? freePath() : other;
                if (to != null && !to.equals(from)) {
                    rename(from, to, RenameFlag.NOREPLACE);
                }
            }
            default -> {
                List<String> dirs = dirPaths();
                String to = freeDirPath();
                if (!dirs.isEmpty() && to != null) {
                    String dir = dirs.get(rnd.nextInt(dirs.size()));
                    if (!to.startsWith(dir + "/") && (Namespace.parent(to).equals("/") || model.before.children(dir).stream().noneMatch(c -> model.before.get(c).dir()))) {
                        rename(dir, to);
                    }
                }
            }
        }
    }

    List<Integer> linkedFiles() {
        Set<Integer> ids = new LinkedHashSet<>();
        for (Namespace.Node n : model.before.nodes().values()) {
            if (!n.dir()) {
                ids.add(n.id());
            }
        }
        return new ArrayList<>(ids);
    }

    private List<String> filePaths() {
        List<String> out = new ArrayList<>();
        model.before.nodes().forEach((p, n) -> {
            if (!n.dir()) {
                out.add(p);
            }
        });
        return out;
    }

    private List<String> dirPaths() {
        List<String> out = new ArrayList<>();
        model.before.nodes().forEach((p, n) -> {
            if (n.dir()) {
                out.add(p);
            }
        });
        return out;
    }

    /** An unused file path in the root or an existing directory, or null. */
    private String freePath() {
        List<String> dirs = dirPaths();
        dirs.add("/");
        for (int tries = 0; tries < 8; tries++) {
            String dir = dirs.get(rnd.nextInt(dirs.size()));
            String p = (dir.equals("/") ? "/" : dir + "/") + FILE_NAMES[rnd.nextInt(FILE_NAMES.length)];
            if (!model.before.exists(p)) {
                return p;
            }
        }
        return null;
    }

    /** An unused directory path at depth 1 or 2, or null. */
    private String freeDirPath() {
        List<String> parents = new ArrayList<>();
        parents.add("/");
        model.before.nodes().forEach((p, n) -> {
            if (n.dir() && Namespace.parent(p).equals("/")) {
                parents.add(p);
            }
        });
        String parent = parents.get(rnd.nextInt(parents.size()));
        String p = (parent.equals("/") ? "/" : parent + "/") + DIR_NAMES[rnd.nextInt(DIR_NAMES.length)];
        return model.before.exists(p) ? null : p;
    }

    /**
     * The running file system must agree with the model exactly (names, inodes, link counts, contents):
     * otherwise the crash checks would be judged against a wrong model.
     */
    void checkLiveAgainstModel() throws FsException {
        String d = model.before.diff(RecoveryChecker.walk(fs), model::inoOf);
        if (d != null) {
            throw new AssertionError("model and live file system disagree after op " + model.op + ": " + d);
        }
        for (int id : linkedFiles()) {
            String p = model.before.pathsOf(id).get(0);
            byte[] live = CrashTesting.readFile(fs, p);
            if (!Arrays.equals(live, model.files.get(id).content)) {
                throw new AssertionError("model and live file system disagree on the content of " + p + " after op " + model.op);
            }
        }
    }
}
