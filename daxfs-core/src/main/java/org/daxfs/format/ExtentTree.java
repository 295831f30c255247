package org.daxfs.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;
import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * The extent map of one file: an ext4-style B+tree from logical file blocks to device blocks.
 *
 * <h2>On-device format</h2>
 * All integers are little-endian. Every node, including the root, is a header followed by 16-byte entries
 * sorted by logical block.
 * <pre>
 * root (inline in the inode record, {@value #ROOT_SIZE} bytes):
 *   0  u16 magic 0xE17E
 *   2  u16 depth          0: the entries are extents; d &gt; 0: index entries pointing at nodes of depth d-1
 *   4  u16 count          at most 7
 *   6  u16 reserved (0)
 *   8  7 entries of 16 bytes; bytes 120..127 reserved (0)
 *
 * node block (4096 bytes):
 *   0  u32 magic 0x4E455844 ("DXEN")   \
 *   4  u32 crc32c                       } common header, see {@link Block}
 *   8  u64 owner inode                 /
 *  16  u16 depth, u16 count (1..254), u32 reserved (0)
 *  24  254 entries of 16 bytes
 *
 * leaf entry (depth 0):  u32 logical block, u32 length | 0x80000000 if unwritten, u64 physical block
 * index entry (depth &gt; 0): u32 first logical block of the subtree, u32 reserved (0), u64 child node block
 * </pre>
 * Invariants, all verified when a node is read and by {@link #check()}: every leaf is at the same depth, at
 * most {@value #MAX_DEPTH}; extents have length 1..2^31-1, physical block &gt; 0, end at most 2^32, and do not
 * overlap; an index key equals the first logical block of its child exactly, so keys are strictly increasing
 * and every subtree lies in {@code [key[i], key[i+1])}; a node that is not the root is never empty (an
 * emptied node is freed at once and its index entry removed). A tree with no extents is a root of depth 0.
 *
 * <p>Growth: a leaf or index node that overflows splits in half and its new right half gets an index entry
 * in the parent; a full root moves its entries into a new node and becomes an index one level deeper. All
 * blocks a split needs are allocated before anything changes, so ENOSPC leaves the tree as it was. Removal
 * never merges underfull nodes, but pulls the single child of the root back into it when it fits.
 *
 * <h2>Context the caller holds</h2>
 * The journal transaction whose {@link MetadataBlocks} this tree was given; every block this class modifies
 * or allocates is sealed before a method returns, and the caller writes the inode record that holds the
 * root in the same transaction. The inode's lock exclusively for the changing methods, at least shared for
 * lookups; lookups keep no state in the instance, so concurrent ones may share it. If a method throws an
 * FsException, the caller aborts the transaction and reloads the inode. Until then the root stays well
 * formed: every step leaves a valid tree, and ENOSPC comes before the step that needs the block changes
 * anything, so only {@link #setUnwritten} over several leaves, or {@link #insert} of an extent longer than
 * {@link #MAX_LENGTH}, can fail with part of the work done.
 * Damage found on the way is EUCLEAN, never another exception. An instance is cheap; create one per
 * operation.
 */
public final class ExtentTree {
    public static final int ROOT_SIZE = 128;
    public static final int ROOT_MAGIC = 0xE17E;
    public static final int NODE_MAGIC = 0x4E455844;
    /** Largest logical block a file can map. */
    public static final long MAX_LOGICAL = 0xFFFFFFFFL;
    /** Longest extent one entry can describe; longer runs are stored as several entries. */
    public static final long MAX_LENGTH = 0x7FFFFFFFL;
    /** Deepest tree accepted; far more than 2^32 single-block extents need. */
    public static final int MAX_DEPTH = 5;

    static final int ENTRY_SIZE = 16;
    static final int ROOT_HEADER = 8;
    static final int NODE_HEADER = Block.HEADER_END + 8;
    static final int ROOT_ENTRIES = (ROOT_SIZE - ROOT_HEADER) / ENTRY_SIZE;
    static final int NODE_ENTRIES = (Block.SIZE - NODE_HEADER) / ENTRY_SIZE;

    /** One past the last addressable logical block. */
    private static final long LIMIT = MAX_LOGICAL + 1;
    private static final int UNWRITTEN = 0x80000000;

    private final MetadataBlocks blocks;
    private final byte[] root;
    private final long owner;
    /** Where new nodes should go: near the data of the operation in progress. */
    private long goal;

    /**
     * @param blocks the transaction's blocks
     * @param root   the inode's {@value #ROOT_SIZE}-byte root area, read and changed in place
     * @param owner  the inode number, stored in and checked against every node
     */
    public ExtentTree(MetadataBlocks blocks, byte[] root, long owner) {
        this.blocks = Objects.requireNonNull(blocks);
        this.root = checkRootSize(root);
        this.owner = owner;
    }

    /** Makes {@code root} an empty tree. */
    public static void initRoot(byte[] root) {
        checkRootSize(root);
        Arrays.fill(root, (byte) 0);
        putShort(root, 0, ROOT_MAGIC);
    }

    // ---- lookups -------------------------------------------------------------------------------

    /** The extent containing {@code lblk}, or null if it is a hole. */
    public Extent find(long lblk) throws FsException {
        checkBlock(lblk);
        Path p = seek(lblk);
        Node leaf = p.leaf();
        int i = p.leafPos();
        return i >= 0 && leaf.end(i) > lblk ? leaf.extent(i) : null;
    }

    /** The first extent that ends after {@code lblk}: the one containing it or else the next one; or null. */
    public Extent next(long lblk) throws FsException {
        checkBlock(lblk);
        Path p = seek(lblk);
        Node leaf = p.leaf();
        int i = firstEndingAfter(leaf, p.leafPos(), lblk);
        if (i < leaf.count()) {
            return leaf.extent(i);
        }
        long nk = nextKey(p);
        return nk < 0 ? null : seek(nk).leaf().extent(0);
    }

    /**
     * The extents overlapping {@code [from, to)}, whole (not clipped), in order. {@code to} may lie beyond
     * {@link #MAX_LOGICAL}; nothing is mapped there.
     */
    public List<Extent> extents(long from, long to) throws FsException {
        to = clampRange(from, to);
        List<Extent> out = new ArrayList<>();
        long at = from;
        while (at < to) {
            Path p = seek(at);
            Node leaf = p.leaf();
            for (int j = firstEndingAfter(leaf, p.leafPos(), at); j < leaf.count(); j++) {
                if (leaf.key(j) >= to) {
                    return out;
                }
                out.add(leaf.extent(j));
            }
            long nk = nextKey(p);
            if (nk < 0) {
                break;
            }
            at = nk;
        }
        return out;
    }

    /** Every extent, in order. */
    public List<Extent> all() throws FsException {
        List<Extent> out = new ArrayList<>();
        walk(n -> {
            if (n.depth() == 0) {
                for (int i = 0; i < n.count(); i++) {
                    out.add(n.extent(i));
                }
            }
        });
        return out;
    }

    /** The number of mapped blocks (written or not). */
    public long mappedBlocks() throws FsException {
        long[] sum = {0};
        walk(n -> {
            if (n.depth() == 0) {
                for (int i = 0; i < n.count(); i++) {
                    sum[0] += n.length(i);
                }
            }
        });
        return sum[0];
    }

    /** Reports the block number of every node of the tree (not the inline root), for fsck and freeing. */
    public void forEachNode(LongConsumer nodeBlock) throws FsException {
        walk(n -> {
            if (!n.isRoot()) {
                nodeBlock.accept(n.number());
            }
        });
    }

    /**
     * Checks the whole tree for fsck: root header, every node's magic, CRC, owner, depth and count, keys
     * sorted and equal to the first key of the child, extents well formed, inside their parent's bounds and
     * not overlapping, and no node referenced twice.
     *
     * @throws FsException EUCLEAN describing the first problem found
     */
    public void check() throws FsException {
        // Reading a node verifies it (see loadChild); the walk adds the global view across leaves.
        long[] prevEnd = {0};
        walk(n -> {
            if (n.depth() == 0 && n.count() > 0) {
                if (n.key(0) < prevEnd[0]) {
                    throw corrupt(n, "extent at " + n.key(0) + " overlaps the previous leaf, which ends at " + prevEnd[0]);
                }
                prevEnd[0] = n.end(n.count() - 1);
            }
        });
    }

    // ---- changes -------------------------------------------------------------------------------

    /**
     * Maps {@code e}, merging it with neighbours that continue it logically and physically in the same
     * state. Extents longer than {@link #MAX_LENGTH} are stored as several entries.
     *
     * @throws FsException EFBIG if it ends beyond {@link #MAX_LOGICAL}; ENOSPC if no block is left for a node
     * @throws IllegalArgumentException if part of {@code [e.logical, e.end)} is already mapped
     */
    public void insert(Extent e) throws FsException {
        Objects.requireNonNull(e);
        if (e.end() > LIMIT) {
            throw tooBig(e.end() - 1);
        }
        if (e.physical() > Long.MAX_VALUE - e.length()) {
            throw new IllegalArgumentException("inode " + owner + ": physical range of " + e + " overflows");
        }
        Extent clash = next(e.logical());
        if (clash != null && clash.logical() < e.end()) {
            throw new IllegalArgumentException("inode " + owner + ": " + e + " overlaps mapped " + clash);
        }
        goal = e.physical();
        for (long done = 0; done < e.length(); ) {
            long n = Math.min(e.length() - done, MAX_LENGTH);
            insertOne(new Extent(e.logical() + done, e.physical() + done, n, e.unwritten()));
            done += n;
        }
    }

    private void insertOne(Extent e) throws FsException {
        Path p = seek(e.logical());
        Node leaf = p.leaf();
        int i = p.leafPos();
        // Keys are exact, so i < 0 only before the first extent of the file: there is no previous leaf.
        boolean withPrev = i >= 0 && mergeable(leaf.extent(i), e);
        Extent merged = withPrev ? merge(leaf.extent(i), e) : e;
        int from = withPrev ? i : i + 1;
        if (i + 1 < leaf.count()) {
            Extent next = leaf.extent(i + 1);
            if (mergeable(merged, next)) {
                splice(p, from, i + 2, List.of(merge(merged, next)));
            } else {
                splice(p, from, i + 1, List.of(merged));
            }
            return;
        }
        // The following extent, if any, starts the next leaf.
        long nk = nextKey(p);
        if (nk >= 0 && nk == merged.end()) {
            Path q = seek(nk);
            Extent next = q.leaf().extent(0);
            if (mergeable(merged, next)) {
                if (!withPrev) {
                    splice(q, 0, 1, List.of(merge(merged, next)));
                    return;
                }
                // Three-way merge across leaves: take the next leaf's first extent out (which may free that
                // leaf), then widen this leaf's last one. The first splice may have modified ancestors
                // shared with this path, so walk down again.
                splice(q, 0, 1, List.of());
                splice(seek(e.logical()), i, i + 1, List.of(merge(merged, next)));
                shrinkRoot();
                return;
            }
        }
        splice(p, from, i + 1, List.of(merged));
    }

    /**
     * Unmaps {@code [from, to)}, splitting extents that cross its ends. {@code to} may lie beyond
     * {@link #MAX_LOGICAL} (to truncate to the end).
     *
     * @return the pieces removed, clipped to the range, in order; the caller frees their blocks
     * @throws FsException ENOSPC if splitting one extent in two needs a node that cannot be had
     */
    public List<Extent> remove(long from, long to) throws FsException {
        to = clampRange(from, to);
        List<Extent> removed = new ArrayList<>();
        long at = from;
        while (at < to) {
            Path p = seek(at);
            Node leaf = p.leaf();
            int count = leaf.count();
            int i = firstEndingAfter(leaf, p.leafPos(), at);
            List<Extent> keep = new ArrayList<>(2);
            int j = i;
            for (; j < count && leaf.key(j) < to; j++) {
                Extent e = leaf.extent(j);
                removed.add(e.clip(from, to));
                if (e.logical() < from) {
                    keep.add(e.clip(e.logical(), from));
                }
                if (e.end() > to) {
                    keep.add(e.clip(to, e.end()));
                }
            }
            // Computed before the splice, which leaves the keys of later subtrees alone.
            long nk = j == count ? nextKey(p) : -1;
            if (j > i) {
                goal = leaf.ptr(i);
                splice(p, i, j, keep);
            }
            if (nk < 0) {
                break;
            }
            at = nk;
        }
        shrinkRoot();
        return removed;
    }

    /**
     * Sets the mapped parts of {@code [from, to)} written or unwritten, splitting extents that cross its
     * ends and merging with neighbours in the same leaf that end up in the same state.
     *
     * @throws FsException ENOSPC if a split needs a node that cannot be had
     */
    public void setUnwritten(long from, long to, boolean unwritten) throws FsException {
        to = clampRange(from, to);
        long at = from;
        while (at < to) {
            Path p = seek(at);
            Node leaf = p.leaf();
            int count = leaf.count();
            int i = firstEndingAfter(leaf, p.leafPos(), at);
            int j = i;
            boolean changed = false;
            for (; j < count && leaf.key(j) < to; j++) {
                changed |= leaf.unwritten(j) != unwritten;
            }
            long nk = j == count ? nextKey(p) : -1;
            if (changed) {
                // Rewrite the affected entries together with one neighbour on each side so merges happen.
                int lo = Math.max(i - 1, 0);
                int hi = Math.min(j + 1, count);
                List<Extent> out = new ArrayList<>(hi - lo + 2);
                for (int k = lo; k < hi; k++) {
                    Extent e = leaf.extent(k);
                    if (k < i || k >= j || e.unwritten() == unwritten) {
                        append(out, e);
                        continue;
                    }
                    if (e.logical() < from) {
                        append(out, e.clip(e.logical(), from));
                    }
                    append(out, e.clip(from, to).withUnwritten(unwritten));
                    if (e.end() > to) {
                        append(out, e.clip(to, e.end()));
                    }
                }
                goal = leaf.ptr(i);
                splice(p, lo, hi, out);
            }
            if (nk < 0) {
                break;
            }
            at = nk;
        }
        shrinkRoot();
    }

    /**
     * Moves every extent at or after {@code from} by {@code delta} blocks, for insert range (delta &gt; 0) and
     * collapse range (delta &lt; 0). Index keys move with them. For an insert, an extent that straddles
     * {@code from} is first cut there so its upper part moves alone. After a collapse, the extents that meet
     * at the seam are merged if they can be and share a leaf.
     *
     * @throws FsException EFBIG if an extent would end beyond {@link #MAX_LOGICAL}; ENOSPC if cutting an
     *     extent needs a node that cannot be had
     * @throws IllegalArgumentException for a collapse if an extent straddles {@code from}, or the moved
     *     extents would land below 0 or on mapped blocks
     */
    public void shift(long from, long delta) throws FsException {
        if (from < 0) {
            throw new IllegalArgumentException("negative block " + from);
        }
        if (delta == 0 || from > MAX_LOGICAL) {
            return;
        }
        Extent first = next(from);
        if (first == null) {
            return;
        }
        goal = first.physical();
        if (delta > 0) {
            Extent last = last();
            if (last.end() > LIMIT - delta) {
                throw FsException.of(Errno.EFBIG, null, "shifting " + last + " by " + delta
                        + " goes beyond the maximum logical block " + MAX_LOGICAL);
            }
            if (first.logical() < from) {
                Path p = seek(from);
                splice(p, p.leafPos(), p.leafPos() + 1, List.of(first.clip(first.logical(), from), first.clip(from, first.end())));
            }
        } else {
            if (first.logical() < from) {
                throw new IllegalArgumentException("inode " + owner + ": " + first + " straddles block " + from);
            }
            long dest = first.logical() + delta;
            if (dest < 0) {
                throw new IllegalArgumentException("inode " + owner + ": shift of " + first + " by " + delta);
            }
            Extent before = next(dest);
            if (before.logical() != first.logical()) {
                throw new IllegalArgumentException("inode " + owner + ": shift of " + first + " by " + delta
                        + " lands on " + before);
            }
        }
        shiftIn(rootNode(), LIMIT, from, delta);
        if (delta < 0) {
            mergeAt(first.logical() + delta);
        }
    }

    /**
     * Removes every extent and frees every node. Nothing changes if the tree is damaged.
     *
     * @return all extents that were mapped, in order; the caller frees their blocks
     */
    public List<Extent> clear() throws FsException {
        List<Extent> all = new ArrayList<>();
        List<Long> nodes = new ArrayList<>();
        walk(n -> {
            if (!n.isRoot()) {
                nodes.add(n.number());
            }
            if (n.depth() == 0) {
                for (int i = 0; i < n.count(); i++) {
                    all.add(n.extent(i));
                }
            }
        });
        for (long b : nodes) {
            blocks.free(b);
        }
        initRoot(root);
        return all;
    }

    // ---- descending ----------------------------------------------------------------------------

    /** The nodes from the root down to one leaf, and the entry taken at each. */
    private static final class Path {
        final Node[] nodes = new Node[MAX_DEPTH + 1];
        /** Index levels: the child taken. Leaf: the last extent starting at or before the target, or -1. */
        final int[] pos = new int[MAX_DEPTH + 1];
        int leaf;

        Node leaf() {
            return nodes[leaf];
        }

        int leafPos() {
            return pos[leaf];
        }
    }

    /** Walks from the root to the leaf whose range holds {@code lblk}, verifying every node on the way. */
    private Path seek(long lblk) throws FsException {
        Path p = new Path();
        Node n = rootNode();
        long hi = LIMIT;
        for (int l = 0; ; l++) {
            p.nodes[l] = n;
            int i = search(n, lblk);
            if (n.depth() == 0) {
                p.pos[l] = i;
                p.leaf = l;
                return p;
            }
            // Left of the first key only happens at the left edge of the tree: go down the first child.
            int c = Math.max(i, 0);
            p.pos[l] = c;
            hi = c + 1 < n.count() ? n.key(c + 1) : hi;
            n = loadChild(n, c, hi);
        }
    }

    /** The key of the leaf after the one {@code p} ends in, or -1 if it is the last. */
    private static long nextKey(Path p) {
        for (int l = p.leaf - 1; l >= 0; l--) {
            if (p.pos[l] + 1 < p.nodes[l].count()) {
                return p.nodes[l].key(p.pos[l] + 1);
            }
        }
        return -1;
    }

    private Extent last() throws FsException {
        Node leaf = seek(MAX_LOGICAL).leaf();
        return leaf.count() == 0 ? null : leaf.extent(leaf.count() - 1);
    }

    /** The last entry whose key is at most {@code lblk}, or -1. */
    private static int search(Node n, long lblk) {
        int lo = 0;
        int hi = n.count() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (n.key(mid) <= lblk) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Given the search position {@code pos} of {@code lblk} in a leaf, the first extent ending after it. */
    private static int firstEndingAfter(Node leaf, int pos, long lblk) {
        return pos >= 0 && leaf.end(pos) > lblk ? pos : pos + 1;
    }

    private interface Visitor {
        void visit(Node n) throws FsException;
    }

    /** Visits every node depth first, in key order, the root first, verifying each. */
    private void walk(Visitor v) throws FsException {
        walk(rootNode(), LIMIT, new HashSet<>(), v);
    }

    private void walk(Node n, long hi, Set<Long> seen, Visitor v) throws FsException {
        v.visit(n);
        if (n.depth() == 0) {
            return;
        }
        for (int i = 0; i < n.count(); i++) {
            // Depths strictly decrease, so there is no cycle; a shared child would be freed twice.
            if (!seen.add(n.ptr(i))) {
                throw corrupt(n, "entry " + i + ": node block " + n.ptr(i) + " is referenced twice");
            }
            long childHi = i + 1 < n.count() ? n.key(i + 1) : hi;
            walk(loadChild(n, i, childHi), childHi, seen, v);
        }
    }

    // ---- verifying -----------------------------------------------------------------------------

    private Node rootNode() throws FsException {
        Node r = new Node(root);
        if (getShort(root, 0) != ROOT_MAGIC) {
            throw corrupt(r, "bad magic 0x" + Integer.toHexString(getShort(root, 0)));
        }
        if (r.depth() > MAX_DEPTH) {
            throw corrupt(r, "depth " + r.depth() + " exceeds " + MAX_DEPTH);
        }
        if (r.depth() > 0 && r.count() == 0) {
            throw corrupt(r, "empty index");
        }
        checkEntries(r);
        return r;
    }

    /** Reads child {@code i} of {@code parent} and verifies it, {@code hi} being the end of its range. */
    private Node loadChild(Node parent, int i, long hi) throws FsException {
        Block b = blocks.read(parent.ptr(i));
        b.verify(NODE_MAGIC, "extent node of inode " + owner);
        Node n = new Node(b, false);
        if (b.owner() != owner) {
            throw corrupt(n, "belongs to inode " + b.owner());
        }
        if (n.depth() != parent.depth() - 1) {
            throw corrupt(n, "depth " + n.depth() + " under a parent of depth " + parent.depth());
        }
        if (n.count() == 0) {
            throw corrupt(n, "empty node");
        }
        checkEntries(n);
        if (n.key(0) != parent.key(i)) {
            throw corrupt(n, "first key " + n.key(0) + " differs from the parent's key " + parent.key(i));
        }
        long top = n.depth() == 0 ? n.end(n.count() - 1) : n.key(n.count() - 1) + 1;
        if (top > hi) {
            throw corrupt(n, "entries reach " + top + ", beyond the parent's bound " + hi);
        }
        return n;
    }

    /** Count within capacity, and entries well formed and sorted. */
    private FsException checkEntriesProblem(Node n) {
        int count = n.count();
        if (count > n.cap) {
            return corrupt(n, "count " + count + " exceeds capacity " + n.cap);
        }
        if (n.depth() == 0) {
            long prevEnd = 0;
            for (int i = 0; i < count; i++) {
                long len = n.length(i);
                long phys = n.ptr(i);
                if (len == 0) {
                    return corrupt(n, "extent " + i + " at " + n.key(i) + " has length 0");
                }
                if (phys <= 0 || phys > Long.MAX_VALUE - len) {
                    return corrupt(n, "extent " + i + " at " + n.key(i) + " has bad physical block " + Long.toUnsignedString(phys));
                }
                if (n.key(i) + len > LIMIT) {
                    return corrupt(n, "extent " + i + " at " + n.key(i) + " ends beyond the maximum file size");
                }
                if (n.key(i) < prevEnd) {
                    return corrupt(n, "extent " + i + " at " + n.key(i) + " overlaps or precedes the one before, ending at " + prevEnd);
                }
                prevEnd = n.end(i);
            }
        } else {
            for (int i = 0; i < count; i++) {
                if (n.ptr(i) <= 0) {
                    return corrupt(n, "index entry " + i + " has bad child block " + Long.toUnsignedString(n.ptr(i)));
                }
                if (i > 0 && n.key(i) <= n.key(i - 1)) {
                    return corrupt(n, "index key " + i + " (" + n.key(i) + ") not above key " + (i - 1) + " (" + n.key(i - 1) + ")");
                }
            }
        }
        return null;
    }

    private void checkEntries(Node n) throws FsException {
        FsException problem = checkEntriesProblem(n);
        if (problem != null) {
            throw problem;
        }
    }

    private FsException corrupt(Node n, String detail) {
        if (n.isRoot()) {
            return FsException.of(Errno.EUCLEAN, null, "extent root of inode " + owner + ": " + detail);
        }
        return n.block.corrupt("extent node of inode " + owner + ": " + detail);
    }

    // ---- changing nodes ------------------------------------------------------------------------

    /** The node at level {@code l} of {@code p}, made writable (and replaced in the path). */
    private Node writable(Path p, int l) throws FsException {
        return p.nodes[l] = writable(p.nodes[l]);
    }

    private Node writable(Node n) throws FsException {
        return n.writable ? n : new Node(blocks.modify(n.number()), true);
    }

    /**
     * Replaces the extents {@code [from, to)} of the leaf {@code p} ends in with {@code repl}, splitting the
     * leaf if they no longer fit, freeing it if it empties, and keeping index keys exact. {@code p} must not
     * be used afterwards.
     */
    private void splice(Path p, int from, int to, List<Extent> repl) throws FsException {
        int l = p.leaf;
        Node n = p.nodes[l];
        int count = n.count();
        int newCount = count - (to - from) + repl.size();
        if (newCount == 0 && l > 0) {
            deleteNode(p, l);
            return;
        }
        if (newCount > n.cap && l == 0) {
            // The root is a leaf and full: its extents move into a new node, where the change fits.
            growRoot(p, allocate(1).pop());
            l = 1;
            n = p.nodes[1];
        }
        if (newCount <= n.cap) {
            n = writable(p, l);
            n.move(to, from + repl.size(), count - to);
            for (int k = 0; k < repl.size(); k++) {
                n.setExtent(from + k, repl.get(k));
            }
            n.truncate(newCount);
            n.seal();
            if (from == 0 && newCount > 0) {
                fixKeys(p, l);
            }
            return;
        }
        byte[] all = new byte[newCount * ENTRY_SIZE];
        n.copyOut(0, all, 0, from);
        for (int k = 0; k < repl.size(); k++) {
            encodeExtent(all, (from + k) * ENTRY_SIZE, repl.get(k));
        }
        n.copyOut(to, all, from + repl.size(), count - to);
        split(p, l, all, newCount);
    }

    /** Splits the overflowing non-root node at level {@code l}, whose entries are to be {@code all}. */
    private void split(Path p, int l, byte[] all, int total) throws FsException {
        // One new block for this node and one for each full ancestor above it (a full root grows instead),
        // all taken before anything changes so ENOSPC leaves the tree untouched.
        int need = 1;
        int k = l - 1;
        while (k >= 0 && p.nodes[k].count() == p.nodes[k].cap) {
            need++;
            k--;
        }
        if (k < 0 && p.nodes[0].depth() == MAX_DEPTH) {
            throw FsException.of(Errno.EFBIG, null, "extent tree of inode " + owner + " would exceed depth " + MAX_DEPTH);
        }
        ArrayDeque<Block> fresh = allocate(need);
        splitInto(p, l, all, total, fresh);
        if (!fresh.isEmpty()) {
            throw new IllegalStateException("split of inode " + owner + " left " + fresh.size() + " blocks unused");
        }
    }

    private void splitInto(Path p, int l, byte[] all, int total, ArrayDeque<Block> fresh) throws FsException {
        int half = total / 2;
        Node left = writable(p, l);
        Node right = newNode(fresh.pop(), left.depth());
        right.load(all, half, total - half);
        right.seal();
        left.load(all, 0, half);
        left.seal();
        fixKeys(p, l);
        insertIndex(p, l - 1, p.pos[l - 1] + 1, right.key(0), right.number(), fresh);
    }

    /** Inserts index entry {@code (key, child)} at position {@code i >= 1} of the node at level {@code l}. */
    private void insertIndex(Path p, int l, int i, long key, long child, ArrayDeque<Block> fresh) throws FsException {
        Node n = p.nodes[l];
        int count = n.count();
        if (count < n.cap) {
            n = writable(p, l);
            n.move(i, i + 1, count - i);
            n.setIndex(i, key, child);
            n.truncate(count + 1);
            n.seal();
            return;
        }
        if (l == 0) {
            growRoot(p, fresh.pop());
            insertIndex(p, 1, i, key, child, fresh);
            return;
        }
        byte[] all = new byte[(count + 1) * ENTRY_SIZE];
        n.copyOut(0, all, 0, i);
        ByteArray.putInt(all, i * ENTRY_SIZE, (int) key);
        ByteArray.putLong(all, i * ENTRY_SIZE + 8, child);
        n.copyOut(i, all, i + 1, count - i);
        splitInto(p, l, all, count + 1, fresh);
    }

    /** Moves the root's entries into {@code fresh} and makes the root a one-entry index above it. */
    private void growRoot(Path p, Block fresh) {
        Node r = p.nodes[0];
        Node child = newNode(fresh, r.depth());
        byte[] entries = new byte[r.count() * ENTRY_SIZE];
        r.copyOut(0, entries, 0, r.count());
        child.load(entries, 0, r.count());
        child.seal();
        long key = r.key(0);
        r.setDepth(r.depth() + 1);
        r.truncate(0);
        r.setIndex(0, key, child.number());
        r.truncate(1);
        // The path gains a level below the root.
        for (int l = p.leaf; l >= 1; l--) {
            p.nodes[l + 1] = p.nodes[l];
            p.pos[l + 1] = p.pos[l];
        }
        p.nodes[1] = child;
        p.pos[1] = p.pos[0];
        p.pos[0] = 0;
        p.leaf++;
    }

    /** Frees the emptied node at level {@code l >= 1} and removes its entry from the parent. */
    private void deleteNode(Path p, int l) throws FsException {
        blocks.free(p.nodes[l].number());
        int pl = l - 1;
        int i = p.pos[pl];
        int count = p.nodes[pl].count();
        if (count == 1) {
            if (pl > 0) {
                deleteNode(p, pl);
            } else {
                initRoot(root);
            }
            return;
        }
        Node parent = writable(p, pl);
        parent.move(i + 1, i, count - i - 1);
        parent.truncate(count - 1);
        parent.seal();
        if (i == 0) {
            fixKeys(p, pl);
        }
    }

    /** After the first key of the node at level {@code l} changed, makes the keys above it match. */
    private void fixKeys(Path p, int l) throws FsException {
        long key = p.nodes[l].key(0);
        for (int k = l - 1; k >= 0; k--) {
            int i = p.pos[k];
            if (p.nodes[k].key(i) == key) {
                return;
            }
            Node n = writable(p, k);
            n.setKey(i, key);
            n.seal();
            if (i != 0) {
                return;
            }
        }
    }

    /** While the root indexes a single child small enough to fit in it, pulls that child up. */
    private void shrinkRoot() throws FsException {
        Node r = rootNode();
        while (r.depth() > 0 && r.count() == 1) {
            Node child = loadChild(r, 0, LIMIT);
            if (child.count() > ROOT_ENTRIES) {
                return;
            }
            byte[] entries = new byte[child.count() * ENTRY_SIZE];
            child.copyOut(0, entries, 0, child.count());
            r.setDepth(child.depth());
            r.load(entries, 0, child.count());
            blocks.free(child.number());
        }
    }

    /** Merges the extent starting at {@code lblk} into the one before it, if they continue each other. */
    private void mergeAt(long lblk) throws FsException {
        Path p = seek(lblk);
        Node leaf = p.leaf();
        int i = p.leafPos();
        if (i > 0 && leaf.key(i) == lblk && mergeable(leaf.extent(i - 1), leaf.extent(i))) {
            splice(p, i - 1, i + 1, List.of(merge(leaf.extent(i - 1), leaf.extent(i))));
        }
    }

    /** Adds {@code delta} to every key at or after {@code from} in the subtree of {@code n}. */
    private void shiftIn(Node n, long hi, long from, long delta) throws FsException {
        int count = n.count();
        int moved = search(n, from - 1) + 1;
        if (n.depth() > 0) {
            // The child before the first moved key may hold extents at or after `from` too.
            for (int c = Math.max(moved - 1, 0); c < count; c++) {
                long childHi = c + 1 < count ? n.key(c + 1) : hi;
                if (childHi > from) {
                    shiftIn(loadChild(n, c, childHi), childHi, from, delta);
                }
            }
        }
        if (moved < count) {
            Node w = writable(n);
            for (int i = moved; i < count; i++) {
                w.setKey(i, w.key(i) + delta);
            }
            w.seal();
        }
    }

    private ArrayDeque<Block> allocate(int n) throws FsException {
        ArrayDeque<Block> fresh = new ArrayDeque<>(n);
        try {
            while (fresh.size() < n) {
                fresh.add(blocks.allocate(owner, goal));
            }
        } catch (FsException e) {
            for (Block b : fresh) {
                try {
                    blocks.free(b.number());
                } catch (FsException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return fresh;
    }

    private Node newNode(Block b, int depth) {
        b.init(NODE_MAGIC, owner);
        Node n = new Node(b, true);
        n.setDepth(depth);
        return n;
    }

    // ---- extents -------------------------------------------------------------------------------

    /** True if {@code b} continues {@code a} logically and physically, in the same state, within one entry. */
    private static boolean mergeable(Extent a, Extent b) {
        return a.end() == b.logical()
                && a.physical() + a.length() == b.physical()
                && a.unwritten() == b.unwritten()
                && a.length() + b.length() <= MAX_LENGTH;
    }

    private static Extent merge(Extent a, Extent b) {
        return new Extent(a.logical(), a.physical(), a.length() + b.length(), a.unwritten());
    }

    private static void append(List<Extent> out, Extent e) {
        if (!out.isEmpty() && mergeable(out.getLast(), e)) {
            out.set(out.size() - 1, merge(out.getLast(), e));
        } else {
            out.add(e);
        }
    }

    private static void encodeExtent(byte[] buf, int off, Extent e) {
        ByteArray.putInt(buf, off, (int) e.logical());
        ByteArray.putInt(buf, off + 4, (int) e.length() | (e.unwritten() ? UNWRITTEN : 0));
        ByteArray.putLong(buf, off + 8, e.physical());
    }

    // ---- arguments -----------------------------------------------------------------------------

    private static byte[] checkRootSize(byte[] root) {
        if (root.length != ROOT_SIZE) {
            throw new IllegalArgumentException("extent root of " + root.length + " bytes, expected " + ROOT_SIZE);
        }
        return root;
    }

    private static void checkBlock(long lblk) throws FsException {
        if (lblk < 0) {
            throw new IllegalArgumentException("negative block " + lblk);
        }
        if (lblk > MAX_LOGICAL) {
            throw tooBig(lblk);
        }
    }

    /** Validates {@code [from, to)} and returns {@code to} clipped to the addressable blocks. */
    private static long clampRange(long from, long to) throws FsException {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad range [" + from + ", " + to + ")");
        }
        if (from > LIMIT) {
            throw tooBig(from);
        }
        return Math.min(to, LIMIT);
    }

    private static FsException tooBig(long lblk) {
        return FsException.of(Errno.EFBIG, null, "logical block " + lblk + " beyond the maximum " + MAX_LOGICAL);
    }

    // ---- nodes ---------------------------------------------------------------------------------

    /** A view of the root area or of a node block: the header fields and entries both share. */
    private static final class Node {
        final byte[] buf;
        /** Null for the root. */
        final Block block;
        /** The root is always writable: it is changed in place. */
        final boolean writable;
        final int hdr;
        final int base;
        final int cap;

        Node(byte[] root) {
            this.buf = root;
            this.block = null;
            this.writable = true;
            this.hdr = 2;
            this.base = ROOT_HEADER;
            this.cap = ROOT_ENTRIES;
        }

        Node(Block block, boolean writable) {
            this.buf = block.data();
            this.block = block;
            this.writable = writable;
            this.hdr = Block.HEADER_END;
            this.base = NODE_HEADER;
            this.cap = NODE_ENTRIES;
        }

        boolean isRoot() {
            return block == null;
        }

        long number() {
            return block.number();
        }

        int depth() {
            return getShort(buf, hdr);
        }

        void setDepth(int d) {
            putShort(buf, hdr, d);
        }

        int count() {
            return getShort(buf, hdr + 2);
        }

        private int off(int i) {
            return base + i * ENTRY_SIZE;
        }

        long key(int i) {
            return ByteArray.getInt(buf, off(i)) & 0xffffffffL;
        }

        long ptr(int i) {
            return ByteArray.getLong(buf, off(i) + 8);
        }

        long length(int i) {
            return ByteArray.getInt(buf, off(i) + 4) & MAX_LENGTH;
        }

        boolean unwritten(int i) {
            return (ByteArray.getInt(buf, off(i) + 4) & UNWRITTEN) != 0;
        }

        long end(int i) {
            return key(i) + length(i);
        }

        Extent extent(int i) {
            return new Extent(key(i), ptr(i), length(i), unwritten(i));
        }

        void setExtent(int i, Extent e) {
            encodeExtent(buf, off(i), e);
        }

        void setIndex(int i, long key, long child) {
            ByteArray.putInt(buf, off(i), (int) key);
            ByteArray.putInt(buf, off(i) + 4, 0);
            ByteArray.putLong(buf, off(i) + 8, child);
        }

        void setKey(int i, long key) {
            ByteArray.putInt(buf, off(i), (int) key);
        }

        /** Moves {@code n} entries from position {@code from} to {@code to} (overlap allowed). */
        void move(int from, int to, int n) {
            System.arraycopy(buf, off(from), buf, off(to), n * ENTRY_SIZE);
        }

        void copyOut(int from, byte[] dst, int to, int n) {
            System.arraycopy(buf, off(from), dst, to * ENTRY_SIZE, n * ENTRY_SIZE);
        }

        /** Makes the entries {@code n} entries of {@code src} starting at entry {@code from}. */
        void load(byte[] src, int from, int n) {
            System.arraycopy(src, from * ENTRY_SIZE, buf, base, n * ENTRY_SIZE);
            truncate(n);
        }

        /** Sets the count to {@code n} and zeroes the unused entries, so stale entries never linger. */
        void truncate(int n) {
            Arrays.fill(buf, off(n), off(cap), (byte) 0);
            putShort(buf, hdr + 2, n);
        }

        void seal() {
            if (block != null) {
                block.seal();
            }
        }
    }

    private static int getShort(byte[] b, int off) {
        return ByteArray.getShort(b, off) & 0xffff;
    }

    private static void putShort(byte[] b, int off, int v) {
        ByteArray.putShort(b, off, (short) v);
    }

    /** Little-endian access to plain arrays (the root is not a {@link Block}). */
    private static final class ByteArray {
        private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

        static short getShort(byte[] b, int off) {
            return (short) SHORT.get(b, off);
        }

        static void putShort(byte[] b, int off, short v) {
            SHORT.set(b, off, v);
        }

        static int getInt(byte[] b, int off) {
            return (int) INT.get(b, off);
        }

        static void putInt(byte[] b, int off, int v) {
            INT.set(b, off, v);
        }

        static long getLong(byte[] b, int off) {
            return (long) LONG.get(b, off);
        }

        static void putLong(byte[] b, int off, long v) {
            LONG.set(b, off, v);
        }
    }
}
