package org.daxfs.nio;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileOwnerAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.daxfs.Errno;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.Stat;
import org.daxfs.format.Extent;
import org.daxfs.format.InodeRecord;

/**
 * The attribute views: "basic", "owner", "posix", "unix" (by name only, as on the default provider) and
 * "daxfs" ({@link DaxFileAttributeView}), as objects and by name ({@code Files.readAttributes(p, "posix:*")},
 * {@code Files.setAttribute(p, "daxfs:dax", true)}).
 *
 * <p>The engine changes attributes through a final symbolic link only; with {@code NOFOLLOW_LINKS} a
 * change to a symbolic link itself fails with EOPNOTSUPP (reading works either way).
 *
 * <p>Locks: none.
 */
final class Attributes {
    static final Set<String> VIEW_NAMES = Set.of("basic", "owner", "posix", "unix", "daxfs");

    private static final List<String> BASIC = List.of("lastModifiedTime", "lastAccessTime", "creationTime", "size",
            "isRegularFile", "isDirectory", "isSymbolicLink", "isOther", "fileKey");
    private static final List<String> OWNER = List.of("owner");
    private static final List<String> POSIX = concat(BASIC, List.of("owner", "permissions", "group"));
    private static final List<String> UNIX = concat(POSIX, List.of("mode", "ino", "dev", "rdev", "nlink", "uid", "gid", "ctime"));
    private static final List<String> DAXFS = concat(BASIC, List.of("dax", "daxActive", "extents", "unwrittenBlocks", "inode"));

    private Attributes() {
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The names of a view's attributes, or UnsupportedOperationException for a view not supported. */
    private static List<String> namesOf(String view) {
        return switch (view) {
            case "basic" -> BASIC;
            case "owner" -> OWNER;
            case "posix" -> POSIX;
            case "unix" -> UNIX;
            case "daxfs" -> DAXFS;
            default -> throw new UnsupportedOperationException("view '" + view + "' is not supported (supported: "
                    + VIEW_NAMES + ")");
        };
    }

    // ---- initial attributes ------------------------------------------------------------------------

    /** The permission bits asked for by {@code attrs} ("posix:permissions" or "unix:mode"), or {@code dflt}. */
    static int initialMode(FileAttribute<?>[] attrs, int dflt) {
        int mode = dflt;
        for (FileAttribute<?> a : attrs) {
            switch (a.name()) {
                case "posix:permissions", "unix:permissions" -> mode = modeOf(permissions(a.value()));
                case "unix:mode" -> mode = ((Integer) a.value()) & 07777;
                default -> throw new UnsupportedOperationException("'" + a.name() + "' cannot be set as an initial attribute");
            }
        }
        return mode;
    }

    @SuppressWarnings("unchecked")
    private static Set<PosixFilePermission> permissions(Object value) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (Object o : (Collection<Object>) value) {
            s.add((PosixFilePermission) o);
        }
        return s;
    }

    static int modeOf(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return m;
    }

    static Set<PosixFilePermission> permissionsOf(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, bit 0400 .. 01
        for (int i = 0; i < all.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                s.add(all[i]);
            }
        }
        return s;
    }

    // ---- views ---------------------------------------------------------------------------------------

    /** A view of {@code type} for {@code path}, or null if the type is not supported. */
    @SuppressWarnings("unchecked")
    static <V extends FileAttributeView> V view(DaxPath path, Class<V> type, boolean follow) {
        DaxNioFileSystem fs = path.getFileSystem();
        if (type == BasicFileAttributeView.class) {
            return (V) new BasicView(fs, path, follow);
        }
        if (type == PosixFileAttributeView.class) {
            return (V) new PosixView(fs, path, follow);
        }
        if (type == FileOwnerAttributeView.class) {
            return (V) new OwnerView(fs, path, follow);
        }
        if (type == DaxFileAttributeView.class) {
            return (V) new DaxView(fs, path, follow);
        }
        return null;
    }

    /** Attributes of {@code type} for {@code path}, or UnsupportedOperationException. */
    @SuppressWarnings("unchecked")
    static <A extends BasicFileAttributes> A read(DaxPath path, Class<A> type, boolean follow) throws IOException {
        if (type == BasicFileAttributes.class || type == PosixFileAttributes.class) {
            return (A) snapshot(path, follow, false);
        }
        if (type == DaxFileAttributes.class) {
            return (A) snapshot(path, follow, true);
        }
        throw new UnsupportedOperationException("attributes of " + type.getName() + " are not supported");
    }

    private static Snapshot snapshot(DaxPath path, boolean follow, boolean withExtents) throws IOException {
        DaxNioFileSystem fs = path.getFileSystem();
        Stat st = fs.stat(path, follow);
        List<Extent> extents = withExtents ? extentsOf(path, st, follow) : null;
        return new Snapshot(st, fs.uuid(), extents);
    }

    private static List<Extent> extentsOf(DaxPath path, Stat st, boolean follow) throws IOException {
        if (st.isSymlink()) {
            return List.of(); // the engine lists the extents of a final link's target only
        }
        String s = path.enginePath();
        return List.copyOf(path.getFileSystem().call(path, null, e -> e.extents(s)));
    }

    /** Refuses a change to a symbolic link itself, which the engine cannot make. */
    private static void checkChangeable(DaxNioFileSystem fs, DaxPath path, boolean follow) throws IOException {
        fs.checkWritable();
        if (!follow && fs.stat(path, false).isSymlink()) {
            throw new FileSystemException(path.toString(), null, Errors.reason(Errno.EOPNOTSUPP,
                    "the attributes of a symbolic link itself cannot be changed"));
        }
    }

    private static void setTimes(DaxNioFileSystem fs, DaxPath path, boolean follow, FileTime mtime, FileTime atime)
            throws IOException {
        if (mtime == null && atime == null) {
            return;
        }
        checkChangeable(fs, path, follow);
        long m = nanos(mtime);
        long a = nanos(atime);
        String s = path.enginePath();
        fs.run(path, null, e -> e.utimes(s, a, m));
    }

    /** A FileTime as engine nanoseconds, or UTIME_OMIT for null (out-of-range times saturate). */
    private static long nanos(FileTime t) {
        if (t == null) {
            return DaxFileSystem.UTIME_OMIT;
        }
        long n = t.to(TimeUnit.NANOSECONDS);
        return Math.max(n, DaxFileSystem.UTIME_OMIT + 1); // keep clear of the two special values
    }

    private static void chmod(DaxNioFileSystem fs, DaxPath path, boolean follow, int mode) throws IOException {
        checkChangeable(fs, path, follow);
        String s = path.enginePath();
        fs.run(path, null, e -> e.chmod(s, mode));
    }

    private static void chown(DaxNioFileSystem fs, DaxPath path, boolean follow, int uid, int gid) throws IOException {
        checkChangeable(fs, path, follow);
        String s = path.enginePath();
        fs.run(path, null, e -> e.chown(s, uid, gid));
    }

    static void setDax(DaxNioFileSystem fs, DaxPath path, boolean follow, boolean dax) throws IOException {
        checkChangeable(fs, path, follow);
        String s = path.enginePath();
        fs.run(path, null, e -> {
            int others = e.stat(s).flags() & InodeRecord.USER_FLAGS & ~Stat.FLAG_DAX;
            e.setFlags(s, others | (dax ? Stat.FLAG_DAX : 0));
        });
    }

    static class BasicView implements BasicFileAttributeView {
        final DaxNioFileSystem fs;
        final DaxPath path;
        final boolean follow;

        BasicView(DaxNioFileSystem fs, DaxPath path, boolean follow) {
            this.fs = fs;
            this.path = path;
            this.follow = follow;
        }

        @Override
        public String name() {
            return "basic";
        }

        @Override
        public BasicFileAttributes readAttributes() throws IOException {
            return snapshot(path, follow, false);
        }

        /** Sets the modification and access times; a file's creation time cannot be changed (ignored). */
        @Override
        public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) throws IOException {
            Attributes.setTimes(fs, path, follow, lastModifiedTime, lastAccessTime);
        }
    }

    static final class PosixView extends BasicView implements PosixFileAttributeView {
        PosixView(DaxNioFileSystem fs, DaxPath path, boolean follow) {
            super(fs, path, follow);
        }

        @Override
        public String name() {
            return "posix";
        }

        @Override
        public PosixFileAttributes readAttributes() throws IOException {
            return snapshot(path, follow, false);
        }

        @Override
        public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
            chmod(fs, path, follow, modeOf(perms));
        }

        @Override
        public void setGroup(GroupPrincipal group) throws IOException {
            chown(fs, path, follow, -1, Principals.gidOf(group));
        }

        @Override
        public UserPrincipal getOwner() throws IOException {
            return readAttributes().owner();
        }

        @Override
        public void setOwner(UserPrincipal owner) throws IOException {
            chown(fs, path, follow, Principals.uidOf(owner), -1);
        }
    }

    static final class OwnerView implements FileOwnerAttributeView {
        private final PosixView posix;

        OwnerView(DaxNioFileSystem fs, DaxPath path, boolean follow) {
            this.posix = new PosixView(fs, path, follow);
        }

        @Override
        public String name() {
            return "owner";
        }

        @Override
        public UserPrincipal getOwner() throws IOException {
            return posix.getOwner();
        }

        @Override
        public void setOwner(UserPrincipal owner) throws IOException {
            posix.setOwner(owner);
        }
    }

    static final class DaxView extends BasicView implements DaxFileAttributeView {
        DaxView(DaxNioFileSystem fs, DaxPath path, boolean follow) {
            super(fs, path, follow);
        }

        @Override
        public String name() {
            return "daxfs";
        }

        @Override
        public DaxFileAttributes readAttributes() throws IOException {
            return snapshot(path, follow, true);
        }

        @Override
        public void setDax(boolean dax) throws IOException {
            Attributes.setDax(fs, path, follow, dax);
        }
    }

    // ---- by name ---------------------------------------------------------------------------------------

    /** {@code Files.readAttributes(path, "view:a,b")}: the named attributes (every one for {@code *}). */
    static Map<String, Object> readByName(DaxPath path, String attributes, boolean follow) throws IOException {
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        String list = colon < 0 ? attributes : attributes.substring(colon + 1);
        List<String> known = namesOf(view);
        List<String> wanted;
        if (List.of(list.split(",", -1)).contains("*")) {
            wanted = known;
        } else {
            wanted = List.of(list.split(",", -1));
            for (String n : wanted) {
                if (!known.contains(n)) {
                    throw new IllegalArgumentException("'" + n + "' not recognized in view '" + view + "'");
                }
            }
        }
        boolean extents = wanted.contains("extents") || wanted.contains("unwrittenBlocks");
        Snapshot s = snapshot(path, follow, extents);
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : wanted) {
            out.put(n, s.get(n));
        }
        return out;
    }

    /** {@code Files.setAttribute(path, "view:name", value)}. */
    static void setByName(DaxPath path, String attribute, Object value, boolean follow) throws IOException {
        int colon = attribute.indexOf(':');
        String view = colon < 0 ? "basic" : attribute.substring(0, colon);
        String name = colon < 0 ? attribute : attribute.substring(colon + 1);
        if (!namesOf(view).contains(name)) {
            throw new IllegalArgumentException("'" + name + "' not recognized in view '" + view + "'");
        }
        DaxNioFileSystem fs = path.getFileSystem();
        switch (name) {
            case "lastModifiedTime" -> setTimes(fs, path, follow, (FileTime) value, null);
            case "lastAccessTime" -> setTimes(fs, path, follow, null, (FileTime) value);
            case "creationTime" -> {
                FileTime ignored = (FileTime) value; // a creation time cannot be changed, as on Linux
            }
            case "permissions" -> chmod(fs, path, follow, modeOf(permissions(value)));
            case "owner" -> chown(fs, path, follow, Principals.uidOf((UserPrincipal) value), -1);
            case "group" -> chown(fs, path, follow, -1, Principals.gidOf((GroupPrincipal) value));
            case "mode" -> chmod(fs, path, follow, (Integer) value & 07777);
            case "uid" -> chown(fs, path, follow, (Integer) value, -1);
            case "gid" -> chown(fs, path, follow, -1, (Integer) value);
            case "dax" -> setDax(fs, path, follow, (Boolean) value);
            default -> throw new IllegalArgumentException("'" + attribute + "' cannot be set");
        }
    }

    // ---- the attributes themselves ---------------------------------------------------------------------

    /** What identifies a file: the image and the inode number. */
    record FileKey(UUID image, long ino) {
    }

    /** The attributes of one moment: a stat, and the extents if asked for. */
    static final class Snapshot implements PosixFileAttributes, DaxFileAttributes {
        private final Stat st;
        private final UUID image;
        private final List<Extent> extents;

        Snapshot(Stat st, UUID image, List<Extent> extents) {
            this.st = st;
            this.image = image;
            this.extents = extents;
        }

        @Override
        public FileTime lastModifiedTime() {
            return time(st.mtime());
        }

        @Override
        public FileTime lastAccessTime() {
            return time(st.atime());
        }

        @Override
        public FileTime creationTime() {
            return time(st.btime());
        }

        @Override
        public boolean isRegularFile() {
            return st.isRegular();
        }

        @Override
        public boolean isDirectory() {
            return st.isDirectory();
        }

        @Override
        public boolean isSymbolicLink() {
            return st.isSymlink();
        }

        @Override
        public boolean isOther() {
            return st.type() == null;
        }

        @Override
        public long size() {
            return st.size();
        }

        @Override
        public Object fileKey() {
            return new FileKey(image, st.ino());
        }

        @Override
        public UserPrincipal owner() {
            return new Principals.User(st.uid());
        }

        @Override
        public GroupPrincipal group() {
            return new Principals.Group(st.gid());
        }

        @Override
        public Set<PosixFilePermission> permissions() {
            return permissionsOf(st.mode());
        }

        @Override
        public boolean isDax() {
            return st.isDax();
        }

        @Override
        public boolean isDaxActive() {
            return st.isDaxActive();
        }

        @Override
        public List<Extent> extents() {
            if (extents == null) {
                throw new IllegalStateException("extents were not read");
            }
            return extents;
        }

        @Override
        public long unwrittenBlocks() {
            long n = 0;
            for (Extent e : extents()) {
                if (e.unwritten()) {
                    n += e.length();
                }
            }
            return n;
        }

        @Override
        public long inode() {
            return st.ino();
        }

        Object get(String name) {
            return switch (name) {
                case "lastModifiedTime" -> lastModifiedTime();
                case "lastAccessTime" -> lastAccessTime();
                case "creationTime" -> creationTime();
                case "size" -> size();
                case "isRegularFile" -> isRegularFile();
                case "isDirectory" -> isDirectory();
                case "isSymbolicLink" -> isSymbolicLink();
                case "isOther" -> isOther();
                case "fileKey" -> fileKey();
                case "owner" -> owner();
                case "group" -> group();
                case "permissions" -> permissions();
                case "mode" -> st.mode();
                case "ino", "inode" -> st.ino();
                case "dev" -> image.getMostSignificantBits();
                case "rdev" -> 0L;
                case "nlink" -> st.nlink();
                case "uid" -> st.uid();
                case "gid" -> st.gid();
                case "ctime" -> time(st.ctime());
                case "dax" -> isDax();
                case "daxActive" -> isDaxActive();
                case "extents" -> extents();
                case "unwrittenBlocks" -> unwrittenBlocks();
                default -> throw new IllegalArgumentException("'" + name + "' not recognized");
            };
        }

        private static FileTime time(long nanos) {
            return FileTime.from(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
