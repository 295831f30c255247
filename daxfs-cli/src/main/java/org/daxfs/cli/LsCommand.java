package org.daxfs.cli;

import java.util.Comparator;
import java.util.List;
import org.daxfs.FsException;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.DirEntry;
import org.daxfs.fs.Stat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code daxfs ls}: lists a directory of an image, one name per line, or in ls -l's long format. */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "List a directory of an image (or show one file), like ls -1 or ls -l.")
final class LsCommand extends ImageCommand {
    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", defaultValue = "/",
            description = "Directory or file inside the image (default: /).")
    String path;

    @Option(names = "-l", description = "Long format: mode, links, owner, group, size, modification time, name.")
    boolean longFormat;

    @Override
    public Integer call() throws FsException {
        try (MountedImage mounted = Images.mount(image, true, err())) {
            DaxFileSystem fs = mounted.fs();
            String p = ImagePaths.normalize(path);
            Stat st = fs.lstat(p);
            // Like ls: a symlink named on the command line is followed, unless -l shows the link itself.
            if (st.isSymlink() && !longFormat) {
                st = followIfPossible(fs, p, st);
            }
            if (!st.isDirectory()) {
                print(fs, List.of(new Named(path, p, st)));
                return 0;
            }
            List<Named> entries = fs.readdir(p).stream()
                    .map(DirEntry::name)
                    .filter(n -> !n.equals(".") && !n.equals(".."))
                    .sorted(Comparator.naturalOrder())
                    .map(n -> new Named(n, ImagePaths.join(p, n), null))
                    .toList();
            print(fs, entries);
        }
        return 0;
    }

    private void print(DaxFileSystem fs, List<Named> entries) throws FsException {
        if (!longFormat) {
            entries.forEach(e -> out().println(e.shown()));
            out().flush();
            return;
        }
        Columns columns = new Columns("lrrrrll");
        for (Named e : entries) {
            Stat st = e.stat() != null ? e.stat() : fs.lstat(e.full());
            String name = st.isSymlink() ? e.shown() + " -> " + fs.readlink(e.full()) : e.shown();
            columns.row(Modes.toString(st.mode()), st.nlink(), st.uid(), st.gid(), st.size(),
                    Times.minutes(st.mtime()), name);
        }
        columns.print(out());
    }

    private static Stat followIfPossible(DaxFileSystem fs, String p, Stat link) {
        try {
            return fs.stat(p);
        } catch (FsException dangling) {
            return link;
        }
    }

    /** A name as shown, its full path in the image, and its attributes if already known. */
    private record Named(String shown, String full, Stat stat) {
    }
}
