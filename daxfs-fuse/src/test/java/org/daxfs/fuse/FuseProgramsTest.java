package org.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.daxfs.fs.FileHandle;
import org.daxfs.fs.FsckReport;
import org.daxfs.fs.OpenFlag;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real programs on a fresh image mounted through FUSE: cp and diff of a tree, util-linux fallocate, xfs_io range
 * operations, mappings and the DAX flag, fio with verification, stress-ng, and system calls the tests make
 * themselves (renameat2 flags, flock and record locks). After each test the image is unmounted and must check
 * clean, and the server must have logged no problem.
 */
class FuseProgramsTest {
    @TempDir
    Path dir;

    private MountedImage m;

    @AfterEach
    void unmountAndCheck() throws Exception {
        if (m == null) {
            return;
        }
        FsckReport r = m.unmountAndCheck();
        assertFalse(FuseMount.isMounted(m.mnt), "unmounted");
        assertTrue(r.clean(), "fsck: " + r.problems());
        assertEquals(List.of(), m.log, "problems the server logged");
    }

    private MountedImage mount() throws Exception {
        m = MountedImage.create(dir, 256L << 20);
        return m;
    }

    /** A tree of files of assorted sizes, empty files and directories, a symlink and a hard link. */
    static Path makeTree(Path root) throws Exception {
        Random r = new Random(5);
        Files.createDirectories(root.resolve("empty/dir"));
        for (int d = 0; d < 5; d++) {
            Path sub = Files.createDirectories(root.resolve("d" + d).resolve("sub" + d));
            for (int f = 0; f < 20; f++) {
                byte[] data = new byte[r.nextInt(3) == 0 ? r.nextInt(300_000) : r.nextInt(5000)];
                r.nextBytes(data);
                Files.write((f % 2 == 0 ? sub : sub.getParent()).resolve("file-" + f + ".bin"), data);
            }
        }
        Files.write(root.resolve("zero-length"), new byte[0]);
        byte[] big = new byte[5 << 20];
        r.nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.createSymbolicLink(root.resolve("link-to-big"), Path.of("big.bin"));
        Files.createLink(root.resolve("hard-link"), root.resolve("d0/file-1.bin"));
        return root;
    }

    @Test
    void cpOfATreeAndDiff() throws Exception {
        mount();
        Path tree = makeTree(dir.resolve("tree"));
        m.run("cp", "-a", tree.toString(), m.path("copy").toString());
        m.run("diff", "-r", "--no-dereference", tree.toString(), m.path("copy").toString());
        assertEquals("big.bin", Files.readSymbolicLink(m.path("copy/link-to-big")).toString());
        assertEquals(2, (int) Files.getAttribute(m.path("copy/hard-link"), "unix:nlink"), "cp -a keeps hard links");
        // And back out again, through a second copy inside the mount.
        m.run("cp", "-r", "copy", "copy2");
        m.run("diff", "-r", tree.toString(), m.path("copy2").toString());
        m.run("rm", "-r", "copy2");
        assertFalse(Files.exists(m.path("copy2")));
    }

    @Test
    void utilLinuxFallocate() throws Exception {
        mount();
        m.run("fallocate", "-l", "1M", "f");
        assertEquals("1048576 2048", m.run("stat", "-c", "%s %b", "f").trim(), "-l allocates and sets the size");
        m.run("fallocate", "-n", "-o", "1M", "-l", "1M", "f");
        assertEquals("1048576 4096", m.run("stat", "-c", "%s %b", "f").trim(), "-n allocates, keeping the size");
        m.run("sh", "-c", "head -c 1048576 /dev/urandom > g");
        m.run("fallocate", "-p", "-o", "4096", "-l", "8192", "g");
        assertEquals("1048576 2032", m.run("stat", "-c", "%s %b", "g").trim(), "-p frees two blocks");
        byte[] g = Files.readAllBytes(m.path("g"));
        assertTrue(allZero(g, 4096, 12288), "the punched range reads zeros");
        assertFalse(allZero(g, 0, 4096));
        m.run("fallocate", "-z", "-o", "100000", "-l", "5000", "g");
        g = Files.readAllBytes(m.path("g"));
        assertTrue(allZero(g, 100000, 105000), "the zeroed range reads zeros");
        assertFalse(allZero(g, 105000, 109096));
        m.run("fallocate", "-z", "-o", "2M", "-l", "4096", "g");
        assertEquals(2 * 1048576 + 4096, Files.size(m.path("g")), "-z without -n grows the file");
        MountedImage.Result r = m.exec(Duration.ofSeconds(30), "fallocate", "-c", "-o", "0", "-l", "4096", "g");
        assertNotEquals(0, r.exit(), "collapse range is refused by the kernel on FUSE: " + r.output());
    }

    @Test
    void xfsIoRangeOperations() throws Exception {
        mount();
        String out = m.run("xfs_io", "-f", "-c", "pwrite -S 0x41 0 64k", "-c", "pread -v 0 16", "-c", "fpunch 4k 4k",
                "-c", "fzero 8k 4k", "-c", "fsync", "-c", "pread -v 4088 16", "-c", "pread -v 12280 16", "x");
        assertTrue(out.contains("wrote 65536/65536 bytes at offset 0"), out);
        assertTrue(out.contains("00000000:  41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41"), out);
        assertTrue(out.contains("00000ff8:  41 41 41 41 41 41 41 41 00 00 00 00 00 00 00 00"), "punched at 4k: " + out);
        assertTrue(out.contains("00002ff8:  00 00 00 00 00 00 00 00 41 41 41 41 41 41 41 41"), "zeroed to 12k: " + out);
        byte[] x = Files.readAllBytes(m.path("x"));
        assertEquals(65536, x.length);
        assertTrue(allZero(x, 4096, 12288));
        assertEquals(0x41, x[12288]);
        // SEEK_DATA and SEEK_HOLE: data at [0,4k) and [12k,64k); the zeroed range is preallocated, so a hole.
        String seek = m.run("xfs_io", "-c", "seek -a -r 0", "x");
        assertTrue(seek.matches("(?s).*DATA\\s+0\\b.*HOLE\\s+4096\\b.*DATA\\s+12288\\b.*HOLE\\s+65536\\b.*"), seek);
        // A mapping written and synced, then read back by another program.
        m.run("xfs_io", "-f", "-c", "truncate 64k", "-c", "mmap -rw 0 64k", "-c", "mwrite -S 0x58 4096 8192",
                "-c", "msync -s 0 64k", "-c", "munmap", "mapped");
        byte[] mapped = Files.readAllBytes(m.path("mapped"));
        assertTrue(allZero(mapped, 0, 4096));
        for (int i = 4096; i < 12288; i++) {
            assertEquals(0x58, mapped[i], "byte " + i);
        }
        // copy_file_range
        m.run("xfs_io", "-f", "-c", "copy_range -s 0 -d 4096 -l 64k x", "copy");
        byte[] copy = Files.readAllBytes(m.path("copy"));
        assertEquals(4096 + 65536, copy.length);
        assertArrayEquals(x, java.util.Arrays.copyOfRange(copy, 4096, copy.length));
    }

    @Test
    void copyFileRangeKeepsHoles() throws Exception {
        mount();
        m.run("xfs_io", "-f", "-c", "pwrite -S 0x61 0 64k", "-c", "pwrite -S 0x62 1m 64k", "-c", "truncate 4m", "sparse");
        assertEquals("4194304 256", m.run("stat", "-c", "%s %b", "sparse").trim(), "128 KiB of data");
        m.run("xfs_io", "-f", "-c", "copy_range -s 0 -d 0 -l 4m sparse", "copy");
        assertEquals("4194304 256", m.run("stat", "-c", "%s %b", "copy").trim(), "the copy is as sparse");
        m.run("cmp", "sparse", "copy");
        // Onto a file full of data, the source's holes become holes.
        m.run("sh", "-c", "head -c 5000000 /dev/urandom > full");
        m.run("xfs_io", "-c", "copy_range -s 0 -d 0 -l 4m sparse", "full");
        assertEquals("5000000 1832", m.run("stat", "-c", "%s %b", "full").trim(), "32 blocks copied, 197 after the range");
        m.run("cmp", "-n", "4194304", "sparse", "full");
        // At an offset that is not a multiple of the block size, with a hole at the end growing the target.
        m.run("xfs_io", "-f", "-c", "copy_range -s 0 -d 1000 -l 4m sparse", "shifted");
        assertEquals(1000 + 4194304, Files.size(m.path("shifted")));
        assertEquals("272", m.run("stat", "-c", "%b", "shifted").trim(), "each data range spans one more block");
        m.run("cmp", "-i", "0:1000", "sparse", "shifted");
        // cp, which copies with copy_file_range where it can.
        m.run("cp", "--reflink=never", "sparse", "cp-copy");
        assertEquals("4194304 256", m.run("stat", "-c", "%s %b", "cp-copy").trim());
        m.run("cmp", "sparse", "cp-copy");
    }

    @Test
    void daxFlagThroughXfsIo() throws Exception {
        mount();
        Files.writeString(m.path("f"), "data");
        assertTrue(lsattr("f").contains("x"), "inherited from the root directory: " + lsattr("f"));
        m.run("xfs_io", "-c", "chattr -x", "f");
        assertFalse(lsattr("f").contains("x"), lsattr("f"));
        assertFalse(m.fs.stat("/f").isDax(), "the engine's flag is clear");
        assertFalse(m.fs.stat("/f").isDaxActive(), "and the file went to the page cache");
        m.run("xfs_io", "-c", "chattr +x", "f");
        assertTrue(lsattr("f").contains("x"), lsattr("f"));
        assertTrue(m.fs.stat("/f").isDax());
        assertTrue(m.fs.stat("/f").isDaxActive());
        Files.createDirectory(m.path("d"));
        m.run("xfs_io", "-c", "chattr -x", "d");
        Files.writeString(m.path("d/inherits"), "x");
        assertFalse(m.fs.stat("/d/inherits").isDax(), "a new file inherits its directory's flag");
    }

    /** The flags column of xfs_io's lsattr: "x" is FS_XFLAG_DAX. */
    private String lsattr(String file) throws Exception {
        return m.run("xfs_io", "-c", "lsattr", file).trim().split("\\s+")[0];
    }

    @Test
    void fioVerify() throws Exception {
        mount();
        Files.createDirectory(m.path("fio"));
        String out = m.run(Duration.ofSeconds(180), "fio", "--name=v", "--directory=" + m.path("fio"), "--size=8m",
                "--rw=randwrite", "--bs=4k", "--verify=crc32c", "--runtime=5", "--time_based=0");
        assertTrue(out.contains("err= 0"), out);
        String seq = m.run(Duration.ofSeconds(180), "fio", "--name=s", "--directory=" + m.path("fio"), "--size=16m",
                "--rw=write", "--bs=1m", "--verify=crc32c", "--do_verify=1");
        assertTrue(seq.contains("err= 0"), seq);
        String parallel = m.run(Duration.ofSeconds(180), "fio", "--name=p", "--directory=" + m.path("fio"), "--size=4m",
                "--numjobs=4", "--rw=randwrite", "--bs=16k", "--verify=crc32c", "--do_verify=1");
        assertEquals(4, parallel.lines().filter(l -> l.contains("err= 0")).count(), parallel);
    }

    @Test
    void cachedFilesAndModeSwitchesThroughTheMount() throws Exception {
        mount();
        Path dir = Files.createDirectory(m.path("c"));
        m.run("xfs_io", "-c", "chattr -x", dir.toString()); // new files here inherit no DAX flag: cached
        String out = m.run(Duration.ofSeconds(180), "fio", "--name=c", "--directory=" + dir, "--size=8m",
                "--rw=randwrite", "--bs=4k", "--verify=crc32c", "--do_verify=1");
        assertTrue(out.contains("err= 0"), out);
        String x = dir.resolve("x").toString();
        m.run("xfs_io", "-f", "-c", "pwrite -S 0x41 0 64k", "-c", "fpunch 4k 4k", "-c", "fzero 8k 4k",
                "-c", "mmap 0 64k", "-c", "mwrite -S 0x42 16k 4k", "-c", "msync 0 64k", "-c", "fsync", x);
        assertFalse(m.fs.stat("/c/x").isDaxActive(), "a file without the flag is cached");
        byte[] expected = new byte[64 << 10];
        Arrays.fill(expected, (byte) 0x41);
        Arrays.fill(expected, 4 << 10, 12 << 10, (byte) 0);
        Arrays.fill(expected, 16 << 10, 20 << 10, (byte) 0x42);
        assertArrayEquals(expected, Files.readAllBytes(Path.of(x)));
        m.run("xfs_io", "-c", "chattr +x", x);
        assertTrue(m.fs.stat("/c/x").isDaxActive(), "setting the flag switches the file to DAX");
        byte[] direct = new byte[expected.length];
        try (FileHandle h = m.fs.open("/c/x", OpenFlag.READ)) {
            assertEquals(direct.length, h.read(MemorySegment.ofArray(direct), 0));
        }
        assertArrayEquals(expected, direct, "the cached data was written back before the switch");
    }

    @Test
    void stressNg() throws Exception {
        mount();
        Files.createDirectory(m.path("s"));
        String tmp = m.path("s").toString();
        m.run(Duration.ofSeconds(240), "stress-ng", "--hdd", "1", "--hdd-ops", "200", "--temp-path", tmp, "--timeout", "120s");
        m.run(Duration.ofSeconds(240), "stress-ng", "--dentry", "1", "--dentry-ops", "200", "--temp-path", tmp, "--timeout", "120s");
        m.run(Duration.ofSeconds(240), "stress-ng", "--fallocate", "1", "--fallocate-ops", "20", "--temp-path", tmp,
                "--fallocate-bytes", "8m", "--timeout", "120s");
    }

    @Test
    void renameFlags() throws Throwable {
        mount();
        Files.writeString(m.path("a"), "A");
        Files.writeString(m.path("b"), "B");
        assertEquals(0, Syscalls.renameat2(m.path("a"), m.path("b"), Syscalls.RENAME_EXCHANGE));
        assertEquals("B", Files.readString(m.path("a")));
        assertEquals("A", Files.readString(m.path("b")));
        assertEquals(17, Syscalls.renameat2(m.path("a"), m.path("b"), Syscalls.RENAME_NOREPLACE), "EEXIST");
        assertEquals(0, Syscalls.renameat2(m.path("a"), m.path("c"), Syscalls.RENAME_NOREPLACE));
        assertEquals(2, Syscalls.renameat2(m.path("a"), m.path("b"), Syscalls.RENAME_EXCHANGE), "ENOENT");
        Files.createDirectories(m.path("d/e"));
        assertEquals(22, Syscalls.renameat2(m.path("d"), m.path("d/e/f"), 0), "EINVAL: into itself");
        assertEquals(0, Syscalls.renameat2(m.path("d/e"), m.path("e"), 0));
        assertEquals(2, (int) Files.getAttribute(m.path("d"), "unix:nlink"));
    }

    @Test
    void flockAndRecordLocks() throws Throwable {
        mount();
        Files.writeString(m.path("f"), "x".repeat(1000));
        int fd1 = Syscalls.open(m.path("f"));
        int fd2 = Syscalls.open(m.path("f"));
        try {
            assertEquals(0, Syscalls.flock(fd1, Syscalls.LOCK_EX));
            assertEquals(11, Syscalls.flock(fd2, Syscalls.LOCK_SH | Syscalls.LOCK_NB), "EWOULDBLOCK");
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> call(() -> Syscalls.flock(fd2, Syscalls.LOCK_SH)));
            assertEquals(0, Syscalls.flock(fd1, Syscalls.LOCK_UN));
            assertEquals(0, waiting.get(30, TimeUnit.SECONDS), "the blocked flock got the lock");
            assertEquals(0, Syscalls.flock(fd2, Syscalls.LOCK_UN));

            // Open file description locks: per descriptor, so two descriptors of this process conflict.
            assertEquals(0, Syscalls.fcntl(fd1, Syscalls.F_OFD_SETLK, new Syscalls.Flock(Syscalls.F_WRLCK, 0, 100, 0), null));
            assertEquals(11, Syscalls.fcntl(fd2, Syscalls.F_OFD_SETLK, new Syscalls.Flock(Syscalls.F_RDLCK, 50, 10, 0), null));
            assertEquals(0, Syscalls.fcntl(fd2, Syscalls.F_OFD_SETLK, new Syscalls.Flock(Syscalls.F_RDLCK, 100, 10, 0), null),
                    "the range after it is free");
            Syscalls.Flock[] seen = new Syscalls.Flock[1];
            assertEquals(0, Syscalls.fcntl(fd2, Syscalls.F_OFD_GETLK, new Syscalls.Flock(Syscalls.F_WRLCK, 10, 1, 0), seen));
            assertEquals(Syscalls.F_WRLCK, seen[0].type());
            assertEquals(0, seen[0].start());
            assertEquals(100, seen[0].len());
            CompletableFuture<Integer> w = CompletableFuture.supplyAsync(() -> call(() ->
                    Syscalls.fcntl(fd2, Syscalls.F_OFD_SETLKW, new Syscalls.Flock(Syscalls.F_WRLCK, 0, 10, 0), null)));
            assertEquals(0, Syscalls.fcntl(fd1, Syscalls.F_OFD_SETLK, new Syscalls.Flock(Syscalls.F_UNLCK, 0, 0, 0), null));
            assertEquals(0, w.get(30, TimeUnit.SECONDS), "the waiting lock was granted");
            assertEquals(0, Syscalls.fcntl(fd1, Syscalls.F_OFD_GETLK, new Syscalls.Flock(Syscalls.F_RDLCK, 0, 1, 0), seen));
            assertEquals(Syscalls.F_WRLCK, seen[0].type(), "fd2 holds [0,10) now");
        } finally {
            Syscalls.close(fd1);
            Syscalls.close(fd2);
        }
        // Closing dropped every lock once the kernel released the files (it does that after close(2) returns, so
        // wait for that): the table is empty, checked directly, since a new open file may get a closed one's owner id.
        long ino = m.fs.stat("/f").ino();
        LockTable table = m.mount.operations().locks();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!table.locks(ino, false).isEmpty() || !table.locks(ino, true).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "locks left after the last close: " + table.locks(ino, false));
            Thread.onSpinWait();
        }
        int fd3 = Syscalls.open(m.path("f"));
        try {
            assertEquals(0, Syscalls.flock(fd3, Syscalls.LOCK_EX | Syscalls.LOCK_NB));
            assertEquals(0, Syscalls.fcntl(fd3, Syscalls.F_OFD_SETLK, new Syscalls.Flock(Syscalls.F_WRLCK, 0, 0, 0), null));
        } finally {
            Syscalls.close(fd3);
        }
    }

    /** A perl process holding (or, with F_SETLKW, waiting for) a POSIX write lock on {@code file} until its stdin closes. */
    private Process perlLock(String file, boolean wait) throws Exception {
        String script = "use Fcntl; open(F, '+<', $ARGV[0]) or die \"open: $!\"; $| = 1;"
                + " my $fl = pack('s s x4 q q i x4', F_WRLCK, 0, 0, 0, 0);"
                + " fcntl(F, " + (wait ? "F_SETLKW" : "F_SETLK") + ", $fl) or die \"fcntl: $!\"; print \"locked\\n\"; <STDIN>;";
        return new ProcessBuilder("perl", "-e", script, file).directory(m.mnt.toFile()).redirectErrorStream(true).start();
    }

    @Test
    void posixLocksAcrossProcessesAndInterruptedWaits() throws Throwable {
        mount();
        Files.writeString(m.path("f"), "x".repeat(100));
        Process holder = perlLock("f", false);
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
            assertEquals("locked", out.readLine());
            int fd = Syscalls.open(m.path("f"));
            try {
                int F_SETLK = 6;
                assertEquals(11, Syscalls.fcntl(fd, F_SETLK, new Syscalls.Flock(Syscalls.F_RDLCK, 0, 1, 0), null),
                        "another process holds the lock");
                // A waiter killed while it waits: the kernel interrupts its request, and it dies at once.
                Process waiter = perlLock("f", true);
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (m.mount.operations().locks().waiting() == 0) {
                        assertTrue(System.nanoTime() < deadline && waiter.isAlive(), "the waiter reached the server");
                        Thread.onSpinWait();
                    }
                    waiter.destroyForcibly();
                    assertTrue(waiter.waitFor(30, TimeUnit.SECONDS), "a killed lock waiter does not hang");
                    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (m.mount.operations().locks().waiting() != 0) {
                        assertTrue(System.nanoTime() < deadline, "the interrupted wait left the table");
                        Thread.onSpinWait();
                    }
                } finally {
                    waiter.destroyForcibly();
                }
                holder.getOutputStream().close(); // the holder exits; its close releases the lock (FLUSH)
                assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, Syscalls.fcntl(fd, F_SETLK, new Syscalls.Flock(Syscalls.F_WRLCK, 0, 0, 0), null));
            } finally {
                Syscalls.close(fd);
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    /**
     * A perl process that write-locks byte {@code hold} of {@code file} with fcntl command {@code set} and says
     * "held"; at the next line on its stdin requests byte {@code want} with command {@code setw} and says "got" or
     * "errno N"; and exits at the line after (or when its stdin closes), closing the file.
     */
    private Process perlLocker(String file, int set, int setw, int hold, int want) throws Exception {
        String script = "use Fcntl; open(F, '+<', $ARGV[0]) or die \"open: $!\"; $| = 1;"
                + " sub lk { pack('s s x4 q q i x4', F_WRLCK, 0, $_[0], 1, 0) }"
                + " fcntl(F, $ARGV[1], lk($ARGV[3])) or die \"fcntl: $!\"; print \"held\\n\"; <STDIN>;"
                + " if (fcntl(F, $ARGV[2], lk($ARGV[4]))) { print \"got\\n\" } else { print 'errno ', $! + 0, \"\\n\" } <STDIN>;";
        return new ProcessBuilder("perl", "-e", script, file, Integer.toString(set), Integer.toString(setw),
                Integer.toString(hold), Integer.toString(want)).directory(m.mnt.toFile()).redirectErrorStream(true).start();
    }

    private static java.io.BufferedReader lines(Process p) {
        return new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void say(Process p) throws java.io.IOException {
        p.getOutputStream().write('\n');
        p.getOutputStream().flush();
    }

    /** Waits until {@code n} lock requests wait in the server (they reach it some time after the line that sends them). */
    private void awaitWaiters(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (m.mount.operations().locks().waiting() != n) {
            assertTrue(System.nanoTime() < deadline, "waiters: " + m.mount.operations().locks().waiting() + ", not " + n);
            Thread.onSpinWait();
        }
    }

    @Test
    void aDeadlockBetweenTwoProcessesIsEdeadlkButNotForOpenFileDescriptionLocks() throws Throwable {
        mount();
        Files.writeString(m.path("f"), "x".repeat(100));
        int setlk = 6;
        int setlkw = 7;
        Process a = perlLocker("f", setlk, setlkw, 0, 1);
        Process b = perlLocker("f", setlk, setlkw, 1, 0);
        try {
            java.io.BufferedReader aOut = lines(a);
            java.io.BufferedReader bOut = lines(b);
            assertEquals("held", aOut.readLine());
            assertEquals("held", bOut.readLine());
            say(a); // a waits for b's byte
            awaitWaiters(1);
            say(b); // b would wait for a's byte while a waits for b's
            assertEquals("errno 35", bOut.readLine(), "EDEADLK");
            b.getOutputStream().close(); // b exits; its close drops its lock, and a gets it
            assertEquals("got", aOut.readLine());
            a.getOutputStream().close();
            assertTrue(a.waitFor(30, TimeUnit.SECONDS) && b.waitFor(30, TimeUnit.SECONDS));
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }
        // Open file description locks: Linux detects no deadlock, so both wait, until one is killed.
        Process c = perlLocker("f", OfdLockProbe.F_OFD_SETLK, OfdLockProbe.F_OFD_SETLKW, 0, 1);
        Process d = perlLocker("f", OfdLockProbe.F_OFD_SETLK, OfdLockProbe.F_OFD_SETLKW, 1, 0);
        try {
            java.io.BufferedReader cOut = lines(c);
            assertEquals("held", cOut.readLine());
            assertEquals("held", lines(d).readLine());
            say(c);
            awaitWaiters(1);
            say(d);
            awaitWaiters(2);
            d.destroyForcibly(); // its wait is interrupted, its file released with its lock
            assertEquals("got", cOut.readLine());
            c.getOutputStream().close();
            assertTrue(c.waitFor(30, TimeUnit.SECONDS));
        } finally {
            c.destroyForcibly();
            d.destroyForcibly();
        }
    }

    private interface SyscallCall {
        int run() throws Throwable;
    }

    private static int call(SyscallCall c) {
        try {
            return c.run();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Test
    void hardLinksNeverShowStaleAttributes() throws Exception {
        mount();
        Files.writeString(m.path("a"), "one");
        Files.createLink(m.path("b"), m.path("a"));
        assertEquals(2, (int) Files.getAttribute(m.path("a"), "unix:nlink"));
        Files.writeString(m.path("b"), "a longer content", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(Files.size(m.path("b")), Files.size(m.path("a")));
        assertEquals("onea longer content", Files.readString(m.path("a")));
        m.run("chmod", "600", "b");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(m.path("a"))));
        Files.delete(m.path("b"));
        assertEquals(1, (int) Files.getAttribute(m.path("a"), "unix:nlink"));
        Files.createDirectory(m.path("d"));
        Files.createLink(m.path("d/c"), m.path("a"));
        assertEquals(2, (int) Files.getAttribute(m.path("a"), "unix:nlink"));
        assertEquals(Files.getAttribute(m.path("a"), "unix:ino"), Files.getAttribute(m.path("d/c"), "unix:ino"));
    }

    @Test
    void ownersPermissionsAndTimes() throws Exception {
        mount();
        Files.createDirectory(m.path("pub"));
        m.run("chmod", "1777", "pub");
        m.run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", "echo hi > pub/mine && mkdir pub/dir");
        assertEquals("65534 65534", m.run("stat", "-c", "%u %g", "pub/mine").trim(), "created as the requesting user");
        assertEquals("65534 65534", m.run("stat", "-c", "%u %g", "pub/dir").trim());
        Files.writeString(m.path("secret"), "s");
        m.run("chmod", "600", "secret");
        MountedImage.Result denied = m.exec(Duration.ofSeconds(30), "setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", "cat", "secret");
        assertNotEquals(0, denied.exit());
        assertTrue(denied.output().contains("Permission denied"), denied.output());
        MountedImage.Result sticky = m.exec(Duration.ofSeconds(30), "setpriv", "--reuid=65533", "--regid=65533",
                "--clear-groups", "rm", "-f", "pub/mine");
        assertNotEquals(0, sticky.exit(), "the sticky bit keeps others' files: " + sticky.output());
        m.run("chown", "1000:1000", "secret");
        assertEquals("1000 1000", m.run("stat", "-c", "%u %g", "secret").trim());
        // Set-group-ID directories give their group.
        Files.createDirectory(m.path("sg"));
        m.run("chown", "0:4321", "sg");
        m.run("chmod", "2775", "sg");
        Files.writeString(m.path("sg/f"), "g");
        assertEquals("4321", m.run("stat", "-c", "%g", "sg/f").trim());
        // UTIME_OMIT and UTIME_NOW, through touch.
        m.run("touch", "-d", "@1000000000", "t");
        m.run("touch", "-a", "-d", "@5", "t");
        assertEquals("5 1000000000", m.run("stat", "-c", "%X %Y", "t").trim(), "-a leaves mtime (UTIME_OMIT)");
        m.run("touch", "-m", "t");
        String[] times = m.run("stat", "-c", "%X %Y", "t").trim().split(" ");
        assertEquals("5", times[0], "-m leaves atime");
        assertTrue(Long.parseLong(times[1]) > 1_600_000_000L, "-m sets mtime to now (UTIME_NOW)");
    }

    @Test
    void namesNearPathMaxXattrsStatfsAndUnlinkedOpenFiles() throws Exception {
        mount();
        StringBuilder rel = new StringBuilder();
        while (m.mnt.toString().length() + rel.length() + 201 + 256 < 4060) {
            rel.append("/").append("n".repeat(200));
        }
        Path deep = Files.createDirectories(Path.of(m.mnt + rel.toString()));
        Path file = deep.resolve("f".repeat(255));
        Files.writeString(file, "deep");
        assertEquals("deep", Files.readString(file));
        assertTrue(file.toString().length() > 3700, "a path of " + file.toString().length() + " bytes");
        MountedImage.Result tooLong = m.exec(Duration.ofSeconds(30), "touch", deep.resolve("g".repeat(256)).toString());
        assertNotEquals(0, tooLong.exit());
        assertTrue(tooLong.output().contains("File name too long"), tooLong.output());

        Files.writeString(m.path("x"), "x");
        m.run("setfattr", "-n", "user.color", "-v", "blue", "x");
        assertTrue(m.run("getfattr", "-d", "x").contains("user.color=\"blue\""));
        m.run("setfattr", "-x", "user.color", "x");
        assertFalse(m.run("getfattr", "-d", "x").contains("user.color"));

        m.run("truncate", "-s", "10M", "x");
        assertEquals(10 << 20, Files.size(m.path("x")));
        m.run("truncate", "-s", "1", "x");
        assertEquals("x", Files.readString(m.path("x")));
        MountedImage.Result fifo = m.exec(Duration.ofSeconds(30), "mkfifo", "fifo");
        assertNotEquals(0, fifo.exit());
        assertTrue(fifo.output().contains("Operation not permitted"), "only regular files, directories, symlinks: " + fifo.output());

        String df = m.run("stat", "-f", "-c", "%S %b %l", ".").trim();
        assertTrue(df.matches("4096 65536 255"), df);

        // An unlinked file keeps working while open (its blocks come back once the kernel releases it: fsck after
        // the unmount finds none leaked).
        m.run("sh", "-c", "exec 3<>held; head -c 4000000 /dev/zero >&3; rm held; test ! -e held; "
                + "cat <&3 >/dev/null; stat -L -c %s /dev/fd/3 > size-seen");
        assertEquals("4000000", Files.readString(m.path("size-seen")).trim());
        assertFalse(Files.exists(m.path("held")));
    }

    @Test
    void largeDirectories() throws Exception {
        mount();
        Files.createDirectory(m.path("big"));
        m.run("sh", "-c", "cd big && i=0; while [ $i -lt 3000 ]; do : > entry-number-$i; i=$((i+1)); done");
        assertEquals("3000", m.run("sh", "-c", "ls big | wc -l").trim());
        assertEquals("3002", m.run("sh", "-c", "ls -a big | wc -l").trim(), ". and .. too");
        String long_ = m.run("ls", "-l", "big");
        assertEquals(3001, long_.lines().count(), "ls -l lists every entry with its attributes (and a total line)");
        assertEquals(3000, long_.lines().filter(l -> l.startsWith("-rw-r--r-- 1 root root 0 ")).count());
        assertEquals("3000", m.run("sh", "-c", "find big -type f | wc -l").trim());
        m.run("rm", "-r", "big");
        assertFalse(Files.exists(m.path("big")));
    }

    @Test
    void aFullDeviceIsEnospc() throws Exception {
        m = MountedImage.create(dir, 32L << 20);
        MountedImage.Result r = m.exec(Duration.ofSeconds(60), "dd", "if=/dev/zero", "of=fill", "bs=1M", "count=64");
        assertNotEquals(0, r.exit());
        assertTrue(r.output().contains("No space left on device"), r.output());
        m.run("rm", "fill");
        m.run("dd", "if=/dev/zero", "of=fits", "bs=1M", "count=8");
        assertEquals(8 << 20, Files.size(m.path("fits")));
    }

    @Test
    void aDeadDeviceGivesEioNeverAHang() throws Exception {
        mount();
        try (org.daxfs.fs.FileHandle h = m.fs.open("/f", org.daxfs.fs.OpenFlag.WRITE, org.daxfs.fs.OpenFlag.CREATE)) {
            h.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 0); // through the engine: the kernel caches nothing
        }
        m.device.kill();
        // Run from outside the mount: even its root cannot be entered now.
        MountedImage.Result r = m.execIn(dir, Duration.ofSeconds(60), "cat", m.path("f").toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.output().contains("Input/output error"), r.output());
        MountedImage.Result w = m.execIn(dir, Duration.ofSeconds(60), "sh", "-c", "echo x > " + m.path("g"));
        assertNotEquals(0, w.exit());
        assertTrue(w.output().contains("Input/output error"), w.output());
        m.mount.close(); // unmounting still works
        assertFalse(FuseMount.isMounted(m.mnt));
        m.close();
        m = null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
