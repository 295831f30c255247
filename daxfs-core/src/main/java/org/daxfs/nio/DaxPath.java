package org.daxfs.nio;

import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A path in a DaxFS file system: an optional root {@code /} and names separated by {@code /}, as on
 * Unix. Paths are purely lexical, as Jimfs's and the default provider's are: redundant slashes are
 * dropped when parsed, {@code .} and {@code ..} stay until {@link #normalize()}, and only
 * {@link #toRealPath} asks the file system. The empty path has one empty name; the working directory of
 * {@link #toAbsolutePath()} is the root.
 *
 * <p>Locks: none (immutable).
 */
final class DaxPath implements Path {
    private static final String[] NO_NAMES = new String[0];
    private static final String[] EMPTY_NAMES = {""};

    private final DaxNioFileSystem fs;
    private final boolean absolute;
    /** The names; {@code [""]} for the empty path, none for the root. */
    private final String[] names;
    private final String string;

    private DaxPath(DaxNioFileSystem fs, boolean absolute, String[] names) {
        this.fs = fs;
        this.absolute = absolute;
        this.names = names;
        this.string = (absolute ? "/" : "") + String.join("/", names);
    }

    /** Parses {@code first} and {@code more} joined by {@code /}, as {@link java.nio.file.FileSystem#getPath}. */
    static DaxPath parse(DaxNioFileSystem fs, String first, String... more) {
        StringBuilder sb = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                if (!sb.isEmpty()) {
                    sb.append('/');
                }
                sb.append(m);
            }
        }
        String s = sb.toString();
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            throw new InvalidPathException(s, "Nul character not allowed", nul);
        }
        boolean abs = s.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String p : s.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return of(fs, abs, parts.toArray(NO_NAMES));
    }

    static DaxPath root(DaxNioFileSystem fs) {
        return new DaxPath(fs, true, NO_NAMES);
    }

    private static DaxPath of(DaxNioFileSystem fs, boolean absolute, String[] names) {
        if (!absolute && names.length == 0) {
            return new DaxPath(fs, false, EMPTY_NAMES);
        }
        return new DaxPath(fs, absolute, names);
    }

    private DaxPath with(boolean abs, String[] n) {
        return of(fs, abs, n);
    }

    boolean isEmpty() {
        return !absolute && names.length == 1 && names[0].isEmpty();
    }

    /** The names, as given (none for the root; one empty name for the empty path). */
    List<String> names() {
        return List.of(names);
    }

    /** The absolute path string the engine is given (not normalized: the engine resolves {@code ..} itself). */
    String enginePath() {
        return absolute ? string : isEmpty() ? "/" : "/" + string;
    }

    @Override
    public DaxNioFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return absolute;
    }

    @Override
    public DaxPath getRoot() {
        return absolute ? root(fs) : null;
    }

    @Override
    public DaxPath getFileName() {
        if (names.length == 0) {
            return null;
        }
        if (!absolute && names.length == 1) {
            return this;
        }
        return with(false, new String[] {names[names.length - 1]});
    }

    @Override
    public DaxPath getParent() {
        if (names.length == 0 || (!absolute && names.length == 1)) {
            return null;
        }
        return with(absolute, Arrays.copyOf(names, names.length - 1));
    }

    @Override
    public int getNameCount() {
        return names.length;
    }

    @Override
    public DaxPath getName(int index) {
        if (index < 0 || index >= names.length) {
            throw new IllegalArgumentException("name index " + index + " out of range for " + names.length + " names");
        }
        return with(false, new String[] {names[index]});
    }

    @Override
    public DaxPath subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || beginIndex >= names.length || endIndex <= beginIndex || endIndex > names.length) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") out of range for "
                    + names.length + " names");
        }
        return with(false, Arrays.copyOfRange(names, beginIndex, endIndex));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof DaxPath o) || o.fs != fs || o.absolute != absolute || o.names.length > names.length) {
            return false;
        }
        return Arrays.equals(names, 0, o.names.length, o.names, 0, o.names.length);
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof DaxPath o) || o.fs != fs) {
            return false;
        }
        if (o.absolute) {
            return equals(o);
        }
        if (o.isEmpty()) {
            return isEmpty();
        }
        int off = names.length - o.names.length;
        return off >= 0 && Arrays.equals(names, off, names.length, o.names, 0, o.names.length);
    }

    @Override
    public DaxPath normalize() {
        List<String> out = new ArrayList<>(names.length);
        boolean changed = false;
        for (String n : names) {
            if (n.isEmpty() || n.equals(".")) {
                changed = true;
            } else if (n.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                    changed = true;
                } else if (absolute) {
                    changed = true; // the parent of the root is the root
                } else {
                    out.add(n);
                }
            } else {
                out.add(n);
            }
        }
        return changed ? with(absolute, out.toArray(NO_NAMES)) : this;
    }

    @Override
    public DaxPath resolve(Path other) {
        DaxPath o = check(other);
        if (o.absolute) {
            return o;
        }
        if (o.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return o;
        }
        String[] n = Arrays.copyOf(names, names.length + o.names.length);
        System.arraycopy(o.names, 0, n, names.length, o.names.length);
        return with(absolute, n);
    }

    @Override
    public DaxPath resolve(String other) {
        return resolve(parse(fs, other));
    }

    @Override
    public DaxPath relativize(Path other) {
        DaxPath o = check(other);
        if (o.absolute != absolute) {
            throw new IllegalArgumentException("'" + other + "' is not the same kind of path as '" + this
                    + "': one is absolute, the other relative");
        }
        if (equals(o)) {
            return with(false, NO_NAMES);
        }
        if (isEmpty()) {
            return o;
        }
        int shared = 0;
        while (shared < names.length && shared < o.names.length && names[shared].equals(o.names[shared])) {
            shared++;
        }
        List<String> parts = new ArrayList<>();
        for (int i = shared; i < names.length; i++) {
            parts.add("..");
        }
        parts.addAll(Arrays.asList(o.names).subList(shared, o.names.length));
        return with(false, parts.toArray(NO_NAMES));
    }

    @Override
    public URI toUri() {
        return fs.uriOf(toAbsolutePath());
    }

    @Override
    public DaxPath toAbsolutePath() {
        if (absolute) {
            return this;
        }
        return isEmpty() ? root(fs) : with(true, names);
    }

    @Override
    public DaxPath toRealPath(LinkOption... options) throws IOException {
        boolean follow = true;
        for (LinkOption o : options) {
            if (o == LinkOption.NOFOLLOW_LINKS) {
                follow = false;
            } else {
                Objects.requireNonNull(o);
            }
        }
        return fs.realPath(this, follow);
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        Objects.requireNonNull(watcher);
        throw new UnsupportedOperationException("DaxFS has no watch service");
    }

    @Override
    public int compareTo(Path other) {
        return string.compareTo(((DaxPath) other).string);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DaxPath p && p.fs == fs && p.string.equals(string);
    }

    @Override
    public int hashCode() {
        return 31 * System.identityHashCode(fs) + string.hashCode();
    }

    @Override
    public String toString() {
        return string;
    }

    /** {@code other} as a path of this file system's provider, or ProviderMismatchException. */
    private DaxPath check(Path other) {
        Objects.requireNonNull(other);
        if (!(other instanceof DaxPath o)) {
            throw new ProviderMismatchException("not a DaxFS path: " + other + " (" + other.getClass().getName() + ")");
        }
        if (o.fs != fs) {
            throw new ProviderMismatchException("path " + other + " belongs to another DaxFS file system");
        }
        return o;
    }

    /** Builds a path from names (used by toRealPath). */
    static DaxPath absolute(DaxNioFileSystem fs, List<String> names) {
        return of(fs, true, names.toArray(NO_NAMES));
    }
}
