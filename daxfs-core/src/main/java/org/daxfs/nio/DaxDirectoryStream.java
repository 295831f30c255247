package org.daxfs.nio;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.daxfs.fs.DirEntry;

/**
 * A directory listing, read a page at a time with the engine's readdir cookies, so a huge directory is
 * never held in memory whole; entries that stay in the directory while it is listed are returned exactly
 * once. The first page is read when the stream opens, so a missing directory or a file fails there.
 *
 * <p>Locks: none.
 */
final class DaxDirectoryStream implements DirectoryStream<Path> {
    private static final int PAGE = 512;

    private final DaxNioFileSystem fs;
    private final DaxPath dir;
    private final Filter<? super Path> filter;
    private final Deque<DirEntry> page = new ArrayDeque<>();
    private long cookie;
    private boolean exhausted;
    private volatile boolean closed;
    private boolean iterated;

    DaxDirectoryStream(DaxNioFileSystem fs, DaxPath dir, Filter<? super Path> filter) throws IOException {
        this.fs = fs;
        this.dir = dir;
        this.filter = filter;
        fill();
    }

    /** Reads the next page. */
    private void fill() throws IOException {
        String s = dir.enginePath();
        long c = cookie;
        List<DirEntry> next = fs.call(dir, null, e -> e.readdir(s, c, PAGE));
        if (next.isEmpty()) {
            exhausted = true;
        } else {
            page.addAll(next);
            cookie = next.getLast().cookie();
        }
    }

    @Override
    public synchronized Iterator<Path> iterator() {
        if (closed) {
            throw new IllegalStateException("directory stream is closed");
        }
        if (iterated) {
            throw new IllegalStateException("iterator() was called already");
        }
        iterated = true;
        return new Iterator<>() {
            private Path next;

            @Override
            public boolean hasNext() {
                synchronized (DaxDirectoryStream.this) {
                    while (next == null && !closed) {
                        if (page.isEmpty()) {
                            if (exhausted) {
                                return false;
                            }
                            try {
                                fill();
                            } catch (IOException e) {
                                throw new DirectoryIteratorException(e);
                            }
                            continue;
                        }
                        Path p = dir.resolve(page.poll().name());
                        try {
                            if (filter == null || filter.accept(p)) {
                                next = p;
                            }
                        } catch (IOException e) {
                            throw new DirectoryIteratorException(e);
                        }
                    }
                    return next != null;
                }
            }

            @Override
            public Path next() {
                synchronized (DaxDirectoryStream.this) {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Path p = next;
                    next = null;
                    return p;
                }
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        fs.unregister(this);
    }
}
