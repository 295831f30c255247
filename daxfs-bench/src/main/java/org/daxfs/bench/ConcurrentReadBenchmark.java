package org.daxfs.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A reader of a file with and without a writer of the same file beside it: one thread doing 4 KiB reads at
 * random offsets of the first half of the 256 MiB test file, alone ({@code readerAlone}) or while a second
 * thread does 4 KiB overwrites at random offsets of the second half ({@code readerWithWriter}). The two never
 * touch the same bytes, so nothing but the file system's own locking needs to hold the reader back. The
 * reader's ops/s in the two groups is the comparison; the writer's is reported beside it.
 */
public class ConcurrentReadBenchmark extends SuiteDefaults {
    /** Bytes per operation. */
    public static final int IO_SIZE = 4096;

    /** One thread's buffer and offsets, in one half of the test file. */
    @State(Scope.Thread)
    public abstract static class Half {
        ByteBuffer buffer;
        Offsets offsets;

        @Setup
        public void setUp() {
            setUp(FileFixture.FILE_SIZE);
        }

        /** Sets up over a file of another size (for checks). */
        void setUp(long fileSize) {
            buffer = ByteBuffer.allocateDirect(IO_SIZE);
            long half = fileSize / 2;
            offsets = Offsets.random(first() ? 0 : half, half, IO_SIZE);
        }

        /** Whether this thread keeps to the first half. */
        abstract boolean first();
    }

    /** The reader's half: the first. */
    public static class ReaderHalf extends Half {
        @Override
        boolean first() {
            return true;
        }
    }

    /** The writer's half: the second. */
    public static class WriterHalf extends Half {
        @Override
        boolean first() {
            return false;
        }
    }

    @Benchmark
    @Group("readerAlone")
    @GroupThreads(1)
    public ByteBuffer readAlone4k(FileFixture fixture, ReaderHalf reader) throws IOException {
        return read(fixture, reader);
    }

    @Benchmark
    @Group("readerWithWriter")
    @GroupThreads(1)
    public ByteBuffer readBesideWriter4k(FileFixture fixture, ReaderHalf reader) throws IOException {
        return read(fixture, reader);
    }

    @Benchmark
    @Group("readerWithWriter")
    @GroupThreads(1)
    public ByteBuffer writeBesideReader4k(FileFixture fixture, WriterHalf writer) throws IOException {
        writer.buffer.clear();
        fixture.file().writeFully(writer.buffer, writer.offsets.next());
        return writer.buffer;
    }

    private static ByteBuffer read(FileFixture fixture, Half reader) throws IOException {
        reader.buffer.clear();
        fixture.file().readFully(reader.buffer, reader.offsets.next());
        return reader.buffer;
    }
}
