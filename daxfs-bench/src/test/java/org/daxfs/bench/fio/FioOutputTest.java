package org.daxfs.bench.fio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading fio's JSON output, and the job the FUSE comparison gives fio. */
class FioOutputTest {
    /** A real fio 3.33 run: randread, 4 KiB, psync, one second, against /dev/shm. */
    private static String sample() throws IOException {
        try (InputStream in = FioOutputTest.class.getResourceAsStream("randread.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheIopsOfARealRun() throws IOException {
        FioOutput out = FioOutput.parse(sample());
        assertEquals("daxfs-randread", out.jobName());
        assertEquals(1118898.101898, out.readIops(), 1e-6);
        assertEquals(0, out.writeIops());
        assertEquals(1118898.101898, out.iops(FioWorkload.RANDOM_READ), 1e-6);
        IOException noWrites = assertThrows(IOException.class, () -> out.iops(FioWorkload.RANDOM_WRITE));
        assertEquals("fio job daxfs-randread did no writes", noWrites.getMessage());
    }

    @Test
    void notesBeforeTheJsonAreSkipped() throws IOException {
        String noisy = "fio: note: both iodepth >= 1 and synchronous I/O engine are selected\n" + sample();
        assertEquals(1118898.101898, FioOutput.parse(noisy).readIops(), 1e-6);
    }

    @Test
    void aFailedJobOrNoJsonIsAnError() {
        IOException failed = assertThrows(IOException.class, () -> FioOutput.parse("""
                {"jobs": [{"jobname": "fioRandWrite4k", "error": 28, "read": {"iops": 0}, "write": {"iops": 0}}]}"""));
        assertEquals("fio job fioRandWrite4k failed with error 28", failed.getMessage());
        IOException none = assertThrows(IOException.class, () -> FioOutput.parse("fio: failed parsing rw=bogus\n"));
        assertEquals("fio printed no JSON: fio: failed parsing rw=bogus", none.getMessage());
        assertThrows(IOException.class, () -> FioOutput.parse("{\"jobs\": []}"));
        assertThrows(IOException.class, () -> FioOutput.parse("{\"jobs\": [{\"jobname\": \"x\", \"read\": {}}]}"));
    }

    @Test
    void theJobIsTheSameOnEveryMountAndDirect() {
        List<String> command = FioWorkload.RANDOM_WRITE.command("/usr/bin/fio", Path.of("/mnt/x"), 128L << 20,
                Duration.ofSeconds(2));
        assertEquals(List.of("/usr/bin/fio", "--name=fioRandWrite4k", "--directory=/mnt/x", "--filename=fio-data",
                "--size=134217728", "--bs=4k", "--rw=randwrite", "--ioengine=psync", "--iodepth=1", "--numjobs=1",
                "--direct=1", "--time_based", "--runtime=2", "--output-format=json"), command);
        assertTrue(FioWorkload.RANDOM_READ.command("fio", Path.of("/b"), 1 << 20, Duration.ofSeconds(5))
                .contains("--rw=randread"));
    }

    @Test
    void theComparisonSaysPlainlyWhyItCannotRun() {
        assertEquals(Optional.of("FUSE comparison skipped: /dev/fuse does not exist"),
                FuseComparison.unavailable("/dev/fuse does not exist", Optional.of(Path.of("/usr/bin/fio"))));
        assertEquals(Optional.of("FUSE comparison skipped: fio is not installed (Debian package fio)"),
                FuseComparison.unavailable(null, Optional.empty()));
        assertEquals(Optional.empty(), FuseComparison.unavailable(null, Optional.of(Path.of("/usr/bin/fio"))));
    }

    @Test
    void programsAreFoundOnThePathOnly() {
        assertTrue(ExternalCommand.find("sh").isPresent(), "every Linux has sh");
        assertEquals(Optional.empty(), ExternalCommand.find("no-such-program-daxfs"));
    }

    @Test
    void aProgramsFailureCarriesWhatItSaid() throws IOException {
        ExternalCommand.Outcome ok = ExternalCommand.run(List.of("sh", "-c", "echo out; echo err >&2"), Duration.ofSeconds(30));
        assertEquals("out\n", ok.outOrThrow("sh"));
        assertEquals("err\n", ok.err());
        ExternalCommand.Outcome bad = ExternalCommand.run(List.of("sh", "-c", "echo why >&2; exit 3"), Duration.ofSeconds(30));
        assertEquals("sh failed (exit 3): why", assertThrows(IOException.class, () -> bad.outOrThrow("sh")).getMessage());
    }
}
