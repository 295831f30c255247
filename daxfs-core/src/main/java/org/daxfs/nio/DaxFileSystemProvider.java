package org.daxfs.nio;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.DeviceOptions;
import org.daxfs.device.Devices;
import org.daxfs.format.Superblock;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.MountOptions;

/**
 * The {@code daxfs} file system provider, registered in
 * {@code META-INF/services/java.nio.file.spi.FileSystemProvider}.
 *
 * <pre>
 *   URI uri = URI.create("daxfs:" + Path.of("data.img").toUri());          // daxfs:file:///.../data.img
 *   try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of("create", true, "size", "256m"))) {
 *       Path p = fs.getPath("/logs/a.log");
 *       ...
 *   }
 * </pre>
 *
 * <p>An image is opened by its URI ({@link #newFileSystem(URI, Map)}) or by its path
 * ({@link #newFileSystem(Path, Map)}, which {@code FileSystems.newFileSystem(Path, ...)} reaches for a file
 * that holds a DaxFS image; zipfs is asked first and claims {@code create=true} for any path, so create
 * new images through the URI or this provider). Either way the file system is registered by the image's
 * real path until it is closed: a second open throws {@link FileSystemAlreadyExistsException}, and
 * {@link #getPath(URI)} with {@code daxfs:file:///x.img!/a/b} finds it. The environment is described
 * by {@link EnvOptions}: {@code create}, {@code size}, {@code readOnly}, {@code dax}, {@code uid}, {@code gid}.
 *
 * <p>Locks: the provider's monitor while a file system is opened, registered or removed (it formats and
 * mounts under it; the engine's locks are taken inside and released before it returns).
 */
public final class DaxFileSystemProvider extends FileSystemProvider {
    /** The URI scheme. */
    public static final String SCHEME = "daxfs";

    private final Map<Path, DaxNioFileSystem> fileSystems = new HashMap<>();

    /** Called by the service loader. */
    public DaxFileSystemProvider() {
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    // ---- file systems ----------------------------------------------------------------------------------

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        return open(imageOf(uri), env, true);
    }

    /**
     * Opens the image at {@code path} (a file of the default file system). Throws
     * UnsupportedOperationException for a file that is not a DaxFS image, unless {@code create} asks to
     * make one where there is nothing (or an empty file), so that {@code FileSystems.newFileSystem} tries
     * the next provider.
     */
    @Override
    public FileSystem newFileSystem(Path path, Map<String, ?> env) throws IOException {
        if (path.getFileSystem() != FileSystems.getDefault()) {
            throw new UnsupportedOperationException("a DaxFS image must be a file of the default file system: " + path);
        }
        return open(path.toAbsolutePath(), env, false);
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        Path key = keyOf(imageOf(uri));
        synchronized (this) {
            DaxNioFileSystem fs = fileSystems.get(key);
            if (fs == null) {
                throw new FileSystemNotFoundException("no DaxFS file system is open for " + key);
            }
            return fs;
        }
    }

    /** The path a {@code daxfs:<image URI>!/a/b} URI names in its (open) file system. */
    @Override
    public Path getPath(URI uri) {
        String raw = checkScheme(uri).getRawSchemeSpecificPart();
        int sep = raw.indexOf("!/");
        if (sep < 0) {
            throw new IllegalArgumentException("URI '" + uri + "' names no path in the image: add '!/path', as in "
                    + "daxfs:file:///tmp/data.img!/a/b");
        }
        DaxNioFileSystem fs = (DaxNioFileSystem) getFileSystem(uri);
        return fs.getPath(URI.create(raw.substring(sep + 1)).getPath());
    }

    private FileSystem open(Path image, Map<String, ?> env, boolean byUri) throws IOException {
        Objects.requireNonNull(image);
        if (!byUri) {
            // Leave files that are not ours to the other providers, before looking at env.
            Boolean ours = isDaxImage(image);
            boolean create = env != null && ("true".equalsIgnoreCase(String.valueOf(env.get("create"))));
            if (!Boolean.TRUE.equals(ours) && !(create && (ours == null || isEmpty(image)))) {
                throw new UnsupportedOperationException(image + " is not a DaxFS image");
            }
        }
        EnvOptions o = EnvOptions.parse(env);
        synchronized (this) {
            Path key = keyOf(image);
            if (fileSystems.containsKey(key)) {
                throw new FileSystemAlreadyExistsException(key.toString());
            }
            Device device = openOrCreate(image, o);
            DaxNioFileSystem fs;
            try {
                DaxFileSystem engine = DaxFileSystem.mount(device, o.mountOptions());
                try {
                    fs = new DaxNioFileSystem(this, keyOf(image), image, device, engine, o.readOnly());
                } catch (FsException e) {
                    engine.close();
                    throw e;
                }
            } catch (FsException e) {
                device.close();
                throw new FileSystemException(image.toString(), null, Errors.reason(e));
            } catch (RuntimeException e) {
                device.close();
                throw e;
            }
            fileSystems.put(fs.key(), fs);
            return fs;
        }
    }

    /** Opens the image's device, first creating and formatting the image if asked and it is missing or empty. */
    private static Device openOrCreate(Path image, EnvOptions o) throws IOException {
        boolean exists = Files.exists(image);
        if (!exists && !o.create()) {
            throw new NoSuchFileException(image.toString(), null, "no DaxFS image (create=true makes one)");
        }
        boolean format = !exists || (o.create() && isEmpty(image));
        if (!format && !Boolean.TRUE.equals(isDaxImage(image))) {
            throw new FileSystemException(image.toString(), null, "not a DaxFS image (bad superblock magic)");
        }
        try {
            if (format) {
                if (exists) {
                    Files.delete(image); // an empty file: make it a sparse image of the size asked
                }
                Devices.createImage(image, o.size());
                Device device = Devices.open(image, DeviceOptions.defaults());
                try {
                    DaxFileSystem.format(device, FormatOptions.defaults());
                    return device;
                } catch (FsException | RuntimeException e) {
                    device.close();
                    Files.deleteIfExists(image);
                    throw e;
                }
            }
            return Devices.open(image, DeviceOptions.defaults().withReadOnly(o.readOnly()));
        } catch (FsException e) {
            throw new FileSystemException(image.toString(), null, Errors.reason(e));
        }
    }

    /** True if the file starts with a DaxFS superblock's magic, false if not, null if it does not exist. */
    private static Boolean isDaxImage(Path image) throws IOException {
        if (!Files.exists(image)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // read the magic
            }
            return !b.hasRemaining() && b.getInt(0) == Superblock.MAGIC;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isEmpty(Path image) throws IOException {
        return Files.isRegularFile(image) && Files.size(image) == 0;
    }

    /** Forgets a file system that closed. */
    synchronized void removed(Path key, DaxNioFileSystem fs) {
        fileSystems.remove(key, fs);
    }

    /** The registration key of an image: its real path, or its absolute normalized path if it is missing. */
    private static Path keyOf(Path image) {
        try {
            return image.toRealPath();
        } catch (IOException e) {
            return image.toAbsolutePath().normalize();
        }
    }

    private static URI checkScheme(URI uri) {
        if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("URI scheme is not '" + SCHEME + "': " + uri);
        }
        return uri;
    }

    /** The image a {@code daxfs:} URI names: {@code daxfs:file:///x.img[!/path]} or {@code daxfs:/x.img}. */
    static Path imageOf(URI uri) {
        String raw = checkScheme(uri).getRawSchemeSpecificPart();
        int sep = raw.indexOf("!/");
        String spec = sep < 0 ? raw : raw.substring(0, sep);
        URI inner;
        try {
            inner = new URI(spec);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("URI '" + uri + "' does not name an image: " + e.getMessage(), e);
        }
        Path image;
        if (inner.getScheme() == null) {
            image = Path.of(inner.getPath());
        } else {
            image = Path.of(inner);
            if (image.getFileSystem() != FileSystems.getDefault()) {
                throw new IllegalArgumentException("a DaxFS image must be a file of the default file system: " + uri);
            }
        }
        return image.toAbsolutePath();
    }

    // ---- paths -------------------------------------------------------------------------------------------

    /** {@code path} as a DaxFS path of an open file system, or ProviderMismatchException. */
    static DaxPath toDaxPath(Path path) {
        Objects.requireNonNull(path);
        if (!(path instanceof DaxPath p)) {
            throw new ProviderMismatchException("not a DaxFS path: " + path + " (" + path.getClass().getName() + ")");
        }
        return p;
    }

    private static DaxPath open(Path path) {
        DaxPath p = toDaxPath(path);
        p.getFileSystem().checkOpen();
        return p;
    }

    private static boolean follow(LinkOption... options) {
        boolean follow = true;
        for (LinkOption o : options) {
            if (Objects.requireNonNull(o) == LinkOption.NOFOLLOW_LINKS) {
                follow = false;
            }
        }
        return follow;
    }

    // ---- files ---------------------------------------------------------------------------------------------

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        DaxPath p = open(path);
        return p.getFileSystem().newFileChannel(p, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        DaxPath p = open(path);
        return p.getFileSystem().newFileChannel(p, options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        DaxPath p = open(dir);
        return p.getFileSystem().newDirectoryStream(p, filter);
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        DaxPath p = open(dir);
        p.getFileSystem().createDirectory(p, attrs);
    }

    @Override
    public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
        DaxPath l = open(link);
        DaxPath t = toDaxPath(target);
        l.getFileSystem().createSymbolicLink(l, t, attrs);
    }

    @Override
    public void createLink(Path link, Path existing) throws IOException {
        DaxPath l = open(link);
        DaxPath e = toDaxPath(existing);
        if (e.getFileSystem() != l.getFileSystem()) {
            throw new FileSystemException(link.toString(), existing.toString(),
                    "EXDEV: Invalid cross-device link (a hard link cannot cross DaxFS file systems)");
        }
        l.getFileSystem().createLink(l, e);
    }

    @Override
    public Path readSymbolicLink(Path link) throws IOException {
        DaxPath l = open(link);
        return l.getFileSystem().readSymbolicLink(l);
    }

    @Override
    public void delete(Path path) throws IOException {
        DaxPath p = open(path);
        p.getFileSystem().delete(p);
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        CopyMove.copy(open(source), open(target), options);
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        CopyMove.move(open(source), open(target), options);
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        DaxPath a = open(path);
        if (!(path2 instanceof DaxPath b)) {
            return false;
        }
        return a.getFileSystem().isSameFile(a, b);
    }

    /** True if the file's name starts with a dot, as on Unix. */
    @Override
    public boolean isHidden(Path path) {
        DaxPath p = open(path);
        DaxPath name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        DaxPath p = open(path);
        p.getFileSystem().stat(p, true);
        return p.getFileSystem().store();
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        DaxPath p = open(path);
        p.getFileSystem().checkAccess(p, modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return Attributes.view(open(path), Objects.requireNonNull(type), follow(options));
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        return Attributes.read(open(path), Objects.requireNonNull(type), follow(options));
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return Attributes.readByName(open(path), attributes, follow(options));
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        Attributes.setByName(open(path), attribute, value, follow(options));
    }

    @Override
    public String toString() {
        return "DaxFileSystemProvider[" + SCHEME + "]";
    }
}
