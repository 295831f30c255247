package org.daxfs.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.daxfs.fuse.FuseMount;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code daxfs mount} and {@code daxfs umount}: in this JVM, and as a separate process stopped by SIGTERM. */
class MountCommandTest {
    @TempDir
    Path dir;

    private String img;
    private Path mnt;

    @BeforeEach
    void setUp() throws Exception {
        img = dir.resolve("fuse.img").toString();
        mnt = Files.createDirectory(dir.resolve("mnt"));
        assertEquals(0, Cli.run("mkfs", img, "--size", "64M").exitCode());
    }

    private static void assumeFuse() {
        String reason = FuseMount.unsupportedReason();
        Assumptions.assumeTrue(reason == null, () -> "FUSE mount tests skipped: " + reason);
    }

    /**
     * Waits for the mount to show in /proc/self/mountinfo. The command runs on another thread and can signal
     * nothing; once the mount is listed, programs may use it (the kernel holds their requests until INIT).
     */
    private void awaitMounted(CompletableFuture<Cli.Result> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!FuseMount.isMounted(mnt)) {
            if (run.isDone()) {
                throw new AssertionError("mount ended: " + run.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not mounted within 60 s");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void mountServesUntilUmount() throws Exception {
        mountWriteAndUmount();
    }

    @Test
    void rootMayMountThroughFusermount3() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/fusermount3")), "fusermount3 is not installed");
        mountWriteAndUmount("-o", "fusermount");
    }

    @Test
    void daxNeverMountsEveryFileThroughThePageCache() throws Exception {
        mountWriteAndUmount("-o", "dax=never,cache=16M");
        Cli.Result stat = Cli.run("stat", img, "/hello.txt");
        assertTrue(stat.out().contains("direct (dax)"), "mounted again by stat with the default dax=inode:\n" + stat.out());
    }

    private void mountWriteAndUmount(String... options) throws Exception {
        assumeFuse();
        List<String> args = new java.util.ArrayList<>(List.of("mount", img, mnt.toString()));
        args.addAll(List.of(options));
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run(args.toArray(String[]::new)));
        awaitMounted(run);
        Files.writeString(mnt.resolve("hello.txt"), "hello through FUSE\n");
        Files.createDirectories(mnt.resolve("a/b"));
        Cli.Result umount = Cli.run("umount", mnt.toString());
        assertEquals(0, umount.exitCode(), umount.toString());
        Cli.Result r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains(img + " mounted on " + mnt), r.out());
        assertFalse(FuseMount.isMounted(mnt));
        assertEquals("hello through FUSE\n", new String(Cli.run("cat", img, "/hello.txt").data(), StandardCharsets.UTF_8));
        Cli.Result fsck = Cli.run("fsck", img);
        assertEquals(0, fsck.exitCode(), fsck.toString());
    }

    @Test
    void readOnlyMount() throws Exception {
        assumeFuse();
        Path local = dir.resolve("x.txt");
        Files.writeString(local, "x");
        assertEquals(0, Cli.run("put", img, local.toString(), "/x.txt").exitCode());
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("mount", img, mnt.toString(), "-o", "ro"));
        awaitMounted(run);
        assertEquals("x", Files.readString(mnt.resolve("x.txt")));
        java.nio.file.FileSystemException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.nio.file.FileSystemException.class, () -> Files.writeString(mnt.resolve("y"), "y"));
        assertTrue(String.valueOf(e.getReason()).contains("Read-only file system"), e.toString());
        assertEquals(0, Cli.run("umount", mnt.toString()).exitCode());
        Cli.Result r = run.get(60, TimeUnit.SECONDS);
        assertTrue(r.out().contains("(read-only)"), r.out());
    }

    @Test
    void sigtermUnmountsAndLeavesTheImageClean() throws Exception {
        assumeFuse();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "org.daxfs.cli.Main", "mount", img, mnt.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // printed once the kernel's INIT is answered
            assertTrue(line != null && line.contains(" mounted on "), String.valueOf(line));
            assertTrue(FuseMount.isMounted(mnt));
            Files.writeString(mnt.resolve("f"), "written before SIGTERM");
            p.toHandle().destroy(); // SIGTERM (Process.destroy would close our end of its output too)
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the mount process ended");
            assertEquals(143, p.exitValue(), "ended by SIGTERM");
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("", rest.trim(), "nothing went wrong while unmounting");
        } finally {
            p.destroyForcibly();
        }
        assertFalse(FuseMount.isMounted(mnt));
        Cli.Result fsck = Cli.run("fsck", img);
        assertEquals(0, fsck.exitCode(), fsck.toString());
        Cli.Result info = Cli.run("info", img);
        assertTrue(info.out().lines().anyMatch(l -> l.matches("state: +clean")), info.out());
        assertEquals("written before SIGTERM", new String(Cli.run("cat", img, "/f").data(), StandardCharsets.UTF_8));
    }

    @Test
    void anOrdinaryUserMountsThroughFusermount3() throws Exception {
        assumeFuse();
        try (OrdinaryUser user = OrdinaryUser.create()) {
            String image = user.home.resolve("fs.img").toString();
            String owner = OrdinaryUser.UID + ":" + OrdinaryUser.UID;
            assertEquals(0, Cli.run("mkfs", image, "--size", "64M", "--root-owner", owner).exitCode());
            OrdinaryUser.chown(Path.of(image));
            Path mine = Files.createDirectory(user.home.resolve("mnt"));
            OrdinaryUser.chown(mine);
            Path tree = user.home.resolve("tree");
            Files.createDirectories(tree.resolve("d/e"));
            Files.writeString(tree.resolve("a.txt"), "a file of an ordinary user\n");
            byte[] big = new byte[3 << 20];
            new java.util.Random(3).nextBytes(big);
            Files.write(tree.resolve("d/e/big.bin"), big);

            // fusermount3 refuses a mount point the user may not write to; the reason reaches the user.
            Path roots = Files.createDirectory(user.home.resolve("roots"));
            OrdinaryUser.Result refused = OrdinaryUser.finish(user.daxfs("mount", image, roots.toString()), "daxfs mount");
            assertEquals(1, refused.exit(), refused.output());
            assertTrue(refused.output().contains("fusermount3 refused to mount " + roots + " (exit status 1): "), refused.output());

            Process p = user.daxfs("mount", image, mine.toString());
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line = out.readLine();
                assertTrue(line != null && line.contains(" mounted on "), String.valueOf(line));
                String mountinfo = Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "mountinfo")).stream()
                        .filter(l -> l.contains(" " + mine + " ")).findFirst().orElseThrow();
                assertTrue(mountinfo.matches(".* - fuse\\.daxfs daxfs rw,.*user_id=65534,group_id=65534,default_permissions"),
                        "the user's own mount, without allow_other: " + mountinfo);
                OrdinaryUser.Result copy = OrdinaryUser.runIn(p.pid(), true, "sh", "-c", "cp -a \"$1\" \"$2/copy\" && "
                        + "diff -r \"$1\" \"$2/copy\" && stat -c '%u %g %s' \"$2/copy/d/e/big.bin\"", "sh", tree.toString(),
                        mine.toString());
                assertEquals(0, copy.exit(), copy.output());
                assertEquals("65534 65534 3145728", copy.output().trim());
                OrdinaryUser.Result root = OrdinaryUser.runIn(p.pid(), false, "stat", mine.resolve("copy").toString());
                assertTrue(root.exit() != 0 && root.output().contains("Permission denied"), "others are kept out: " + root);
                OrdinaryUser.Result umount = OrdinaryUser.finish(user.daxfsIn(p.pid(), "umount", mine.toString()), "daxfs umount");
                assertEquals(0, umount.exit(), umount.output());
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the mount process ended");
                assertEquals(0, p.exitValue());
                String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals("", rest.trim(), "nothing went wrong while unmounting");
            } finally {
                p.destroyForcibly();
            }
            Cli.Result fsck = Cli.run("fsck", image);
            assertEquals(0, fsck.exitCode(), fsck.toString());
            assertArrayEquals(big, Cli.run("cat", image, "/copy/d/e/big.bin").data());
        }
    }

    @Test
    void badOptionsAndNonMounts() throws Exception {
        Cli.Result bad = Cli.run("mount", img, mnt.toString(), "-o", "bogus");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("Unknown mount option 'bogus'"), bad.err());
        Cli.Result workers = Cli.run("mount", img, mnt.toString(), "-o", "workers=0");
        assertEquals(2, workers.exitCode(), workers.toString());
        Cli.Result dax = Cli.run("mount", img, mnt.toString(), "-o", "dax=sometimes");
        assertEquals(2, dax.exitCode(), dax.toString());
        assertTrue(dax.err().contains("'dax' takes always, never or inode, not 'sometimes'"), dax.err());
        Cli.Result cache = Cli.run("mount", img, mnt.toString(), "-o", "cache=4k");
        assertEquals(2, cache.exitCode(), cache.toString());
        assertTrue(cache.err().contains("'cache'"), cache.err());
        Cli.Result notDir = Cli.run("mount", img, dir.resolve("missing").toString());
        assertEquals(1, notDir.exitCode(), notDir.toString());
        assertTrue(notDir.err().contains("not a directory"), notDir.err());
        Cli.Result umount = Cli.run("umount", mnt.toString());
        assertEquals(1, umount.exitCode(), umount.toString());
        assertEquals(List.of("daxfs: " + mnt + ": not a DaxFS mount"), umount.err().lines().toList());
    }
}
