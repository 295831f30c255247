package org.daxfs.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.daxfs.fs.RenameFlag;
import org.junit.jupiter.api.Test;

/**
 * Namespace operations on directories large enough to split hash buckets, chain overflow blocks and grow
 * the inode table past its first chunk, crashed at every persist point: each crash must show the names
 * before or after the interrupted call (checked by the generic {@link RecoveryChecker}, which compares the
 * whole tree, inode numbers and link counts).
 */
class DirectoryCrashTest {
    private static final long SEED = 61;

    @Test
    void largeDirectoriesStayWholeAcrossCrashes() throws Exception {
        int files = 270 * CrashTesting.scale(); // the first inode table chunk holds 256 inodes
        // At scale 1 the first creates run unchecked (to stay fast); the checked ones still split buckets,
        // and one of them grows the inode table.
        int armAt = CrashTesting.scale() >= 2 ? 0 : 240;
        Random rnd = new Random(SEED);
        Workload w = new Workload(SEED, 16 * CrashTesting.MIB);
        CrashPoints points = new CrashPoints(w, SEED);
        points.subsetEvery = CrashTesting.scale() >= 2 ? 1 : 5;
        points.recoveryEvery = CrashTesting.scale() >= 2 ? 7 : 0;
        try {
            w.mkdir("/big");
            w.mkdir("/other");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < files && !points.failed(); i++) {
                if (i == armAt) {
                    points.arm();
                }
                String p = (i % 5 == 4 ? "/other/" : "/big/") + name(rnd, i);
                w.create(p, false);
                names.add(p);
            }
            for (int i = 0; i < 40 && !points.failed(); i++) {
                String from = names.remove(rnd.nextInt(names.size()));
                switch (i % 4) {
                    case 0 -> { // replace another name (in the other directory, often)
                        String to = names.get(rnd.nextInt(names.size()));
                        if (!to.equals(from)) {
                            w.rename(from, to);
                            names.remove(to);
                            names.add(to);
                        } else {
                            names.add(from);
                        }
                    }
                    case 1 -> {
                        String to = (from.startsWith("/big/") ? "/other/" : "/big/") + name(rnd, 10_000 + i);
                        w.rename(from, to, RenameFlag.NOREPLACE);
                        names.add(to);
                    }
                    case 2 -> {
                        String to = names.get(rnd.nextInt(names.size()));
                        w.rename(from, to, RenameFlag.EXCHANGE);
                        names.add(from);
                    }
                    default -> w.unlink(from);
                }
            }
            points.throwIfFailed();
            points.disarm();
            w.checkLiveAgainstModel();
            points.arm().crashAtEnd();
            points.throwIfFailed();
        } finally {
            w.closeAll();
        }
        System.out.println("crash during large directory changes: " + points.checkedPoints() + " persist points, " + points.stats);
        assertTrue(points.stats.matchedAfter > (files - armAt) / 2, "most calls were seen committed by some crash image");
    }

    /** Long names (up to 200 bytes) fill blocks quickly, so buckets split and overflow. */
    private static String name(Random rnd, int i) {
        StringBuilder sb = new StringBuilder("n" + i + "-");
        int len = 20 + rnd.nextInt(180);
        while (sb.length() < len) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }
}
