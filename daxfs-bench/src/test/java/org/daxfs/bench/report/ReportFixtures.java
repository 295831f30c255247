package org.daxfs.bench.report;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/** Fixed results and a fixed layout for the rendering tests: numbers chosen so the ratios come out round. */
final class ReportFixtures {
    static final Key READ_DAX = Key.of("randomRead4k", "DAXFS");
    static final Key READ_NIO = Key.of("randomRead4k", "DAXFS_NIO");
    static final Key READ_TMPFS = Key.of("randomRead4k", "TMPFS");
    static final Key READ_JIMFS = Key.of("randomRead4k", "JIMFS");
    static final Key COPY = Key.of("memoryCopy4k");
    static final Key FSYNC_DAX = Key.of("fsync4k", "DAXFS");
    static final Key FSYNC_TMPFS = Key.of("fsync4k", "TMPFS");
    static final Key ALONE_DAX = Key.of("readerAlone", "DAXFS");
    static final Key BESIDE_DAX = Key.of("readBesideWriter4k", "DAXFS");
    static final Key FUSE_DAX = Key.of("fioRandRead4k", "DAXFS_FUSE");
    static final Key FUSE_BINDFS = Key.of("fioRandRead4k", "BINDFS");

    private ReportFixtures() {}

    static List<Section> sections() {
        return List.of(
                Section.builder("random-read", "4 KiB random read", Unit.rate("ops/s"))
                        .about("One 4 KiB read.")
                        .extraUnit(Unit.mebibytesPerSecond(4096))
                        .row(READ_DAX, "DaxFS")
                        .row(READ_NIO, "DaxFS via java.nio.file")
                        .row(READ_TMPFS, "tmpfs FileChannel")
                        .row(READ_JIMFS, "Jimfs")
                        .row(COPY, "memory copy (limit)")
                        .against(Reference.to("tmpfs FileChannel", READ_TMPFS))
                        .against(Reference.to("Jimfs", READ_JIMFS).inHeadlineFor(READ_NIO))
                        .against(Reference.to("memory copy", COPY))
                        .build(),
                Section.builder("fsync", "fsync after a 4 KiB write", Unit.microsecondsPer("op", 1))
                        .row(FSYNC_DAX, "DaxFS")
                        .row(FSYNC_TMPFS, "tmpfs FileChannel")
                        .against(Reference.to("tmpfs FileChannel", FSYNC_TMPFS))
                        .build(),
                Section.builder("beside", "Reads beside a <writer> & more", Unit.rate("ops/s"))
                        .row(BESIDE_DAX, "DaxFS")
                        .against(Reference.sameCaseIn("alone", "readerAlone"))
                        .build(),
                Section.builder("fuse-read", "4 KiB random read through FUSE", Unit.rate("IOPS"))
                        .row(FUSE_DAX, "DaxFS mount")
                        .row(FUSE_BINDFS, "bindfs over tmpfs")
                        .against(Reference.to("bindfs", FUSE_BINDFS))
                        .build());
    }

    static List<Target> targets() {
        return List.of(
                new Target("reads vs tmpfs", "4 KiB reads at least 3x tmpfs", READ_DAX, READ_TMPFS, 3.0),
                new Target("reads vs copy", "4 KiB reads at least 80% of the copy", READ_DAX, COPY, 0.8),
                new Target("fsync vs tmpfs", "fsync at least as fast as tmpfs", FSYNC_DAX, FSYNC_TMPFS, 1.0),
                new Target("FUSE vs bindfs", "FUSE reads at least 80% of bindfs", FUSE_DAX, FUSE_BINDFS, 0.8));
    }

    /** Medians: DaxFS 2,000,000 reads/s, tmpfs 1,000,000, Jimfs 1,250,000, the copy 2,500,000; fsync 4 µs vs 1 µs. */
    static Results results() {
        return new Results(List.of(
                new Measurement(READ_DAX, List.of(2_100_000.0, 1_900_000.0, 2_000_000.0)),
                new Measurement(READ_NIO, List.of(1_500_000.0, 1_500_000.0, 1_500_000.0)),
                new Measurement(READ_TMPFS, List.of(1_000_000.0, 900_000.0, 1_100_000.0)),
                new Measurement(READ_JIMFS, List.of(1_250_000.0)),
                new Measurement(COPY, List.of(2_500_000.0, 2_400_000.0, 2_600_000.0)),
                new Measurement(FSYNC_DAX, List.of(250_000.0, 200_000.0, 500_000.0)),
                new Measurement(FSYNC_TMPFS, List.of(1_000_000.0, 1_000_000.0, 1_000_000.0)),
                new Measurement(ALONE_DAX, List.of(1_000_000.0)),
                new Measurement(BESIDE_DAX, List.of(400_000.0))));
    }

    static RunInfo run(List<String> notes) {
        return new RunInfo(ZonedDateTime.of(2026, 3, 7, 9, 5, 0, 0, ZoneOffset.UTC), Duration.ofSeconds(272),
                "2 CPUs, 23.5 GiB memory, a JVM", "quick", "1 warmup and 3 measured iterations", 0.5, 2.25, notes);
    }

    static MarkdownReport report() {
        return new MarkdownReport(run(List.of("FUSE comparison skipped: bindfs is not installed")), sections(), targets(),
                results());
    }
}
