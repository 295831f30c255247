package org.daxfs.dax;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file's mapping entries by page index, in 2 MiB regions: each region holds either one huge entry or
 * up to 512 small ones, never both, so a huge fault that meets small entries falls back to small and a
 * small fault inside a huge entry uses it.
 *
 * <h2>Locking</h2>
 * Each region's monitor guards its slots and is held only to look up, insert or remove an entry, never
 * while waiting for an entry lock or doing I/O. The lock methods return the entry locked; removal needs
 * the entry locked by the caller.
 */
final class EntryIndex {
    private static final int REGION_SHIFT = 9;

    private final ConcurrentHashMap<Long, Region> regions = new ConcurrentHashMap<>();

    /** One 2 MiB region's entries. Guarded by the region's monitor. */
    private static final class Region {
        MappingEntry huge;
        MappingEntry[] small;
        int smallCount;
        /** Dropped from the map when it emptied; a thread that found it must look again. */
        boolean detached;
    }

    private Region region(long index) {
        return regions.computeIfAbsent(index >>> REGION_SHIFT, k -> new Region());
    }

    /**
     * The entry covering {@code index}, locked: the region's huge entry if it has one, else the small entry
     * at {@code index}, created {@link MappingEntry.Kind#EMPTY} if absent.
     */
    MappingEntry lockSmall(long index) {
        while (true) {
            Region r = region(index);
            MappingEntry e;
            synchronized (r) {
                if (r.detached) {
                    continue;
                }
                if (r.huge != null) {
                    e = r.huge;
                } else {
                    if (r.small == null) {
                        r.small = new MappingEntry[MappingEntry.HUGE_PAGES];
                    }
                    int slot = (int) (index & (MappingEntry.HUGE_PAGES - 1));
                    e = r.small[slot];
                    if (e == null) {
                        e = new MappingEntry(index, false);
                        r.small[slot] = e;
                        r.smallCount++;
                    }
                }
            }
            if (lockedIfLive(e)) {
                return e;
            }
        }
    }

    /**
     * The huge entry of the region starting at {@code index} (2 MiB aligned), locked and created EMPTY if
     * absent; or null when the region holds small entries (the caller falls back to small).
     */
    MappingEntry lockHuge(long index) {
        while (true) {
            Region r = region(index);
            MappingEntry e;
            synchronized (r) {
                if (r.detached) {
                    continue;
                }
                if (r.smallCount > 0) {
                    return null;
                }
                if (r.huge == null) {
                    r.huge = new MappingEntry(index, true);
                }
                e = r.huge;
            }
            if (lockedIfLive(e)) {
                return e;
            }
        }
    }

    /** Locks {@code e}; true if it is still in the index, else unlocks it again (the caller looks again). */
    private static boolean lockedIfLive(MappingEntry e) {
        e.lock();
        if (!e.dead) {
            return true;
        }
        e.unlock();
        return false;
    }

    /** Removes {@code e}. Context: {@code e} locked by the caller. */
    void remove(MappingEntry e) {
        Region r = regions.get(e.index >>> REGION_SHIFT);
        e.dead = true;
        if (r == null) {
            return;
        }
        synchronized (r) {
            if (e.huge) {
                if (r.huge == e) {
                    r.huge = null;
                }
            } else if (r.small != null) {
                int slot = (int) (e.index & (MappingEntry.HUGE_PAGES - 1));
                if (r.small[slot] == e) {
                    r.small[slot] = null;
                    if (--r.smallCount == 0) {
                        r.small = null;
                    }
                }
            }
            if (r.huge == null && r.smallCount == 0) {
                r.detached = true;
                regions.remove(e.index >>> REGION_SHIFT, r);
            }
        }
    }

    /**
     * The entries overlapping pages {@code [from, to)}, in ascending index order, unlocked: a snapshot that
     * may be stale by the time the caller locks an entry (check {@link MappingEntry#dead}).
     */
    List<MappingEntry> snapshot(long from, long to) {
        long firstRegion = from >>> REGION_SHIFT;
        long lastRegion = (to - 1) >>> REGION_SHIFT;
        Map<Long, Region> chosen = new TreeMap<>();
        if (lastRegion - firstRegion < regions.size()) {
            for (long k = firstRegion; k <= lastRegion; k++) {
                Region r = regions.get(k);
                if (r != null) {
                    chosen.put(k, r);
                }
            }
        } else {
            for (Map.Entry<Long, Region> e : regions.entrySet()) {
                if (e.getKey() >= firstRegion && e.getKey() <= lastRegion) {
                    chosen.put(e.getKey(), e.getValue());
                }
            }
        }
        List<MappingEntry> out = new ArrayList<>();
        for (Region r : chosen.values()) {
            synchronized (r) {
                if (r.huge != null) {
                    out.add(r.huge);
                } else if (r.small != null) {
                    for (MappingEntry e : r.small) {
                        if (e != null && e.index >= from && e.index < to) {
                            out.add(e);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** True if an entry covers page {@code index}: the region's huge entry or a small one at it. */
    boolean covers(long index) {
        Region r = regions.get(index >>> REGION_SHIFT);
        if (r == null) {
            return false;
        }
        synchronized (r) {
            return r.huge != null || r.small != null && r.small[(int) (index & (MappingEntry.HUGE_PAGES - 1))] != null;
        }
    }

    /** Number of entries (for tests and diagnostics). */
    int count() {
        int n = 0;
        for (Region r : regions.values()) {
            synchronized (r) {
                n += r.huge != null ? 1 : r.smallCount;
            }
        }
        return n;
    }
}
