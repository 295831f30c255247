package org.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.fs.DaxFileSystem;
import org.daxfs.fs.FormatOptions;
import org.daxfs.fs.Fsck;
import org.daxfs.fs.FsckReport;
import org.daxfs.fs.MountOptions;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh image mounted through FUSE for a test: formats an image file, mounts it in DaxFS and at a mount point,
 * runs programs there, and at the end unmounts, closes the file system and checks the image with fsck. Problems
 * the server logs are collected, and a test fails if there were any it did not expect.
 */
final class MountedImage implements AutoCloseable {
    final Path image;
    final Path mnt;
    final Device device;
    final DaxFileSystem fs;
    final FuseMount mount;
    final List<String> log;

    private MountedImage(Path image, Path mnt, Device device, DaxFileSystem fs, FuseMount mount, List<String> log) {
        this.log = log;
        this.image = image;
        this.mnt = mnt;
        this.device = device;
        this.fs = fs;
        this.mount = mount;
    }

    /** Skips the test, saying why, where FUSE mounts cannot be made. */
    static void assumeFuse() {
        String reason = FuseMount.unsupportedReason();
        Assumptions.assumeTrue(reason == null, () -> "FUSE mount tests skipped: " + reason);
    }

    static MountedImage create(Path dir, long size) throws Exception {
        return create(dir, size, FuseOptions.defaults());
    }

    static MountedImage create(Path dir, long size, FuseOptions options) throws Exception {
        assumeFuse();
        // The image lives in memory (/dev/shm) where there is one: every journal commit msyncs the image, which on a
        // disk costs milliseconds and would make the programs' runs slow, not more thorough.
        Path shm = Path.of("/dev/shm");
        Path imageDir = Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "daxfs-fuse-test") : dir;
        Path image = imageDir.resolve("fs.img");
        Path mnt = dir.resolve("mnt");
        Files.createDirectories(mnt);
        Devices.createImage(image, size);
        Device device = null;
        DaxFileSystem fs = null;
        try {
            device = Devices.open(image);
            DaxFileSystem.format(device, FormatOptions.defaults());
            fs = DaxFileSystem.mount(device, MountOptions.defaults());
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            FuseMount mount = FuseMount.mount(fs, mnt, options.withLog(log::add, false));
            MountedImage m = new MountedImage(image, mnt, device, fs, mount, log);
            try {
                mount.awaitInitialized(Duration.ofSeconds(30));
                assertTrue(FuseMount.isMounted(mnt), "mounted once INIT is answered");
            } catch (Exception | Error e) {
                m.close();
                throw e;
            }
            return m;
        } catch (Exception | Error e) {
            if (fs != null) {
                fs.close();
            }
            if (device != null) {
                device.close();
            }
            deleteImage(image);
            throw e;
        }
    }

    Path path(String name) {
        return mnt.resolve(name);
    }

    /** Runs a program (in the mount point's directory), failing the test if it does not exit 0 in time. */
    String run(String... command) throws Exception {
        return run(Duration.ofSeconds(120), command);
    }

    String run(Duration timeout, String... command) throws Exception {
        Result r = exec(timeout, command);
        assertEquals(0, r.exit(), () -> String.join(" ", command) + " failed:\n" + r.output());
        return r.output();
    }

    record Result(int exit, String output) {
    }

    /** Runs a program and returns its exit code and output (stdout and stderr together). */
    Result exec(Duration timeout, String... command) throws Exception {
        return execIn(mnt, timeout, command);
    }

    /** As {@link #exec}, in directory {@code cwd}. */
    Result execIn(Path cwd, Duration timeout, String... command) throws Exception {
        Path out = Files.createTempFile("daxfs-fuse-test", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Unmounts, closes the file system and returns what fsck says of the image. */
    FsckReport unmountAndCheck() throws IOException {
        try {
            mount.close();
        } finally {
            fs.close();
        }
        FsckReport r = Fsck.run(device, false, null);
        device.close();
        deleteImage();
        return r;
    }

    private void deleteImage() throws IOException {
        deleteImage(image);
    }

    private static void deleteImage(Path image) throws IOException {
        Files.deleteIfExists(image);
        if (image.getParent().getFileName().toString().startsWith("daxfs-fuse-test")) {
            Files.deleteIfExists(image.getParent());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            mount.close();
        } finally {
            try {
                fs.close();
            } finally {
                device.close();
                deleteImage();
            }
        }
    }
}
