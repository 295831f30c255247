package org.daxfs.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * The on-device format of a directory: a linear hash table of names, kept in the directory's own file and
 * reached through {@link FileBlocks}. Lookup, add and remove read a header and one short chain of blocks
 * whatever the size of the directory; listings run in a stable order and resume from a cookie.
 *
 * <h2>Context</h2>
 * The caller holds the journal transaction behind its {@link FileBlocks}, and the directory's lock:
 * exclusive for {@link #add}, {@link #remove} and {@link #replace}, at least shared for the rest. This
 * class takes no lock and keeps no state between calls, so a fresh instance per operation is fine. If a
 * call throws {@link FsException} after it began changing blocks (ENOSPC from an allocation, EUCLEAN from a
 * damaged block found midway), the directory is half changed: the caller must abort the transaction. Every
 * block read is checked (magic, CRC, owner, every field and entry in range); damage gives EUCLEAN, never
 * another exception or an endless loop.
 *
 * <h2>Names, hashes and cookies</h2>
 * A name is 1 to {@value #MAX_NAME} bytes; the caller has checked that it holds no '/' and no NUL. Its
 * hash is SipHash-2-4 keyed by the file system's seed ({@link NameHash}), so that names crafted without the
 * seed cannot pile up in one bucket. The low 63 bits of the hash, bit-reversed within those 63 bits, are
 * the entry's cookie k (if that is 0 it becomes 1: 0 is the cookie of "start of directory"). The cookie is
 * stored in the entry, so neither splits nor listings rehash names, and it is what {@link #list} returns
 * and resumes from.
 *
 * <h2>Table</h2>
 * Linear hashing: with level L and split pointer S there are N = 2^L + S primary buckets. A hash h
 * (= the cookie reversed back) lives in bucket b = h mod 2^L, or h mod 2^(L+1) if that b is below S, i.e.
 * already split. Buckets with the same low hash bits have the same top cookie bits, so each bucket holds one
 * interval of cookies, and the buckets in interval order cover all cookies: a listing walks them in cookie
 * order. A split only cuts an interval in two; cookies never change, so a listing that resumes from a
 * cookie neither repeats nor skips an entry that stayed in the directory, whatever split meanwhile.
 *
 * <p>After an add, when the entry bytes exceed {@value #LOAD_PERCENT}% of the entry space of N blocks,
 * bucket S splits: the entries whose hash bit L is set move to the new bucket S + 2^L, S advances, and when
 * it reaches 2^L the level grows and S restarts at 0. The rule counts bytes rather than entries because
 * names range from 1 to 255 bytes. At most one split per add keeps every add's cost bounded; one split adds
 * more room than one entry takes, so the table keeps up. The table never shrinks. Once it has 2^31 - 1
 * buckets (far beyond the million entries a directory must hold) it stops splitting and chains grow.
 *
 * <h2>Blocks</h2>
 * <ul>
 * <li>Logical block 0: the header, {@link DirectoryHeader} (level, split pointer, entry count and bytes,
 *     overflow slot counter, free-slot stack, count of slots forgotten when that stack was full).
 * <li>Logical block 1 + b: primary block of bucket b, for b &lt; N (so N &lt;= 2^31 - 1).
 * <li>Logical blocks from {@link #OVERFLOW_BASE} = 2^31: overflow blocks, chained from a primary block
 *     when a bucket's entries do not fit in one block. Slots come from the header's free stack, else from
 *     its counter.
 * </ul>
 * Bucket and overflow blocks share one layout, {@link DirectoryBucket}: a count, bytes used, the next
 * overflow block, and packed entries {@code u64 cookie, u64 inode, u8 type, u8 name length, name}. An
 * overflow block is never empty (one that empties is unlinked and freed, or merged into its predecessor
 * when it fits there), and an empty primary block has no overflow chain (its first overflow block is pulled
 * in), so a lookup reads no block that holds nothing.
 *
 * <h2>Equal cookies</h2>
 * Two different names may share a cookie (a 63-bit hash collision). Both are stored in the same bucket and
 * found by comparing names. A listing returns all entries of one cookie in the same batch, even if that
 * makes the batch longer than asked, because resuming after that cookie would skip the rest.
 */
public final class DirectoryIndex {
    public static final int MAX_NAME = 255;
    /** "DIRH" little-endian. */
    public static final int DIR_HEADER_MAGIC = 0x48524944;
    /** "DIRB" little-endian. */
    public static final int DIR_BUCKET_MAGIC = 0x42524944;
    /** First logical block of the overflow area; primary buckets live below it. */
    public static final long OVERFLOW_BASE = 1L << 31;
    /** Bucket S splits when entry bytes exceed this share of the entry space of the primary blocks. */
    static final int LOAD_PERCENT = 75;

    /**
     * One directory entry.
     *
     * @param name the name's bytes
     * @param ino the inode it names
     * @param type the caller's type code, 0..255
     * @param cookie its position in listings: {@link #list} resumes after it
     */
    public record Entry(byte[] name, long ino, int type, long cookie) {
        /** Equal when the name bytes are equal, not the arrays. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && Arrays.equals(name, e.name) && ino == e.ino && type == e.type
                    && cookie == e.cookie;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(name) * 31 + Long.hashCode(ino ^ cookie) + type;
        }

        @Override
        public String toString() {
            return "Entry[" + printable(name) + " -> " + ino + ", type " + type + ", cookie " + cookie + "]";
        }
    }

    /** Listing order: by cookie, then, for equal cookies, by name. */
    private static final Comparator<Entry> ORDER =
            Comparator.comparingLong(Entry::cookie).thenComparing(Entry::name, Arrays::compareUnsigned);

    private final FileBlocks blocks;
    private final long owner;
    private final ToLongFunction<byte[]> hash;

    /** The directory whose blocks {@code blocks} reaches, with names hashed under the file system's seed. */
    public DirectoryIndex(FileBlocks blocks, long hashSeed) {
        this(blocks, name -> NameHash.of(hashSeed, name));
    }

    /** With another hash function: tests use it to force collisions. */
    DirectoryIndex(FileBlocks blocks, ToLongFunction<byte[]> hash) {
        this.blocks = blocks;
        this.owner = blocks.owner();
        this.hash = hash;
    }

    /** Writes the header and the one empty bucket of an empty directory into a file with no blocks. */
    public static void format(FileBlocks blocks) throws FsException {
        long owner = blocks.owner();
        DirectoryHeader header = DirectoryHeader.init(blocks.allocate(0), owner);
        DirectoryBucket bucket = DirectoryBucket.init(blocks.allocate(1), 1, owner);
        bucket.seal();
        header.seal();
    }

    /** The cookie of a name whose hash is {@code hash}: its low 63 bits reversed, never 0. */
    static long cookieOf(long hash) {
        long k = Long.reverse(hash) >>> 1;
        return k == 0 ? 1 : k;
    }

    private long cookie(byte[] name) {
        return cookieOf(hash.applyAsLong(name));
    }

    // ---- operations --------------------------------------------------------------------------------

    /** The entry named {@code name}, or null. */
    public Entry lookup(byte[] name) throws FsException {
        checkName(name);
        DirectoryHeader header = header();
        long k = cookie(name);
        Chain chain = new Chain(header, header.bucketOf(k));
        for (DirectoryBucket d = chain.next(); d != null; d = chain.next()) {
            int off = d.find(k, name);
            if (off >= 0) {
                return d.entry(off);
            }
        }
        return null;
    }

    /**
     * Adds an entry. The caller has made sure the name is absent.
     *
     * @throws IllegalStateException if it is present after all: a bug of the caller
     * @throws FsException ENOSPC if no block can be allocated, EUCLEAN if the directory is damaged
     */
    public void add(byte[] name, long ino, int type) throws FsException {
        checkName(name);
        checkType(type);
        DirectoryHeader read = header();
        long k = cookie(name);
        int size = DirectoryBucket.entrySize(name.length);
        Chain chain = new Chain(read, read.bucketOf(k));
        DirectoryBucket room = null;
        DirectoryBucket last = null;
        for (DirectoryBucket d = chain.next(); d != null; d = chain.next()) {
            if (d.find(k, name) >= 0) {
                throw new IllegalStateException("directory " + owner + " already holds " + printable(name));
            }
            if (room == null && d.free() >= size) {
                room = d;
            }
            last = d;
        }
        DirectoryHeader header = modifyHeader();
        if (room != null) {
            DirectoryBucket w = modifyBucket(room.logical());
            w.append(k, ino, type, name);
            w.seal();
        } else {
            DirectoryBucket added = newOverflow(header);
            added.append(k, ino, type, name);
            added.seal();
            DirectoryBucket w = modifyBucket(last.logical());
            w.setNext(added.logical());
            w.seal();
        }
        header.account(1, size);
        if (header.canSplit()
                && header.bytes() * 100 > LOAD_PERCENT * header.buckets() * DirectoryBucket.CAPACITY) {
            split(header);
        }
        header.seal();
    }

    /** Removes the entry named {@code name} and returns it, or returns null if there is none. */
    public Entry remove(byte[] name) throws FsException {
        checkName(name);
        DirectoryHeader read = header();
        long k = cookie(name);
        Chain chain = new Chain(read, read.bucketOf(k));
        DirectoryBucket previous = null;
        DirectoryBucket d;
        int off = -1;
        for (d = chain.next(); d != null; previous = d, d = chain.next()) {
            off = d.find(k, name);
            if (off >= 0) {
                break;
            }
        }
        if (d == null) {
            return null;
        }
        Entry removed = d.entry(off);
        DirectoryHeader header = modifyHeader();
        DirectoryBucket w = modifyBucket(d.logical());
        w.remove(off);
        header.account(-1, -DirectoryBucket.entrySize(name.length));
        if (previous != null && previous.free() >= w.used()) {
            // An overflow block that now fits into its predecessor (always so when empty) goes, which keeps
            // chains as short as their contents allow and never leaves an empty overflow block.
            DirectoryBucket p = modifyBucket(previous.logical());
            for (int e = w.first(); e < w.end(); e = w.nextEntry(e)) {
                p.appendRaw(w.raw(e));
            }
            p.setNext(w.next());
            p.seal();
            releaseOverflow(header, w.logical());
        } else {
            if (w.count() == 0 && w.next() != 0) {
                // The primary block emptied: pull in its first overflow block so no lookup reads an empty one.
                DirectoryBucket n = chain.next();
                for (int e = n.first(); e < n.end(); e = n.nextEntry(e)) {
                    w.appendRaw(n.raw(e));
                }
                w.setNext(n.next());
                releaseOverflow(header, n.logical());
            }
            w.seal();
        }
        header.seal();
        return removed;
    }

    /**
     * Points an existing name at another inode (rename over an existing target).
     *
     * @throws IllegalStateException if the name is absent: a bug of the caller, who looked it up first
     */
    public void replace(byte[] name, long ino, int type) throws FsException {
        checkName(name);
        checkType(type);
        DirectoryHeader header = header();
        long k = cookie(name);
        Chain chain = new Chain(header, header.bucketOf(k));
        for (DirectoryBucket d = chain.next(); d != null; d = chain.next()) {
            int off = d.find(k, name);
            if (off >= 0) {
                DirectoryBucket w = modifyBucket(d.logical());
                w.retarget(off, ino, type);
                w.seal();
                return;
            }
        }
        throw new IllegalStateException("directory " + owner + " does not hold " + printable(name));
    }

    /** The number of entries. */
    public long count() throws FsException {
        return header().count();
    }

    /**
     * Up to {@code max} entries with cookies above {@code afterCookie}, in cookie order (0 starts at the
     * beginning; resume with the cookie of the last entry returned). An empty list means the end. Entries
     * that share a cookie come in the same batch, which may then hold more than {@code max}. Buckets
     * emptied by removals are still visited, so a batch may read more blocks than it returns entries.
     */
    public List<Entry> list(long afterCookie, int max) throws FsException {
        if (afterCookie < 0 || max <= 0) {
            throw new IllegalArgumentException("list after " + afterCookie + ", max " + max);
        }
        if (afterCookie == Long.MAX_VALUE) {
            return List.of();
        }
        DirectoryHeader header = header();
        List<Entry> found = new ArrayList<>();
        long k = afterCookie + 1;
        while (true) {
            // A whole bucket at a time: its entries are in no order, and together they cover its interval.
            long b = header.bucketOf(k);
            Chain chain = new Chain(header, b);
            for (DirectoryBucket d = chain.next(); d != null; d = chain.next()) {
                for (int off = d.first(); off < d.end(); off = d.nextEntry(off)) {
                    if (d.cookie(off) > afterCookie) {
                        found.add(d.entry(off));
                    }
                }
            }
            long last = header.lastCookie(b);
            if (found.size() >= max || last == Long.MAX_VALUE) {
                break;
            }
            k = last + 1;
        }
        found.sort(ORDER);
        int n = Math.min(max, found.size());
        while (n < found.size() && found.get(n).cookie() == found.get(n - 1).cookie()) {
            n++;
        }
        return n == found.size() ? found : new ArrayList<>(found.subList(0, n));
    }

    /** Gives every entry to {@code action}, in no particular order. The directory must not change meanwhile. */
    public void forEach(Consumer<Entry> action) throws FsException {
        DirectoryHeader header = header();
        for (long b = 0, n = header.buckets(); b < n; b++) {
            Chain chain = new Chain(header, b);
            for (DirectoryBucket d = chain.next(); d != null; d = chain.next()) {
                for (int off = d.first(); off < d.end(); off = d.nextEntry(off)) {
                    action.accept(d.entry(off));
                }
            }
        }
    }

    // ---- fsck --------------------------------------------------------------------------------------

    /**
     * Checks the whole directory and reports each problem as one line: damaged or missing blocks, entries
     * whose stored cookie does not match the name or that sit in the wrong bucket, names with '/' or NUL,
     * duplicate names, chains that share or loop, empty overflow blocks, overflow blocks in no chain, and
     * totals that disagree with the header. Reports nothing for a sound directory.
     *
     * @throws FsException for errors other than damage (EIO from the device)
     */
    public void check(Consumer<String> problems) throws FsException {
        DirectoryHeader header;
        try {
            header = header();
        } catch (FsException e) {
            report(e, problems);
            return;
        }
        String dir = "directory " + owner;
        long buckets = header.buckets();
        // A damaged level could claim 2^31 buckets; a missing last bucket says so without reading them all.
        if (blocks.read(buckets) == null) {
            problems.accept(dir + ": header claims " + buckets + " buckets but bucket " + (buckets - 1)
                    + " is missing");
            return;
        }
        if (1 + buckets < OVERFLOW_BASE && blocks.read(1 + buckets) != null) {
            problems.accept(dir + ": block " + (1 + buckets) + " past the last bucket is mapped");
        }
        Set<Long> chained = new HashSet<>();
        long[] totals = new long[2];
        for (long b = 0; b < buckets; b++) {
            checkBucket(header, b, chained, totals, problems);
        }
        if (totals[0] != header.count()) {
            problems.accept(dir + ": header counts " + header.count() + " entries, buckets hold " + totals[0]);
        }
        if (totals[1] != header.bytes()) {
            problems.accept(dir + ": header counts " + header.bytes() + " entry bytes, buckets hold " + totals[1]);
        }
        Set<Long> free = new HashSet<>();
        for (int i = 0; i < header.freeSlots(); i++) {
            long slot = header.freeSlot(i);
            if (!free.add(slot)) {
                problems.accept(dir + ": overflow slot " + slot + " is on the free stack twice");
            } else if (chained.contains(OVERFLOW_BASE + slot)) {
                problems.accept(dir + ": overflow block " + (OVERFLOW_BASE + slot) + " is in a chain and free");
            } else if (blocks.read(OVERFLOW_BASE + slot) != null) {
                problems.accept(dir + ": overflow block " + (OVERFLOW_BASE + slot) + " is free but mapped");
            }
        }
        long accounted = chained.size() + free.size() + header.forgotten();
        if (accounted != header.slots()) {
            problems.accept(dir + ": " + header.slots() + " overflow slots handed out, but " + chained.size()
                    + " are in chains, " + free.size() + " free and " + header.forgotten() + " forgotten");
            return;
        }
        // Only the forgotten slots are left; they must be holes. (Consistent totals bound this scan.)
        for (long slot = 0; slot < header.slots(); slot++) {
            long l = OVERFLOW_BASE + slot;
            if (!chained.contains(l) && !free.contains(slot) && blocks.read(l) != null) {
                problems.accept(dir + ": overflow block " + l + " is in no chain");
            }
        }
    }

    private void checkBucket(DirectoryHeader header, long b, Set<Long> chained, long[] totals,
            Consumer<String> problems) throws FsException {
        Set<String> names = new HashSet<>();
        for (long l = 1 + b; l != 0; ) {
            String where = "directory " + owner + " bucket " + b + " block " + l;
            Block block = blocks.read(l);
            if (block == null) {
                problems.accept(where + ": missing");
                return;
            }
            DirectoryBucket d;
            try {
                d = DirectoryBucket.open(block, l, owner);
            } catch (FsException e) {
                report(e, problems);
                return;
            }
            boolean primary = l < OVERFLOW_BASE;
            if (d.count() == 0 && (!primary || d.next() != 0)) {
                problems.accept(where + ": empty block in a chain");
            }
            for (int off = d.first(); off < d.end(); off = d.nextEntry(off)) {
                byte[] name = d.name(off);
                long k = d.cookie(off);
                totals[0]++;
                totals[1] += DirectoryBucket.entrySize(name.length);
                String entry = where + ": entry " + printable(name);
                for (byte c : name) {
                    if (c == '/' || c == 0) {
                        problems.accept(entry + " holds '/' or NUL");
                        break;
                    }
                }
                if (k != cookie(name)) {
                    problems.accept(entry + " has cookie " + k + " but its name hashes to " + cookie(name));
                }
                if (header.bucketOf(k) != b) {
                    problems.accept(entry + " belongs in bucket " + header.bucketOf(k));
                }
                if (!names.add(new String(name, StandardCharsets.ISO_8859_1))) {
                    problems.accept(entry + " is a duplicate");
                }
            }
            long next = d.next();
            if (next != 0 && next - OVERFLOW_BASE >= header.slots()) {
                problems.accept(where + ": next overflow block " + next + " was never handed out");
                return;
            }
            if (next != 0 && !chained.add(next)) {
                problems.accept(where + ": next overflow block " + next + " is already in a chain");
                return;
            }
            l = next;
        }
    }

    private static void report(FsException e, Consumer<String> problems) throws FsException {
        if (e.errno() != Errno.EUCLEAN) {
            throw e;
        }
        problems.accept(e.detail() != null ? e.detail() : e.getMessage());
    }

    // ---- blocks ------------------------------------------------------------------------------------

    /** The walk along one bucket's chain of blocks, each read and checked. */
    private final class Chain {
        private final DirectoryHeader header;
        private final long bucket;
        private long next;
        private long overflowBlocks;

        Chain(DirectoryHeader header, long bucket) {
            this.header = header;
            this.bucket = bucket;
            this.next = 1 + bucket;
        }

        /** The next block of the chain, or null after the last. */
        DirectoryBucket next() throws FsException {
            if (next == 0) {
                return null;
            }
            DirectoryBucket d = readBucket(header, bucket, next);
            long n = d.next();
            if (n != 0) {
                // A chain has no more overflow blocks than slots handed out, nor than entries (none is empty):
                // more steps mean it loops.
                if (n - OVERFLOW_BASE >= header.slots()
                        || ++overflowBlocks > Math.min(header.slots(), header.count())) {
                    throw d.block().corrupt("directory " + owner + " block " + d.logical()
                            + ": bad or looping next overflow block " + n);
                }
            }
            next = n;
            return d;
        }
    }

    private List<DirectoryBucket> readChain(DirectoryHeader header, long bucket) throws FsException {
        List<DirectoryBucket> chain = new ArrayList<>();
        Chain walk = new Chain(header, bucket);
        for (DirectoryBucket d = walk.next(); d != null; d = walk.next()) {
            chain.add(d);
        }
        return chain;
    }

    private DirectoryHeader header() throws FsException {
        return DirectoryHeader.open(blocks.read(0), owner);
    }

    /** The header for changing; it was read and checked earlier in the same operation. */
    private DirectoryHeader modifyHeader() throws FsException {
        return DirectoryHeader.writable(blocks.modify(0));
    }

    /** Reads and checks a block of bucket {@code b}, including that every entry belongs to that bucket. */
    private DirectoryBucket readBucket(DirectoryHeader header, long b, long logical) throws FsException {
        Block block = blocks.read(logical);
        if (block == null) {
            throw header.block().corrupt("directory " + owner + ": block " + logical + " of bucket " + b
                    + " is a hole");
        }
        DirectoryBucket d = DirectoryBucket.open(block, logical, owner);
        for (int off = d.first(); off < d.end(); off = d.nextEntry(off)) {
            if (header.bucketOf(d.cookie(off)) != b) {
                throw block.corrupt("directory " + owner + " block " + logical + ": entry with cookie "
                        + d.cookie(off) + " does not belong in bucket " + b);
            }
        }
        return d;
    }

    /** A block read and checked earlier in the same operation, for changing. */
    private DirectoryBucket modifyBucket(long logical) throws FsException {
        return DirectoryBucket.writable(blocks.modify(logical), logical);
    }

    private DirectoryBucket newOverflow(DirectoryHeader header) throws FsException {
        long logical = OVERFLOW_BASE + header.takeSlot();
        // A damaged header could hand out a slot in use; allocating over it would lose that block.
        if (blocks.read(logical) != null) {
            throw header.block().corrupt("directory " + owner + ": overflow block " + logical
                    + " handed out again while in use");
        }
        return DirectoryBucket.init(blocks.allocate(logical), logical, owner);
    }

    private void releaseOverflow(DirectoryHeader header, long logical) throws FsException {
        blocks.free(logical);
        header.releaseSlot(logical - OVERFLOW_BASE);
    }

    /**
     * Splits bucket S: entries whose hash bit L is set move to the new bucket S + 2^L, the rest are packed
     * back into S's chain (reusing its blocks, freeing those left over).
     */
    private void split(DirectoryHeader header) throws FsException {
        long source = header.split();
        long target = header.splitTarget();
        long bit = header.splitBit();
        List<DirectoryBucket> chain = readChain(header, source);
        List<byte[]> stay = new ArrayList<>();
        List<byte[]> move = new ArrayList<>();
        for (DirectoryBucket d : chain) {
            for (int off = d.first(); off < d.end(); off = d.nextEntry(off)) {
                ((d.cookie(off) & bit) != 0 ? move : stay).add(d.raw(off));
            }
        }
        long targetLogical = 1 + target;
        if (blocks.read(targetLogical) != null) {
            throw header.block().corrupt("directory " + owner + ": block " + targetLogical
                    + " past the last bucket is already mapped");
        }
        if (!move.isEmpty()) {
            List<Long> spare = new ArrayList<>();
            for (int i = 1; i < chain.size(); i++) {
                spare.add(chain.get(i).logical());
            }
            pack(header, DirectoryBucket.init(blocks.modify(1 + source), 1 + source, owner), spare, stay);
        }
        pack(header, DirectoryBucket.init(blocks.allocate(targetLogical), targetLogical, owner), List.of(), move);
        header.advanceSplit();
    }

    /**
     * Writes {@code entries} into a chain starting at the cleared writable block {@code first}, continuing
     * into the {@code spare} overflow blocks and then new ones as needed, and frees the spares left over.
     */
    private void pack(DirectoryHeader header, DirectoryBucket first, List<Long> spare, List<byte[]> entries)
            throws FsException {
        DirectoryBucket current = first;
        int used = 0;
        for (byte[] raw : entries) {
            if (current.free() < raw.length) {
                DirectoryBucket next;
                if (used < spare.size()) {
                    long logical = spare.get(used++);
                    next = DirectoryBucket.init(blocks.modify(logical), logical, owner);
                } else {
                    next = newOverflow(header);
                }
                current.setNext(next.logical());
                current.seal();
                current = next;
            }
            current.appendRaw(raw);
        }
        current.seal();
        for (int i = used; i < spare.size(); i++) {
            releaseOverflow(header, spare.get(i));
        }
    }

    // ---- arguments ---------------------------------------------------------------------------------

    private static void checkName(byte[] name) {
        if (name.length == 0 || name.length > MAX_NAME) {
            throw new IllegalArgumentException("name of " + name.length + " bytes");
        }
    }

    private static void checkType(int type) {
        if (type < 0 || type > 0xff) {
            throw new IllegalArgumentException("type " + type + " does not fit in a byte");
        }
    }

    /** The name for messages: printable ASCII as is, other bytes as \xNN. */
    static String printable(byte[] name) {
        StringBuilder sb = new StringBuilder("'");
        for (byte c : name) {
            if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c & 0xff));
            }
        }
        return sb.append('\'').toString();
    }
}
