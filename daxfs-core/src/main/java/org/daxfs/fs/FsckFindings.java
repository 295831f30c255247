package org.daxfs.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The problems one check pass found, in the order found. Problems about an inode are kept with its number
 * and rendered at the end, when the namespace pass knows the inode's path, as
 * {@code inode N (path): what is wrong}.
 *
 * <p>Locking: none; one fsck thread.
 */
final class FsckFindings {
    /** A damaged image can produce a problem per block; past this many, the rest are only counted. */
    static final int MAX_LINES = 1000;

    private record Item(long ino, String text) {
    }

    private final List<Item> items = new ArrayList<>();

    /** A problem not tied to one inode (superblock, bitmap, free space, lists). */
    void problem(String text) {
        items.add(new Item(-1, text));
    }

    /** A problem of inode {@code ino}. */
    void inode(long ino, String text) {
        items.add(new Item(ino, text));
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    int size() {
        return items.size();
    }

    /** One line per problem; {@code pathOf} gives an inode's path or null when it has none. */
    List<String> lines(LongFunction<String> pathOf) {
        List<String> out = new ArrayList<>(Math.min(items.size(), MAX_LINES));
        for (Item it : items) {
            if (out.size() == MAX_LINES - 1 && items.size() > MAX_LINES) {
                out.add("... and " + (items.size() - out.size()) + " more problems");
                break;
            }
            if (it.ino < 0) {
                out.add(it.text);
            } else {
                String path = pathOf.apply(it.ino);
                out.add("inode " + it.ino + (path == null ? "" : " (" + path + ")") + ": " + it.text);
            }
        }
        return out;
    }
}
