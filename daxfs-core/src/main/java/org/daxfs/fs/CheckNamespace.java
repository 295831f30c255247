package org.daxfs.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.daxfs.FsException;
import org.daxfs.format.DirectoryIndex;

/**
 * The namespace: directories, names, link counts and the orphan list.
 *
 * <ul>
 * <li>Every directory passes {@link DirectoryIndex#check}. A directory that does not cannot be listed, so
 *     names and links are then not judged at all (they would be wrong), and nothing about them repaired.
 *     An inode being freed (on the orphan list with no links) is exempt: a crash while mount or unlink
 *     gives its blocks back leaves it part-way, and the next mount finishes.
 * <li>Walking from the root: every entry names an in-use inode (not free, damaged, reserved or the root;
 *     never "." or ".."), with the entry type of that inode; no directory has two names; a directory's
 *     parent is the directory that names it.
 * <li>Link counts: a file's is its number of names, a directory's 2 plus its subdirectories, an inode on
 *     the orphan list with no name has 0 (an orphan with links is a truncate in progress and needs a name).
 * <li>Every inode in use is reached from the root or from the orphan list; one that is not and has no
 *     links goes on the orphan list (the next mount frees it); one that is not but has links is linked
 *     into /lost+found as {@code #ino}, so nothing is lost.
 * <li>The orphan list: no loop, every entry an in-use inode, no directory that still has links or a name.
 * </ul>
 *
 * <p>Repairs planned: remove bad entries, fix entry types, link counts and parents, link lost inodes into
 * /lost+found, rebuild the orphan list.
 *
 * <p>Locking: none; one fsck thread on an unmounted image.
 */
final class CheckNamespace {
    /** The name of a reached inode: the directory that holds it and the entry. */
    private record Name(long dir, byte[] name) {
    }

    private static final byte[] DOT = {'.'};
    private static final byte[] DOTDOT = {'.', '.'};
    private static final int MAX_PATH_DEPTH = 4096;

    private final CheckContext cx;
    private final CheckInodes inodes;
    private final Map<Long, List<DirectoryIndex.Entry>> entries = new HashMap<>();
    private final Map<Long, Integer> names = new HashMap<>();
    private final Map<Long, Integer> subdirs = new HashMap<>();
    private final Map<Long, Long> parentOf = new HashMap<>();
    private final Map<Long, Name> firstName = new HashMap<>();
    private final Set<Long> reached = new HashSet<>();
    private final Set<Long> lost = new LinkedHashSet<>();
    private final List<Long> orphans = new ArrayList<>();
    private final Set<Long> orphanSet = new HashSet<>();
    private final List<Long> newOrphans = new ArrayList<>();
    /** False when some directory cannot be listed, or some record read: names and links are then unknown. */
    private boolean complete = true;

    CheckNamespace(CheckContext cx, CheckInodes inodes) {
        this.cx = cx;
        this.inodes = inodes;
    }

    void check(FsckProgress.Span progress) {
        boolean orphanListBroken = walkOrphans();
        judgeBeingFreed();
        readDirectories(progress.part(0, 800));
        FsckInode root = inodes.get(InodeTable.ROOT_INO);
        if (root == null || !root.sound || !root.isDirectory() || inodes.anyUnreadable()) {
            complete = false;
        }
        if (root != null && root.isDirectory()) {
            reached.add(InodeTable.ROOT_INO);
            traverse(InodeTable.ROOT_INO);
        }
        for (long o : orphans) {
            // An orphan being freed needs no name; one being truncated (it has links) must have one, and
            // if it has none it is adopted below like any other nameless inode, not freed.
            if (!reached.contains(o) && inodes.get(o).nlink == 0) {
                reached.add(o);
                traverse(o);
            }
        }
        if (complete) {
            adoptUnreached();
            checkLinks();
            checkParents();
        }
        // Only rmdir puts a directory on the list, with no links and no name. For one with links, the next
        // mount would trim it to its size as it does an interrupted truncate, freeing its overflow blocks.
        List<Long> dropped = new ArrayList<>();
        for (long o : orphans) {
            FsckInode in = inodes.get(o);
            if (in.isDirectory() && (in.nlink != 0 || (complete && names.getOrDefault(o, 0) > 0))) {
                cx.findings.inode(o, "a directory with " + (in.nlink != 0 ? "links" : "a name") + " is on the orphan list");
                dropped.add(o);
            }
        }
        if (orphanListBroken || !newOrphans.isEmpty() || !dropped.isEmpty()) {
            List<Long> list = new ArrayList<>(orphans);
            list.removeAll(dropped);
            list.addAll(newOrphans);
            cx.plan.orphans = list.stream().mapToLong(Long::longValue).toArray();
        }
        progress.done();
    }

    // ---- paths ---------------------------------------------------------------------------------

    /** The path of {@code ino} as this pass found it, or null if it has none. */
    String pathOf(long ino) {
        if (ino == InodeTable.ROOT_INO) {
            return "/";
        }
        List<String> parts = new ArrayList<>();
        long cur = ino;
        for (int depth = 0; cur != InodeTable.ROOT_INO; depth++) {
            Name n = firstName.get(cur);
            if (n == null || depth > MAX_PATH_DEPTH) {
                return null;
            }
            parts.add(printable(n.name));
            cur = n.dir;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) {
            sb.append('/').append(parts.get(i));
        }
        return sb.toString();
    }

    /** A name for messages: as UTF-8, control characters escaped. */
    static String printable(byte[] name) {
        String s = new String(name, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    // ---- the orphan list -----------------------------------------------------------------------

    /** Walks the orphan list, keeping its sound prefix; true if it is broken (to be rebuilt). */
    private boolean walkOrphans() {
        long prev = 0;
        for (long cur = cx.sb.orphanHead(); cur != 0; ) {
            String from = prev == 0 ? "the superblock's head" : "inode " + prev;
            if (cur <= InodeTable.ROOT_INO || cur >= inodes.count()) {
                cx.findings.problem("orphan list: " + from + " points to " + Long.toUnsignedString(cur)
                        + ", which is not a usable inode number");
                return true;
            }
            byte s = inodes.state(cur);
            if (s == CheckInodes.UNREADABLE) {
                complete = false;
                return false;
            }
            if (s != CheckInodes.IN_USE) {
                cx.findings.problem("orphan list: " + from + " points to inode " + cur + ", which is "
                        + (s == CheckInodes.FREE ? "free" : "damaged"));
                return true;
            }
            if (!orphanSet.add(cur)) {
                cx.findings.problem("orphan list loops back to inode " + cur);
                return true;
            }
            orphans.add(cur);
            prev = cur;
            cur = inodes.get(cur).next;
        }
        return false;
    }

    /** True if mount is to finish freeing {@code in}: on the orphan list with no links. */
    private boolean beingFreed(FsckInode in) {
        return orphanSet.contains(in.ino) && in.nlink == 0;
    }

    /** Reports the content problems the inode pass left for this pass, unless the inode is being freed. */
    private void judgeBeingFreed() {
        TreeMap<Long, FsckInode> sorted = new TreeMap<>(inodes.inUse());
        for (FsckInode in : sorted.values()) {
            if (in.unlessBeingFreed != null && !beingFreed(in)) {
                cx.findings.inode(in.ino, in.unlessBeingFreed);
                in.sound = false;
            }
        }
    }

    // ---- directories ---------------------------------------------------------------------------

    /** Checks and lists every directory in use; one that fails makes the namespace unknown. */
    private void readDirectories(FsckProgress.Span progress) {
        List<FsckInode> dirs = new ArrayList<>();
        for (FsckInode in : inodes.inUse().values()) {
            // A directory on the orphan list with no links is being freed (rmdir, or a rename over it
            // crashed part-way): its blocks may already be gone, and mount finishes the job.
            if (in.isDirectory() && !beingFreed(in)) {
                dirs.add(in);
            }
        }
        dirs.sort((a, b) -> Long.compare(a.ino, b.ino));
        for (int i = 0; i < dirs.size(); i++) {
            FsckInode dir = dirs.get(i);
            List<DirectoryIndex.Entry> list = list(dir);
            if (list == null) {
                complete = false;
            } else {
                entries.put(dir.ino, list);
            }
            progress.at(i, dirs.size());
        }
    }

    /** The entries of {@code dir}, or null if it cannot be listed (each problem reported). */
    private List<DirectoryIndex.Entry> list(FsckInode dir) {
        if (!dir.sound) {
            return null;
        }
        DirectoryIndex index = new DirectoryIndex(new DirectoryBlocks(cx.view, dir.ino, dir.dirRecord()), cx.sb.hashSeed());
        List<String> problems = new ArrayList<>();
        List<DirectoryIndex.Entry> out = new ArrayList<>();
        try {
            index.check(problems::add);
            if (problems.isEmpty()) {
                index.forEach(out::add);
            }
        } catch (FsException | RuntimeException e) {
            problems.add("directory could not be read: " + Fsck.describe(e));
        }
        if (problems.isEmpty()) {
            return out;
        }
        for (String p : problems) {
            cx.findings.inode(dir.ino, p);
        }
        dir.sound = false;
        return null;
    }

    /** Walks the directories below {@code start}, which is reached, counting names and checking entries. */
    private void traverse(long start) {
        ArrayDeque<Long> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            long dirIno = queue.poll();
            List<DirectoryIndex.Entry> list = entries.get(dirIno);
            if (list != null) {
                for (DirectoryIndex.Entry e : list) {
                    visit(dirIno, e, queue);
                }
            }
        }
    }

    private void visit(long dir, DirectoryIndex.Entry e, ArrayDeque<Long> queue) {
        long ino = e.ino();
        String entry = "entry '" + printable(e.name()) + "'";
        if (Arrays.equals(e.name(), DOT) || Arrays.equals(e.name(), DOTDOT)) {
            cx.findings.inode(dir, entry + " is not allowed");
            remove(dir, e);
            return;
        }
        if (ino < InodeTable.ROOT_INO || ino >= inodes.count()) {
            cx.findings.inode(dir, entry + " names inode " + Long.toUnsignedString(ino) + ", which does not exist");
            remove(dir, e);
            return;
        }
        if (ino == InodeTable.ROOT_INO) {
            cx.findings.inode(dir, entry + " names the root directory");
            remove(dir, e);
            return;
        }
        byte s = inodes.state(ino);
        if (s == CheckInodes.UNREADABLE) {
            return;
        }
        if (s == CheckInodes.FREE || s == CheckInodes.DAMAGED) {
            cx.findings.inode(dir, entry + " names " + (s == CheckInodes.FREE ? "free" : "damaged") + " inode " + ino);
            remove(dir, e);
            return;
        }
        FsckInode target = inodes.get(ino);
        if (e.type() != target.direntType()) {
            cx.findings.inode(dir, entry + " has type " + e.type() + ", but inode " + ino + " is a "
                    + CheckInodes.typeName(target.type));
            cx.plan.entries.add(new FsckPlan.EntryFix(dir, e.name(), ino, target.direntType()));
        }
        if (target.isDirectory()) {
            if (reached.contains(ino)) {
                cx.findings.inode(dir, entry + " is a second name of directory " + ino);
                remove(dir, e);
                return;
            }
            reached.add(ino);
            firstName.put(ino, new Name(dir, e.name()));
            parentOf.put(ino, dir);
            subdirs.merge(dir, 1, Integer::sum);
            names.merge(ino, 1, Integer::sum);
            queue.add(ino);
        } else {
            names.merge(ino, 1, Integer::sum);
            if (reached.add(ino)) {
                firstName.put(ino, new Name(dir, e.name()));
            }
        }
    }

    private void remove(long dir, DirectoryIndex.Entry e) {
        cx.plan.entries.add(new FsckPlan.EntryFix(dir, e.name(), e.ino(), -1));
    }

    // ---- inodes nobody names ---------------------------------------------------------------------

    /**
     * Gives every in-use inode not reached a place: the orphan list when it has no links (and holds
     * nothing), else /lost+found. Directories go first, and of a chain of lost directories the topmost,
     * so that a lost subtree is linked once, whole.
     */
    private void adoptUnreached() {
        TreeMap<Long, FsckInode> unreached = new TreeMap<>();
        for (FsckInode in : inodes.inUse().values()) {
            if (!reached.contains(in.ino)) {
                unreached.put(in.ino, in);
            }
        }
        for (FsckInode in : unreached.values()) {
            if (in.isDirectory() && !reached.contains(in.ino)) {
                adopt(topmost(in));
            }
        }
        for (FsckInode in : unreached.values()) {
            if (!reached.contains(in.ino)) {
                adopt(in);
            }
        }
    }

    /** The highest unreached directory above {@code dir}, following parent pointers. */
    private FsckInode topmost(FsckInode dir) {
        FsckInode cur = dir;
        Set<Long> seen = new HashSet<>();
        while (seen.add(cur.ino)) {
            FsckInode p = inodes.get(cur.parent);
            if (p == null || !p.isDirectory() || reached.contains(p.ino) || !entries.containsKey(p.ino)) {
                break;
            }
            cur = p;
        }
        return cur;
    }

    private void adopt(FsckInode in) {
        reached.add(in.ino);
        List<DirectoryIndex.Entry> held = entries.get(in.ino);
        if (in.nlink == 0 && (held == null || held.isEmpty())) {
            cx.findings.inode(in.ino, "has no links and is not on the orphan list");
            newOrphans.add(in.ino);
            orphanSet.add(in.ino);
            return;
        }
        cx.findings.inode(in.ino, "in use but has no name");
        lost.add(in.ino);
        if (in.isDirectory()) {
            traverse(in.ino);
        }
    }

    // ---- link counts and parents ---------------------------------------------------------------

    private void checkLinks() {
        TreeMap<Long, FsckInode> sorted = new TreeMap<>(inodes.inUse());
        for (FsckInode in : sorted.values()) {
            int n = names.getOrDefault(in.ino, 0);
            int sub = subdirs.getOrDefault(in.ino, 0);
            if (lost.contains(in.ino)) {
                // Linked into /lost+found by repair, which sets the count with the new name.
                cx.plan.lost.add(new FsckPlan.Lost(in.ino, in.isDirectory(), in.isDirectory() ? 2 + sub : n + 1));
                continue;
            }
            long expected;
            if (n == 0 && orphanSet.contains(in.ino)) {
                expected = 0;
            } else {
                expected = in.isDirectory() ? 2 + sub : n;
            }
            if (in.nlink != expected) {
                cx.findings.inode(in.ino, "link count " + Integer.toUnsignedString(in.nlink) + ", should be " + expected);
                cx.plan.record(in.ino).nlink = (int) expected;
            }
        }
    }

    private void checkParents() {
        TreeMap<Long, Long> sorted = new TreeMap<>(parentOf);
        sorted.put(InodeTable.ROOT_INO, InodeTable.ROOT_INO);
        for (Map.Entry<Long, Long> e : sorted.entrySet()) {
            FsckInode dir = inodes.get(e.getKey());
            if (dir.parent != e.getValue()) {
                cx.findings.inode(dir.ino, "parent is inode " + Long.toUnsignedString(dir.parent) + ", should be "
                        + e.getValue());
                cx.plan.record(dir.ino).parent = e.getValue();
            }
        }
    }
}
