package org.daxfs.nio;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.OpenFlag;
import org.daxfs.fs.Stat;

/**
 * One mounted image as a {@link FileSystem}: paths, the file store, and the {@code Files} operations on
 * one file (the provider checks its arguments and hands them here). Closing it closes every channel,
 * stream and directory stream it opened, unmounts the engine and closes the device; from then on every
 * operation throws {@link ClosedFileSystemException}.
 *
 * <p>Locks: none of the engine's. {@link #close} is synchronized (a leaf: it calls the engine's close
 * under it, which takes the engine's locks in their order, and nothing calls back into this class).
 */
final class DaxNioFileSystem extends FileSystem {
    /** Symbolic links followed in one lookup before ELOOP, as Linux's MAXSYMLINKS. */
    static final int MAX_SYMLINKS = 40;
    static final int DEFAULT_FILE_MODE = 0644;
    static final int DEFAULT_DIRECTORY_MODE = 0755;

    private final DaxFileSystemProvider provider;
    private final Path key;
    private final Path image;
    private final Device device;
    private final DaxFileSystem engine;
    private final boolean readOnly;
    private final UUID uuid;
    private final DaxPath root;
    private final DaxFileStore store;
    private final Set<Closeable> resources = ConcurrentHashMap.newKeySet();
    private final LockTable locks = new LockTable();
    private volatile boolean open = true;

    DaxNioFileSystem(DaxFileSystemProvider provider, Path key, Path image, Device device, DaxFileSystem engine,
            boolean readOnly) throws FsException {
        this.provider = provider;
        this.key = key;
        this.image = image;
        this.device = device;
        this.engine = engine;
        this.readOnly = readOnly;
        this.uuid = engine.info().uuid();
        this.root = DaxPath.root(this);
        this.store = new DaxFileStore(this);
    }

    // ---- FileSystem ----------------------------------------------------------------------------------

    @Override
    public DaxFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
        }
        IOException failure = null;
        try {
            for (Closeable c : List.copyOf(resources)) {
                try {
                    c.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
            resources.clear();
            try {
                engine.close();
            } catch (FsException e) {
                failure = failure == null ? new FileSystemException(image.toString(), null, Errors.reason(e)) : failure;
                failure.addSuppressed(e);
            }
        } finally {
            device.close();
            provider.removed(key, this);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(root);
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        checkOpen();
        return List.of(store);
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Attributes.VIEW_NAMES;
    }

    @Override
    public DaxPath getPath(String first, String... more) {
        return DaxPath.parse(this, first, more);
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        return PathMatchers.of(syntaxAndPattern);
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return Principals.INSTANCE;
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("DaxFS has no watch service");
    }

    @Override
    public String toString() {
        return "daxfs:" + image;
    }

    // ---- what the provider and the other classes of this package use ---------------------------------

    /** The key this file system is registered by in its provider: the image's real path. */
    Path key() {
        return key;
    }

    /** The image file. */
    Path image() {
        return image;
    }

    DaxFileStore store() {
        return store;
    }

    UUID uuid() {
        return uuid;
    }

    LockTable locks() {
        return locks;
    }

    void checkOpen() {
        if (!open) {
            throw Errors.closed(null);
        }
    }

    /** Refuses a change on a read-only file system (and any operation on a closed one). */
    void checkWritable() {
        checkOpen();
        if (readOnly) {
            throw new ReadOnlyFileSystemException();
        }
    }

    /** An engine call that may fail with an errno. */
    interface EngineCall<T> {
        T call(DaxFileSystem engine) throws FsException;
    }

    /** An engine call that returns nothing. */
    interface EngineAction {
        void run(DaxFileSystem engine) throws FsException;
    }

    /** Runs an engine call about {@code file} (and {@code other}), translating its errors. */
    <T> T call(DaxPath file, DaxPath other, EngineCall<T> call) throws IOException {
        checkOpen();
        try {
            return call.call(engine);
        } catch (FsException e) {
            throw Errors.translate(e, file, other);
        }
    }

    void run(DaxPath file, DaxPath other, EngineAction action) throws IOException {
        call(file, other, e -> {
            action.run(e);
            return null;
        });
    }

    /** The attributes of {@code p}, following a final symbolic link if {@code follow}. */
    Stat stat(DaxPath p, boolean follow) throws IOException {
        String s = p.enginePath();
        return call(p, null, e -> follow ? e.stat(s) : e.lstat(s));
    }

    /** As {@link #stat}, or null if nothing is there. */
    Stat statIfExists(DaxPath p, boolean follow) throws IOException {
        String s = p.enginePath();
        return call(p, null, e -> {
            try {
                return follow ? e.stat(s) : e.lstat(s);
            } catch (FsException x) {
                if (x.errno() == Errno.ENOENT) {
                    return null;
                }
                throw x;
            }
        });
    }

    void register(Closeable resource) {
        resources.add(resource);
        if (!open) {
            resources.remove(resource);
            throw Errors.closed(null);
        }
    }

    void unregister(Closeable resource) {
        resources.remove(resource);
    }

    // ---- operations on files -----------------------------------------------------------------------

    /** Opens a channel, after {@code Files.newByteChannel}'s options. */
    DaxFileChannel newFileChannel(DaxPath path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        boolean read = false;
        boolean write = false;
        boolean append = false;
        boolean truncate = false;
        boolean create = false;
        boolean createNew = false;
        boolean deleteOnClose = false;
        boolean sync = false;
        boolean dsync = false;
        boolean nofollow = false;
        for (OpenOption o : options) {
            if (o instanceof StandardOpenOption so) {
                switch (so) {
                    case READ -> read = true;
                    case WRITE -> write = true;
                    case APPEND -> append = true;
                    case TRUNCATE_EXISTING -> truncate = true;
                    case CREATE -> create = true;
                    case CREATE_NEW -> createNew = true;
                    case DELETE_ON_CLOSE -> deleteOnClose = true;
                    case SYNC -> sync = true;
                    case DSYNC -> dsync = true;
                    case SPARSE -> {
                        // every file is sparse
                    }
                }
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                nofollow = true;
            } else {
                throw new UnsupportedOperationException("open option " + Objects.requireNonNull(o) + " is not supported");
            }
        }
        if (append) {
            if (read) {
                throw new IllegalArgumentException("READ and APPEND cannot be used together");
            }
            if (truncate) {
                throw new IllegalArgumentException("APPEND and TRUNCATE_EXISTING cannot be used together");
            }
            write = true;
        }
        if (!write) {
            read = true;
        }
        int mode = Attributes.initialMode(attrs, DEFAULT_FILE_MODE);
        EnumSet<OpenFlag> flags = EnumSet.noneOf(OpenFlag.class);
        if (read) {
            flags.add(OpenFlag.READ);
        }
        if (write) {
            checkWritable();
            flags.add(OpenFlag.WRITE);
            if (createNew) {
                flags.add(OpenFlag.CREATE);
                flags.add(OpenFlag.EXCLUSIVE);
            } else if (create) {
                flags.add(OpenFlag.CREATE);
            }
            if (truncate) {
                flags.add(OpenFlag.TRUNCATE);
            }
            if (append) {
                flags.add(OpenFlag.APPEND);
            }
        } else if (deleteOnClose) {
            checkWritable();
        }
        if (nofollow) {
            flags.add(OpenFlag.NOFOLLOW);
        }
        String s = path.enginePath();
        FileHandle h = call(path, null, e -> e.open(s, flags, mode));
        DaxFileChannel ch = new DaxFileChannel(this, path, h, read, write, append, sync, dsync, deleteOnClose);
        try {
            register(ch);
        } catch (ClosedFileSystemException e) {
            try {
                h.close();
            } catch (FsException ignored) {
                // the file system is being closed; it releases the handle's file itself
            }
            throw e;
        }
        return ch;
    }

    DirectoryStream<Path> newDirectoryStream(DaxPath dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        DaxDirectoryStream ds = new DaxDirectoryStream(this, dir, filter);
        register(ds);
        return ds;
    }

    void createDirectory(DaxPath dir, FileAttribute<?>... attrs) throws IOException {
        int mode = Attributes.initialMode(attrs, DEFAULT_DIRECTORY_MODE);
        checkWritable();
        String s = dir.enginePath();
        run(dir, null, e -> e.mkdir(s, mode));
    }

    /** Removes a file, symbolic link or empty directory. */
    void delete(DaxPath p) throws IOException {
        checkWritable();
        String s = p.enginePath();
        run(p, null, e -> {
            try {
                e.unlink(s);
            } catch (FsException x) {
                if (x.errno() != Errno.EISDIR) {
                    throw x;
                }
                e.rmdir(s);
            }
        });
    }

    /**
     * DELETE_ON_CLOSE: removes the name the channel was opened by, best effort as the JDK's is (it may be
     * gone already). Also while the file system closes, which closes channels before unmounting.
     */
    void deleteOnClose(DaxPath p) {
        try {
            engine.unlink(p.enginePath());
        } catch (FsException | RuntimeException ignored) {
            // already removed or renamed, or the file system is read-only
        }
    }

    void createSymbolicLink(DaxPath link, DaxPath target, FileAttribute<?>... attrs) throws IOException {
        if (attrs.length > 0) {
            throw new UnsupportedOperationException("a symbolic link takes no initial attributes, was given "
                    + attrs[0].name());
        }
        checkWritable();
        String s = link.enginePath();
        String t = target.toString();
        run(link, null, e -> e.symlink(t, s));
    }

    void createLink(DaxPath link, DaxPath existing) throws IOException {
        checkWritable();
        String s = link.enginePath();
        String x = existing.enginePath();
        run(link, existing, e -> e.link(x, s));
    }

    DaxPath readSymbolicLink(DaxPath link) throws IOException {
        checkOpen();
        String s = link.enginePath();
        try {
            return getPath(engine.readlink(s));
        } catch (FsException e) {
            throw Errors.translateReadlink(e, link);
        }
    }

    boolean isSameFile(DaxPath a, DaxPath b) throws IOException {
        if (a.equals(b)) {
            return true;
        }
        if (a.getFileSystem() != b.getFileSystem()) {
            return false;
        }
        return stat(a, true).ino() == stat(b, true).ino();
    }

    /**
     * Checks that the file exists and may be accessed as asked. The Java API acts as root (files are
     * created as the mount's uid, 0 by default): reading and writing are always allowed, except writing on
     * a read-only file system; executing needs an execute bit, as for root on Linux.
     */
    void checkAccess(DaxPath p, AccessMode... modes) throws IOException {
        Stat st = stat(p, true);
        for (AccessMode m : modes) {
            switch (m) {
                case READ -> {
                }
                case WRITE -> {
                    if (readOnly) {
                        throw new AccessDeniedException(p.toString(), null, Errors.reason(Errno.EROFS, null));
                    }
                }
                case EXECUTE -> {
                    if ((st.permissions() & 0111) == 0) {
                        throw new AccessDeniedException(p.toString(), null, Errors.reason(Errno.EACCES, "no execute permission"));
                    }
                }
            }
        }
    }

    /**
     * The real path: absolute, every symbolic link resolved (the last one only if {@code follow}), no
     * {@code .} or {@code ..}, as Linux's realpath(3) resolves it. The file must exist.
     */
    DaxPath realPath(DaxPath p, boolean follow) throws IOException {
        checkOpen();
        Deque<String> todo = new ArrayDeque<>(p.toAbsolutePath().names());
        List<String> done = new ArrayList<>();
        boolean lastNotDirectory = false;
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pollFirst();
            if (name.isEmpty()) {
                continue;
            }
            if (lastNotDirectory) {
                throw Errors.translate(FsException.of(Errno.ENOTDIR, p.enginePath()), p, null);
            }
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            done.add(name);
            DaxPath here = DaxPath.absolute(this, done);
            String hs = here.enginePath();
            Stat st = call(p, null, e -> e.lstat(hs));
            if (st.isSymlink() && (follow || !todo.isEmpty())) {
                if (++links > MAX_SYMLINKS) {
                    throw Errors.translate(FsException.of(Errno.ELOOP, p.enginePath()), p, null);
                }
                String target = readSymbolicLink(here).toString();
                done.removeLast();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> parts = getPath(target).names();
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
            } else {
                lastNotDirectory = !st.isDirectory();
            }
        }
        if (done.isEmpty()) {
            stat(root, true);
        }
        return DaxPath.absolute(this, done);
    }

    /** {@code daxfs:<image URI>!<path>}, as zipfs's {@code jar:} URIs; {@code path} is absolute. */
    URI uriOf(DaxPath path) {
        try {
            String rawPath = new URI(null, null, path.toString(), null, null).getRawPath();
            // A '!' in the image's name would end it early when the URI is parsed again.
            String imageUri = image.toUri().toString().replace("!", "%21");
            return new URI(DaxFileSystemProvider.SCHEME + ":" + imageUri + "!" + rawPath);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot make a URI of " + path + " in " + image, e);
        }
    }
}
