package org.daxfs.fs;

import static org.daxfs.fs.TestImages.bytes;
import static org.daxfs.fs.TestImages.pattern;
import static org.daxfs.fs.TestImages.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;
import org.daxfs.device.Devices;
import org.daxfs.format.Block;
import org.daxfs.format.Extent;
import org.daxfs.format.ExtentTree;
import org.daxfs.format.InodeRecord;
import org.daxfs.format.Superblock;
import org.daxfs.journal.Journal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Damaged images: one populated 16 MiB image, then for each seed a copy damaged one way (bits flipped in a
 * metadata block, the same with checksums made right again, a wrong magic, a superblock from a future
 * version, a truncated device). On every one:
 * <ul>
 * <li>fsck returns a report, writes nothing without repair, and does not call damage that checksums catch
 *     clean;
 * <li>fsck with repair either leaves problems (exit 4) or leaves an image that checks clean, mounts and
 *     can be walked without a single error;
 * <li>mount of the damaged image refuses with a one-line EUCLEAN, EINVAL or EIO, or succeeds, and then
 *     walking the tree (readdir, stat, readlink, xattrs, reading every file) throws nothing but
 *     FsException.
 * </ul>
 * Iterations: 1000 x {@code daxfs.test.scale}; {@code -Ddaxfs.fuzz.seed=N} replays one seed.
 */
class DamagedImageFuzzTest {
    private static final long BASE_SEED = 0x5EED_DA7AL;
    private static final int IMAGE_BYTES = 16 << 20;
    /** Walks read at most this much of each file: damaged sizes can claim terabytes of holes. */
    private static final int READ_LIMIT = 256 << 10;

    /** A metadata block of the clean image: its kind and, for an inode-table block, its first inode. */
    private record Meta(String kind, long firstIno) {
        boolean hasHeader() {
            return !kind.equals("inode table");
        }
    }

    private static byte[] image;
    private static final TreeMap<Long, Meta> metadata = new TreeMap<>();
    /** Home blocks of the whole transaction left in the log: recovery rewrites them, healing damage there. */
    private static final Set<Long> replayed = new HashSet<>();
    private static Device scratch;

    /** What the iterations ran into, printed at the end so a reader sees what was exercised. */
    private static final class Tally {
        int found;
        int corrected;
        int left;
        int refused;
        int mounted;
        int walkErrors;
        final List<String> internalErrors = new ArrayList<>();

        @Override
        public String toString() {
            return "fsck found damage in " + found + "; repair corrected " + corrected + ", left " + left
                    + "; mount refused " + refused + ", mounted " + mounted + " (" + walkErrors
                    + " walks met damage); engine internal errors: " + internalErrors.size();
        }
    }

    private static final Tally tally = new Tally();

    @BeforeAll
    static void buildImage() throws Exception {
        try (Device d = Devices.memory(IMAGE_BYTES)) {
            DaxFileSystem.format(d, FormatOptions.defaults());
            DaxFileSystem fs = DaxFileSystem.mount(d, MountOptions.defaults());
            populate(fs);
            fs.close();
            // A file unlinked while open and a crash: the image keeps an orphan for the walk to meet.
            DaxFileSystem crashed = DaxFileSystem.mount(d, MountOptions.defaults());
            FileHandle h = crashed.open("/orphan", OpenFlag.WRITE, OpenFlag.CREATE);
            h.write(ByteBuffer.wrap(pattern(99, 9000)), 0);
            crashed.unlink("/orphan");
            image = new byte[IMAGE_BYTES];
            d.read(0, image, 0, IMAGE_BYTES);
            findMetadata(d);
            findReplayed();
        }
        FsckTest.assertClean(Fsck.run(deviceWith(image), false, null));
        scratch = Devices.memory(IMAGE_BYTES);
    }

    @AfterAll
    static void closeScratch() {
        if (scratch != null) {
            scratch.close();
        }
    }

    private static void populate(DaxFileSystem fs) throws FsException {
        fs.mkdir("/d", 0755);
        fs.mkdir("/d/e", 0755);
        fs.mkdir("/d/e/f", 0755);
        for (int i = 0; i < 6; i++) {
            writeFile(fs, "/d/file" + i, pattern(i, i * 3000 + 1));
        }
        writeFile(fs, "/d/e/big", pattern(7, 200_000));
        try (FileHandle h = fs.open("/frag", OpenFlag.WRITE, OpenFlag.CREATE)) {
            for (int i = 0; i < 30; i++) {
                h.write(ByteBuffer.wrap(pattern(i, 50)), i * 8192L);
            }
        }
        try (FileHandle h = fs.open("/d/e/prealloc", OpenFlag.WRITE, OpenFlag.CREATE)) {
            h.allocate(0, 64 << 10, true);
            h.write(ByteBuffer.wrap(bytes("x")), 5000);
        }
        fs.symlink("/d/file1", "/short");
        fs.symlink("/d/" + "y/".repeat(80) + "../".repeat(80) + "file2", "/long");
        fs.link("/d/file3", "/d/e/f/hard");
        fs.setXattr("/d/file4", "user.a", bytes("value"), 0);
        fs.setXattr("/d/e", "user.dir", new byte[300], 0);
        fs.mkdir("/many", 0755);
        for (int i = 0; i < 200; i++) {
            writeFile(fs, "/many/n-" + i + "-" + "z".repeat(i % 40), bytes("" + i));
        }
    }

    /** Every metadata block of the clean image, found by walking it with the format classes. */
    private static void findMetadata(Device d) throws FsException {
        Journal journal = Journal.recover(d, true);
        var mb = journal.committed();
        Superblock sb = new Superblock(mb.read(Superblock.BLOCK_NUMBER));
        metadata.put(Superblock.BLOCK_NUMBER, new Meta("superblock", -1));
        metadata.put(Journal.START, new Meta("journal header", -1));
        for (long i = 0; i < sb.bitmapBlocks(); i++) {
            metadata.put(sb.bitmapStart() + i, new Meta("bitmap", -1));
        }
        InodeRecord table = InodeTable.tableRecord(mb);
        ExtentTree tableTree = new ExtentTree(mb, table.root, InodeTable.TABLE_INO);
        tableTree.forEachNode(n -> metadata.put(n, new Meta("extent node", -1)));
        for (Extent e : tableTree.all()) {
            for (long i = 0; i < e.length(); i++) {
                metadata.put(e.physical() + i, new Meta("inode table", (e.logical() + i) * InodeRecord.PER_BLOCK));
            }
        }
        InodeTable inodes = new InodeTable(journal, null);
        for (long ino = InodeTable.ROOT_INO; ino < sb.tableInodes(); ino++) {
            InodeRecord r = inodes.read(mb, ino);
            if (r.isFree() || (r.flags & InodeRecord.FLAG_INLINE) != 0) {
                continue;
            }
            ExtentTree tree = new ExtentTree(mb, r.root, ino);
            tree.forEachNode(n -> metadata.put(n, new Meta("extent node", -1)));
            if (FileType.ofMode(r.mode) == FileType.DIRECTORY) {
                for (Extent e : tree.all()) {
                    for (long i = 0; i < e.length(); i++) {
                        metadata.put(e.physical() + i, new Meta("directory", -1));
                    }
                }
            }
            if (r.xattrBlock != 0) {
                metadata.put(r.xattrBlock, new Meta("xattr", -1));
            }
        }
        assertTrue(metadata.values().stream().anyMatch(m -> m.kind.equals("extent node")), "the image has extent nodes");
    }

    /** The log's record, which the crash left for recovery, and its home blocks. */
    private static void findReplayed() {
        long firstSeq = blockOf(image, Journal.START).getLong(Block.HEADER_END);
        Block d = blockOf(image, Journal.START + 1);
        assertEquals(Journal.DESCRIPTOR_MAGIC, d.magic(), "the crash left a transaction in the log");
        assertTrue(d.getLong(16) >= firstSeq, "recovery replays it");
        int n = d.getInt(24);
        for (int i = 0; i < n; i++) {
            replayed.add(d.getLong(32 + 8 * i));
        }
        for (long b = Journal.START + 1; b <= Journal.START + n + 2; b++) {
            metadata.put(b, new Meta("journal log", -1));
        }
    }

    private static Device deviceWith(byte[] bytes) throws FsException {
        Device d = Devices.memory(bytes.length);
        d.write(0, bytes, 0, bytes.length);
        return d;
    }

    // ---- the fuzz loop ---------------------------------------------------------------------------

    @Test
    void damagedImagesAreReportedAndRefusedCleanly() {
        String one = System.getProperty("daxfs.fuzz.seed");
        if (one != null) {
            iteration(Long.parseLong(one));
            return;
        }
        int n = 1000 * TestImages.scale();
        for (int i = 0; i < n; i++) {
            iteration(BASE_SEED + i);
        }
        System.out.println(n + " damaged images: " + tally);
        tally.internalErrors.stream().limit(10).forEach(e -> System.out.println("  internal error: " + e));
    }

    /** A damaged copy of the image and what fsck may conclude about it. */
    private record Damaged(byte[] bytes, String what, boolean mustBeFound) {
    }

    private static void iteration(long seed) {
        Damaged damaged = damage(seed);
        String where = "seed " + seed + " (" + damaged.what + "; replay with -Ddaxfs.fuzz.seed=" + seed + ")";
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> run(damaged, where), where + ": hangs");
        } catch (AssertionError e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(where + ": " + t, t);
        }
    }

    private static void run(Damaged damaged, String where) throws Exception {
        boolean truncated = damaged.bytes.length != IMAGE_BYTES;
        Device device = truncated ? deviceWith(damaged.bytes) : scratch;
        try {
            if (!truncated) {
                device.write(0, damaged.bytes, 0, damaged.bytes.length);
            }
            FsckReport check = Fsck.run(device, false, null);
            assertNotNull(check, where);
            assertNotEquals(FsckReport.EXIT_OPERATIONAL, check.exitCode(), where + ": " + check.operationalError());
            if (damaged.mustBeFound) {
                assertNotEquals(FsckReport.EXIT_CLEAN, check.exitCode(), where + ": damage not found");
            }
            if (check.exitCode() != FsckReport.EXIT_CLEAN) {
                tally.found++;
            }
            for (String p : check.problems()) {
                assertTrue(!p.isEmpty() && p.indexOf('\n') < 0, where + ": problem line " + p);
            }
            assertArrayEquals(damaged.bytes, FsckTest.snapshot(device), where + ": fsck without repair wrote");

            FsckReport repair = Fsck.run(device, true, null);
            assertNotEquals(FsckReport.EXIT_OPERATIONAL, repair.exitCode(), where + ": " + repair.operationalError());
            if (repair.exitCode() == FsckReport.EXIT_CORRECTED) {
                tally.corrected++;
            } else if (repair.exitCode() == FsckReport.EXIT_UNCORRECTED) {
                tally.left++;
            }
            if (repair.exitCode() != FsckReport.EXIT_UNCORRECTED) {
                assertEquals(check.exitCode() == 0 ? 0 : 1, repair.exitCode(), where + ": " + repair.problems());
                FsckReport again = Fsck.run(device, false, null);
                assertEquals(List.of(), again.problems(), where + ": not clean after repair " + repair.problems());
                walkRepaired(device, where);
            }

            device.write(0, damaged.bytes, 0, damaged.bytes.length);
            mountAndWalk(device, where);
        } finally {
            if (truncated) {
                device.close();
            }
        }
    }

    /** After a successful repair the image must mount and read without any error at all. */
    private static void walkRepaired(Device device, String where) throws FsException {
        try (DaxFileSystem fs = DaxFileSystem.mount(device, MountOptions.defaults())) {
            walk(fs, "/", new HashSet<>(), 0);
        }
        assertEquals(List.of(), Fsck.run(device, false, null).problems(), where + ": mount of the repaired image left problems");
    }

    private static void mountAndWalk(Device device, String where) {
        DaxFileSystem fs;
        try {
            fs = DaxFileSystem.mount(device, MountOptions.defaults());
        } catch (FsException e) {
            assertTrue(Set.of(Errno.EUCLEAN, Errno.EINVAL, Errno.EIO).contains(e.errno()), where + ": mount said " + e);
            assertTrue(e.getMessage().indexOf('\n') < 0, where + ": message of more than one line: " + e.getMessage());
            tally.refused++;
            noteInternal(e, where);
            return;
        }
        tally.mounted++;
        try {
            try {
                walk(fs, "/", new HashSet<>(), 0);
            } catch (FsException expected) {
                // Damage found while walking: a clean refusal.
                tally.walkErrors++;
                noteInternal(expected, where);
            }
            try {
                fs.close();
            } catch (FsException expected) {
                // Unmount may meet the damage too.
            }
        } catch (RuntimeException | Error e) {
            throw new AssertionError(where + ": walking the mounted image threw " + e, e);
        }
    }

    /**
     * The engine turns an unexpected RuntimeException into an FsException ("internal error", or mount's
     * "damaged image: java..."): allowed by the contract, but each one is a bug worth knowing about.
     */
    private static void noteInternal(FsException e, String where) {
        String m = e.getMessage();
        if (m.contains("internal error") || m.contains("Exception")) {
            tally.internalErrors.add(where + ": " + m);
        }
    }

    /** Lists, stats and reads everything below {@code dir}; each failure is an FsException. */
    private static void walk(DaxFileSystem fs, String dir, Set<Long> seen, int depth) throws FsException {
        if (depth > 64 || !seen.add(fs.lstat(dir).ino())) {
            return;
        }
        fs.statfs();
        for (DirEntry e : fs.readdir(dir)) {
            String p = (dir.equals("/") ? "" : dir) + "/" + e.name();
            Stat st = fs.lstat(p);
            fs.listXattrs(p.equals("/short") || st.isSymlink() ? dir : p);
            switch (st.type()) {
                case DIRECTORY -> walk(fs, p, seen, depth + 1);
                case SYMLINK -> fs.readlink(p);
                case REGULAR -> read(fs, p, st.size());
            }
        }
    }

    private static void read(DaxFileSystem fs, String path, long size) throws FsException {
        try (FileHandle h = fs.open(path, OpenFlag.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 << 10);
            for (long pos = 0; pos < Math.min(size, READ_LIMIT); pos += buf.capacity()) {
                buf.clear();
                h.read(buf, pos);
            }
            if (size > READ_LIMIT) {
                buf.clear();
                h.read(buf, size - buf.capacity());
            }
            for (String name : fs.listXattrs(path)) {
                fs.getXattr(path, name);
            }
        }
    }

    // ---- damage ----------------------------------------------------------------------------------

    private static Damaged damage(long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        byte[] b = image.clone();
        List<Long> blocks = new ArrayList<>(metadata.keySet());
        long blk = blocks.get(rnd.nextInt(blocks.size()));
        Meta meta = metadata.get(blk);
        // Checksums catch any flip, but recovery rewrites the blocks the log holds, and a torn log record
        // is simply not replayed (its transaction is already home).
        boolean caught = !replayed.contains(blk) && !meta.kind.equals("journal log");
        int kind = rnd.nextInt(100);
        if (kind < 55) {
            int flips = 1 + rnd.nextInt(8);
            flipBits(b, blk, flips, rnd);
            return new Damaged(b, flips + " bits flipped in " + meta.kind + " block " + blk, caught);
        }
        if (kind < 75) {
            int flips = 1 + rnd.nextInt(8);
            List<Integer> at = flipBits(b, blk, flips, rnd);
            reseal(b, blk, meta, at);
            return new Damaged(b, flips + " bits flipped in " + meta.kind + " block " + blk + ", checksums made right", false);
        }
        if (kind < 85) {
            int keep = 1 + rnd.nextInt(IMAGE_BYTES / Block.SIZE - 1);
            return new Damaged(java.util.Arrays.copyOf(b, keep * Block.SIZE), "image truncated to " + keep + " blocks", true);
        }
        if (kind < 93) {
            List<Long> headed = blocks.stream()
                    .filter(n -> metadata.get(n).hasHeader() && !replayed.contains(n)
                            && !metadata.get(n).kind.equals("journal log")).toList();
            long h = headed.get(rnd.nextInt(headed.size()));
            int magic = rnd.nextInt();
            Block block = blockOf(b, h);
            if (magic == block.magic()) {
                magic++;
            }
            block.putInt(Block.MAGIC, magic);
            if (rnd.nextBoolean()) {
                block.seal();
            }
            putBlock(b, block);
            return new Damaged(b, "magic of " + metadata.get(h).kind + " block " + h + " set to 0x"
                    + Integer.toHexString(magic), true);
        }
        // The superblock is in the log too: damage it there, where recovery takes it from, and at home.
        Block sb = blockOf(b, Superblock.BLOCK_NUMBER);
        String what;
        if (rnd.nextBoolean()) {
            int version = Superblock.VERSION + 1 + rnd.nextInt(1000);
            sb.putInt(16, version);
            what = "superblock of format version " + version;
        } else {
            int features = 1 << rnd.nextInt(32);
            sb.putInt(28, features);
            what = "superblock with incompatible features 0x" + Integer.toHexString(features);
        }
        sb.seal();
        putBlock(b, sb);
        putLogImage(b, sb);
        return new Damaged(b, what + ", checksum right", true);
    }

    /** Flips {@code n} distinct random bits of block {@code blk}; returns their bit offsets in the block. */
    private static List<Integer> flipBits(byte[] image, long blk, int n, java.util.Random rnd) {
        Set<Integer> bits = new HashSet<>();
        while (bits.size() < n) {
            bits.add(rnd.nextInt(Block.SIZE * 8));
        }
        for (int bit : bits) {
            image[(int) (blk * Block.SIZE) + bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return new ArrayList<>(bits);
    }

    /** Makes every checksum of a damaged block right again, so only the structure checks can tell. */
    private static void reseal(byte[] image, long blk, Meta meta, List<Integer> bits) {
        Block b = blockOf(image, blk);
        if (meta.kind.equals("inode table")) {
            for (int bit : bits) {
                int rec = bit / 8 / InodeRecord.SIZE;
                sealRecord(b, rec * InodeRecord.SIZE, meta.firstIno + rec);
            }
        } else {
            if (blk == Superblock.BLOCK_NUMBER) {
                sealRecord(b, Superblock.TABLE_INODE_OFFSET, InodeTable.TABLE_INO);
            }
            b.seal();
        }
        putBlock(image, b);
    }

    /** The CRC32C of an inode record: its first 252 bytes, then the inode number, little-endian. */
    private static void sealRecord(Block b, int off, long ino) {
        CRC32C c = new CRC32C();
        c.update(b.data(), off, InodeRecord.CRC_OFFSET);
        for (int i = 0; i < 8; i++) {
            c.update((int) (ino >>> (8 * i)));
        }
        b.putInt(off + InodeRecord.CRC_OFFSET, (int) c.getValue());
    }

    /** Replaces the log's image of {@code home}'s block, keeping the record whole (its commit CRC right). */
    private static void putLogImage(byte[] image, Block home) {
        Block d = blockOf(image, Journal.START + 1);
        int n = d.getInt(24);
        CRC32C all = new CRC32C();
        all.update(d.data());
        for (int i = 0; i < n; i++) {
            long at = Journal.START + 2 + i;
            if (d.getLong(32 + 8 * i) == home.number()) {
                System.arraycopy(home.data(), 0, image, (int) (at * Block.SIZE), Block.SIZE);
            }
            all.update(image, (int) (at * Block.SIZE), Block.SIZE);
        }
        Block c = blockOf(image, Journal.START + 2 + n);
        c.putInt(28, (int) all.getValue());
        c.seal();
        putBlock(image, c);
    }

    private static Block blockOf(byte[] image, long blk) {
        byte[] data = new byte[Block.SIZE];
        System.arraycopy(image, (int) (blk * Block.SIZE), data, 0, Block.SIZE);
        return new Block(blk, data);
    }

    private static void putBlock(byte[] image, Block b) {
        System.arraycopy(b.data(), 0, image, (int) (b.number() * Block.SIZE), Block.SIZE);
    }

    @Test
    void eachIterationCanFail() {
        // The loop's own checks must be able to fail: an image damaged where checksums catch it is not clean.
        Damaged d = damage(BASE_SEED);
        assertTrue(d.bytes.length > 0);
        byte[] flipped = image.clone();
        long blk = metadata.keySet().stream().filter(n -> !replayed.contains(n) && metadata.get(n).hasHeader()
                && !metadata.get(n).kind.equals("journal log")).findFirst().orElseThrow();
        flipBits(flipped, blk, 1, new java.util.Random(1));
        try (Device device = deviceWith(flipped)) {
            assertNotEquals(FsckReport.EXIT_CLEAN, Fsck.run(device, false, null).exitCode());
        } catch (FsException e) {
            fail(e);
        }
    }
}
