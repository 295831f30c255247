package org.daxfs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.daxfs.bench.fio.FioPlan;
import org.daxfs.bench.fio.FioWorkload;
import org.daxfs.bench.fio.FuseComparison;
import org.daxfs.bench.report.Key;
import org.daxfs.bench.report.Reference;
import org.daxfs.bench.report.Section;
import org.daxfs.bench.report.Target;
import org.daxfs.bench.report.Unit;

/**
 * What the report compares: one section per workload of the suite, with DaxFS and the peers and limits
 * that ran it in the same run, and the targets the suite exists to check. Keys name JMH methods (or fio
 * jobs) and the {@code @Param} value they ran with.
 */
final class SuiteLayout {
    private static final Unit OPS = Unit.rate("ops/s");
    private static final Key RANDOM_COPY = Key.of("memoryCopy4k");
    private static final Key SEQUENTIAL_COPY = Key.of("memoryCopy1m");

    private SuiteLayout() {}

    /** Every section, in the report's order, as {@code mode} runs them (the directory's size, fio's runs). */
    static List<Section> sections(RunMode mode) {
        List<Section> s = new ArrayList<>();
        s.add(file("random-read", "4 KiB random read", "randomRead4k", OPS, Unit.mebibytesPerSecond(RandomIoBenchmark.IO_SIZE),
                "One 4 KiB positional read at a random 4 KiB-aligned offset of a 256 MiB file written before measuring; "
                        + "the limit copies 4 KiB from the same offsets of a 256 MiB off-heap segment.")
                .row(RANDOM_COPY, "memory copy (limit)").against(Reference.to("memory copy", RANDOM_COPY)).build());
        s.add(file("random-write", "4 KiB random write", "randomWrite4k", OPS, Unit.mebibytesPerSecond(RandomIoBenchmark.IO_SIZE),
                "One 4 KiB positional overwrite at a random 4 KiB-aligned offset of the same file.")
                .row(RANDOM_COPY, "memory copy (limit)").against(Reference.to("memory copy", RANDOM_COPY)).build());
        Unit mib = Unit.mebibytesPerSecond(SequentialIoBenchmark.IO_SIZE);
        s.add(file("sequential-read", "1 MiB sequential read", "sequentialRead1m", mib, null,
                "1 MiB reads walking the 256 MiB file start to end and around; the limit copies 1 MiB between two "
                        + "off-heap segments.")
                .row(SEQUENTIAL_COPY, "memory copy (limit)").against(Reference.to("memory copy", SEQUENTIAL_COPY)).build());
        s.add(file("sequential-write", "1 MiB sequential write", "sequentialWrite1m", mib, null,
                "1 MiB overwrites walking the same file.")
                .row(SEQUENTIAL_COPY, "memory copy (limit)").against(Reference.to("memory copy", SEQUENTIAL_COPY)).build());
        s.add(mapped("mapped-read", "Mapped read", "mappedRead64m", "summed as longs"));
        s.add(mapped("mapped-write", "Mapped write", "mappedWrite64m", "filled"));
        s.add(firstTouch());
        s.add(file("fsync", "fsync after a 4 KiB write", "fsyncAfterWrite4k", Unit.microsecondsPer("op", 1), null,
                "A 4 KiB overwrite at a random offset of the 256 MiB file, then fsync; shown as time per write + fsync.")
                .build());
        s.add(file("small-files", "Small files: create, write 4 KiB, close, unlink", "createWriteUnlink4k", OPS, null,
                "The life of a small file in an otherwise empty directory, 1,024 names cycled.").build());
        String entries = String.format(Locale.ROOT, "%,d", mode.directoryEntries());
        Unit perEntry = Unit.rate("entries/s");
        s.add(file("directory-create", "Large directory: create " + entries + " entries", "createEntries", perEntry, null,
                "Create (exclusive) and close " + entries + " empty files in one directory, from empty; one pass per "
                        + "repetition.").build());
        s.add(file("directory-lookup", "Large directory: look up " + entries + " entries", "lookupEntries", perEntry, null,
                "stat each of the " + entries + " names of a full directory, in a seeded random order.").build());
        s.add(file("directory-unlink", "Large directory: unlink " + entries + " entries", "unlinkEntries", perEntry, null,
                "Unlink every one of the " + entries + " files, to empty.").build());
        s.add(file("reader-alone", "4 KiB random reads, reader alone", "readerAlone", OPS, null,
                "One thread reading 4 KiB at random offsets of the first half of the 256 MiB file.").build());
        s.add(file("reader-beside-writer", "4 KiB random reads beside a writer of the same file", "readBesideWriter4k", OPS,
                null, "The same reader while a second thread overwrites 4 KiB at random offsets of the second half; "
                        + "\"vs alone\" is against the same peer's reader alone.")
                .against(Reference.sameCaseIn("alone", "readerAlone")).build());
        s.add(file("writer-beside-reader", "4 KiB random writes beside a reader of the same file", "writeBesideReader4k",
                OPS, null, "The writer of the pair above.").build());
        s.add(cached("cached-random-read", "4 KiB random read, cached file against DAX file", "cachedRandomRead4k", OPS));
        s.add(cached("cached-random-write", "4 KiB random write, cached file against DAX file", "cachedRandomWrite4k", OPS));
        s.add(cached("cached-sequential-read", "1 MiB sequential read, cached file against DAX file", "cachedSequentialRead1m",
                Unit.mebibytesPerSecond(PageCacheBenchmark.IO_1M)));
        s.add(Section.builder("readahead", "Sequential 4 KiB reads on a block-only device, with and without readahead", OPS)
                .about("A 64 MiB file on an image read with pread (a block-only device), a 16 MiB page cache, read front to "
                        + "back in 4 KiB reads: every page misses. Readahead reads windows growing to 128 KiB with one "
                        + "call; without it (RANDOM advice) one call per page.")
                .row(Key.of("blockScan4k", "NORMAL"), "readahead")
                .row(Key.of("blockScan4k", "RANDOM"), "no readahead")
                .against(Reference.to("no readahead", Key.of("blockScan4k", "RANDOM"))).build());
        s.add(Section.builder("cached-reader-writer", "4 KiB random reads of a cached file, alone and beside a writer", OPS)
                .about("One thread reading 4 KiB at random offsets of the first half of a cached 64 MiB file, alone, and "
                        + "while a second thread overwrites 4 KiB at random offsets of its second half.")
                .row(Key.of("mixedReaderAlone"), "reader alone")
                .row(Key.of("mixedReadBesideWriter4k"), "reader beside a writer")
                .against(Reference.to("alone", Key.of("mixedReaderAlone"))).build());
        s.add(fuse("fuse-read", "4 KiB random read through FUSE (fio)", FioWorkload.RANDOM_READ, mode.fio()));
        s.add(fuse("fuse-write", "4 KiB random write through FUSE (fio)", FioWorkload.RANDOM_WRITE, mode.fio()));
        return List.copyOf(s);
    }

    /** The targets of the benchmarks issue. */
    static List<Target> targets() {
        return List.of(
                new Target("4 KiB reads vs tmpfs", "In-process 4 KiB random reads at least 3x the ops/s of tmpfs through FileChannel",
                        Key.of("randomRead4k", Peer.DAXFS.name()), Key.of("randomRead4k", Peer.TMPFS.name()), 3.0),
                new Target("mapped read vs device", "Mapped reads within 10% of the device's own mapping",
                        Key.of("mappedRead64m", MapTarget.DAXFS.name()), Key.of("mappedRead64m", MapTarget.DEVICE.name()), 0.9),
                new Target("mapped write vs device", "Mapped writes within 10% of the device's own mapping",
                        Key.of("mappedWrite64m", MapTarget.DAXFS.name()), Key.of("mappedWrite64m", MapTarget.DEVICE.name()), 0.9),
                new Target("1 MiB reads vs memory copy", "1 MiB sequential reads at least 80% of the memory-copy limit",
                        Key.of("sequentialRead1m", Peer.DAXFS.name()), SEQUENTIAL_COPY, 0.8),
                new Target("FUSE reads vs bindfs", "Through FUSE, 4 KiB random reads at least 80% of bindfs's IOPS",
                        FioWorkload.RANDOM_READ.key(FuseComparison.DAXFS), FioWorkload.RANDOM_READ.key(FuseComparison.BINDFS), 0.8),
                new Target("FUSE writes vs bindfs", "Through FUSE, 4 KiB random writes at least 80% of bindfs's IOPS",
                        FioWorkload.RANDOM_WRITE.key(FuseComparison.DAXFS), FioWorkload.RANDOM_WRITE.key(FuseComparison.BINDFS), 0.8));
    }

    /**
     * A workload every in-process peer runs: DaxFS (the headline), DaxFS through its java.nio.file provider,
     * tmpfs and Jimfs; against tmpfs, and Jimfs against DaxFS through the same java.nio.file calls.
     */
    private static Section.Builder file(String id, String title, String method, Unit unit, Unit extra, String about) {
        Section.Builder b = Section.builder(id, title, unit).about(about).extraUnit(extra);
        for (Peer p : Peer.values()) {
            b.row(Key.of(method, p.name()), p.label);
        }
        return b.against(Reference.to(Peer.TMPFS.label, Key.of(method, Peer.TMPFS.name())))
                .against(Reference.to(Peer.JIMFS.label, Key.of(method, Peer.JIMFS.name()))
                        .inHeadlineFor(Key.of(method, Peer.DAXFS_NIO.name())));
    }

    /** One workload on the same file, DAX or cached (same image and mount), against DAX. */
    private static Section cached(String id, String title, String method, Unit unit) {
        return Section.builder(id, title, unit)
                .about("A 64 MiB file on a memory device mounted dax=inode, with the DAX flag or without it (then every "
                        + "access goes through the page cache, which holds the whole file).")
                .row(Key.of(method, CacheCase.DAX.name()), "DAX file")
                .row(Key.of(method, CacheCase.CACHED.name()), "cached file")
                .against(Reference.to("DAX", Key.of(method, CacheCase.DAX.name()))).build();
    }

    private static Section mapped(String id, String title, String method, String how) {
        Section.Builder b = Section.builder(id, title + ", 64 MiB mapped in place", Unit.mebibytesPerSecond(MappedRangeFixture.RANGE_SIZE))
                .about("64 MiB " + how + " start to end through a read-write mapping made and faulted in before measuring; "
                        + "the device's own mapping is the memory device's FileChannel.map of the same bytes.");
        for (MapTarget t : MapTarget.values()) {
            b.row(Key.of(method, t.name()), t.label);
        }
        return b.against(Reference.to("device's mapping", Key.of(method, MapTarget.DEVICE.name())))
                .against(Reference.to("tmpfs mapping", Key.of(method, MapTarget.TMPFS.name()))).build();
    }

    private static Section firstTouch() {
        long pages = FaultFixture.MAP_LENGTH / DaxFiles.PAGE;
        long huge = FaultFixture.MAP_LENGTH / DaxFiles.HUGE;
        Section.Builder b = Section.builder("first-touch", "First-touch mapping cost",
                        Unit.microsecondsPer("4 KiB page", pages))
                .extraUnit(Unit.microsecondsPer("2 MiB", huge))
                .about("Map the first " + (FaultFixture.MAP_LENGTH >> 20) + " MiB of a file read-only, read one byte of "
                        + "every 4 KiB page, close; the time per page and per 2 MiB of the mapping.");
        for (FaultCase c : FaultCase.values()) {
            b.row(Key.of("mapTouchClose", c.name()), c.label);
        }
        return b.against(Reference.to("tmpfs mapping", Key.of("mapTouchClose", FaultCase.TMPFS.name()))).build();
    }

    private static Section fuse(String id, String title, FioWorkload job, FioPlan plan) {
        return Section.builder(id, title, Unit.rate("IOPS"))
                .about(job.about(plan.fileSize(), plan.runtime()))
                .row(job.key(FuseComparison.DAXFS), "DaxFS mount")
                .row(job.key(FuseComparison.BINDFS), "bindfs over tmpfs")
                .against(Reference.to("bindfs", job.key(FuseComparison.BINDFS)))
                .build();
    }
}
