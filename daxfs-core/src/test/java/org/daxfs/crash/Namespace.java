package org.daxfs.crash;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntToLongFunction;

/**
 * The names of the file system: an immutable map from absolute path to node. Namespace operations are
 * journaled and synchronous, so after a crash the recovered tree must equal the namespace before the call
 * that was in progress, or the one after it — never a mixture (a rename that left both names, or neither).
 */
final class Namespace {
    /** A file or directory; {@code id} is the model's identity of the inode (not its number). */
    record Node(boolean dir, int id) {
    }

    /** What a recovered image shows at a path. */
    record Found(boolean dir, long ino, int nlink) {
    }

    static final Namespace EMPTY = new Namespace(new TreeMap<>());

    private final SortedMap<String, Node> nodes;

    private Namespace(SortedMap<String, Node> nodes) {
        this.nodes = Collections.unmodifiableSortedMap(nodes);
    }

    SortedMap<String, Node> nodes() {
        return nodes;
    }

    Node get(String path) {
        return nodes.get(path);
    }

    boolean exists(String path) {
        return nodes.containsKey(path);
    }

    /** Paths naming file {@code id}, sorted. */
    List<String> pathsOf(int id) {
        List<String> out = new ArrayList<>();
        nodes.forEach((p, n) -> {
            if (!n.dir() && n.id() == id) {
                out.add(p);
            }
        });
        return out;
    }

    List<String> children(String dir) {
        String prefix = dir.equals("/") ? "/" : dir + "/";
        List<String> out = new ArrayList<>();
        for (String p : nodes.keySet()) {
            if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0) {
                out.add(p);
            }
        }
        return out;
    }

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i == 0 ? "/" : path.substring(0, i);
    }

    Namespace with(String path, Node node) {
        TreeMap<String, Node> m = new TreeMap<>(nodes);
        m.put(path, node);
        return new Namespace(m);
    }

    Namespace without(String path) {
        TreeMap<String, Node> m = new TreeMap<>(nodes);
        m.remove(path);
        return new Namespace(m);
    }

    /** rename(2) without flags or with NOREPLACE (target absent): moves {@code from} and, for a directory, everything under it. */
    Namespace renamed(String from, String to) {
        TreeMap<String, Node> m = new TreeMap<>();
        Node moved = nodes.get(from);
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            String p = e.getKey();
            if (p.equals(from) || p.equals(to) || p.startsWith(from + "/")) {
                continue;
            }
            m.put(p, e.getValue());
        }
        m.put(to, moved);
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            if (e.getKey().startsWith(from + "/")) {
                m.put(to + e.getKey().substring(from.length()), e.getValue());
            }
        }
        return new Namespace(m);
    }

    /** RENAME_EXCHANGE of two files. */
    Namespace exchanged(String a, String b) {
        TreeMap<String, Node> m = new TreeMap<>(nodes);
        m.put(a, nodes.get(b));
        m.put(b, nodes.get(a));
        return new Namespace(m);
    }

    /**
     * Compares a recovered tree with this namespace.
     *
     * @param inoOf the inode number of a model id, or -1 if not known (a create still in progress)
     * @return null if they match, else the first difference
     */
    String diff(SortedMap<String, Found> found, IntToLongFunction inoOf) {
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            Found f = found.get(e.getKey());
            Node n = e.getValue();
            if (f == null) {
                return e.getKey() + " is missing";
            }
            if (f.dir() != n.dir()) {
                return e.getKey() + " is a " + (f.dir() ? "directory" : "file") + ", expected a " + (n.dir() ? "directory" : "file");
            }
            long ino = inoOf.applyAsLong(n.id());
            if (ino >= 0 && f.ino() != ino) {
                return e.getKey() + " names inode " + f.ino() + ", expected " + ino;
            }
            if (ino < 0) {
                for (Node other : nodes.values()) {
                    if (other.id() != n.id() && inoOf.applyAsLong(other.id()) == f.ino()) {
                        return e.getKey() + " (being created) names inode " + f.ino() + ", which another node owns";
                    }
                }
            }
            if (!n.dir() && f.nlink() != pathsOf(n.id()).size()) {
                return e.getKey() + " has link count " + f.nlink() + ", expected " + pathsOf(n.id()).size();
            }
        }
        for (String p : found.keySet()) {
            if (!nodes.containsKey(p)) {
                return p + " exists but should not";
            }
        }
        return null;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        nodes.forEach((p, n) -> sb.append(sb.length() > 1 ? " " : "").append(p).append(n.dir() ? "/" : "=#" + n.id()));
        return sb.append('}').toString();
    }
}
