package org.daxfs.cli;

import java.util.List;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.format.Extent;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.Stat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code daxfs stat}: every attribute of a file, like stat(1), and its extents, like filefrag -v. */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = "Show every attribute of a file in an image and, for a regular file, its extents.")
final class StatCommand extends ImageCommand {
    @Parameters(index = "1", paramLabel = "PATH", description = "File inside the image (a symlink is not followed).")
    String path;

    @Override
    public Integer call() throws FsException {
        try (MountedImage mounted = Images.mount(image, true, err())) {
            DaxFileSystem fs = mounted.fs();
            String p = ImagePaths.normalize(path);
            Stat st = fs.lstat(p);
            Table table = new Table()
                    .row("file", p)
                    .row("type", Modes.typeName(st.mode()))
                    .row("size", Sizes.formatExact(st.size()))
                    .row("allocated", Sizes.formatExact(st.blocks()) + ", " + st.blocks512() + " 512-byte blocks")
                    .row("inode", st.ino())
                    .row("links", st.nlink())
                    .row("mode", Modes.octal(st.mode()) + " (" + Modes.toString(st.mode()) + ")")
                    .row("uid", st.uid())
                    .row("gid", st.gid())
                    .row("access", Times.full(st.atime()))
                    .row("modify", Times.full(st.mtime()))
                    .row("change", Times.full(st.ctime()))
                    .row("birth", Times.full(st.btime()))
                    .row("flags", st.isDax() ? "dax" : "-");
            if (st.isRegular()) {
                table.row("data", st.isDaxActive() ? "direct (dax)" : "page cache");
            }
            if (st.isSymlink()) {
                table.row("target", fs.readlink(p));
            }
            List<Extent> extents = st.isRegular() ? fs.extents(p) : List.of();
            if (st.isRegular()) {
                table.row("extents", extents.size());
            }
            table.print(out());
            if (!extents.isEmpty()) {
                printExtents(extents);
            }
        }
        return 0;
    }

    // filefrag -v's content: block ranges in the file and on the device, length in blocks, flags.
    private void printExtents(List<Extent> extents) {
        Columns columns = new Columns("rrrrl");
        columns.row("ext", "logical", "physical", "length", "flags");
        for (int i = 0; i < extents.size(); i++) {
            Extent e = extents.get(i);
            columns.row(i, e.logical() + ".." + (e.end() - 1), e.physical() + ".." + e.physicalOf(e.end() - 1),
                    e.length(), e.unwritten() ? "unwritten" : "");
        }
        out().println("extents, in " + Device.BLOCK_SIZE + "-byte blocks:");
        columns.print(out());
    }
}
