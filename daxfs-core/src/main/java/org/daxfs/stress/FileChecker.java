package org.daxfs.stress;

import java.util.concurrent.locks.Lock;
import org.daxfs.FsException;

/**
 * The fsx loop for one file, run by one thread: draw an operation, apply it to the model, then to DaxFS,
 * compare; check the size after every operation and the whole file every {@code verifyEvery} operations
 * and after reopen and remount. The first difference stops the loop with a {@link StressFailure}.
 *
 * <p>Everything here belongs to the thread that runs it; only {@link RunControl} is shared, and in flip
 * mode the file: then the model is one handle's view of a model all workers share ({@link
 * FileModel#anotherHandle}), used under its lock, and each step takes its turn by the {@link Region}.
 */
final class FileChecker {
    private static final OperationType SHRINK = Operations.named("truncate");

    final int thread;
    final FileModel model;
    private TestedFile file;
    private final Rng rng;
    private final Rng probes;
    private final Mix mix;
    private final Choices choices;
    private final SharedReader sharedReader;
    private final SharedFile publishTo;
    private final Region region;
    private final int verifyEvery;
    private final OpLog log;
    private final HeldMapping held = new HeldMapping();
    private final long[] counts = new long[Operations.TABLE.size()];
    private long opNumber;

    /**
     * @param sharedReader the shared file as this thread reads it (readers of disrupt mode), or null
     * @param publishTo the shared file this thread changes (the disruptor), or null
     */
    FileChecker(int thread, FileModel model, TestedFile file, long seed, Mix mix, Choices choices,
            SharedReader sharedReader, SharedFile publishTo, int verifyEvery, int logLength) {
        this(thread, model, file, seed, mix, choices, sharedReader, publishTo, null, verifyEvery, logLength);
    }

    /** A worker of flip mode, on its {@code region} of the file it shares with the others. */
    FileChecker(int thread, FileModel model, TestedFile file, long seed, Mix mix, Choices choices, Region region,
            int verifyEvery, int logLength) {
        this(thread, model, file, seed, mix, choices, null, null, region, verifyEvery, logLength);
    }

    private FileChecker(int thread, FileModel model, TestedFile file, long seed, Mix mix, Choices choices,
            SharedReader sharedReader, SharedFile publishTo, Region region, int verifyEvery, int logLength) {
        this.thread = thread;
        this.model = model;
        this.file = file;
        this.rng = new Rng(seed);
        // Whole-file probes draw from their own stream, so checking more or less often never changes which
        // operations the seed gives.
        this.probes = new Rng(~seed);
        this.mix = mix;
        this.choices = choices;
        this.sharedReader = sharedReader;
        this.publishTo = publishTo;
        this.region = region;
        this.verifyEvery = verifyEvery;
        this.log = new OpLog(logLength);
    }

    TestedFile file() {
        return file;
    }

    /** Replaces the file under test (after a remount by the run, say); the model stays. */
    void attach(TestedFile newFile) {
        this.file = newFile;
    }

    /** Operations done so far by type, indexed as {@link Operations#TABLE}. */
    long[] counts() {
        return counts.clone();
    }

    /** Runs {@code budget} operations, or fewer if the run stops. */
    void run(long budget, RunControl control) throws StressFailure {
        try {
            for (long i = 0; i < budget && !control.stopped(); i++) {
                step(control);
                control.operationDone();
            }
        } finally {
            // The arenas of the mappings kept across operations belong to this thread: unmap them here.
            held.close();
            if (sharedReader != null) {
                sharedReader.unmap();
            }
        }
    }

    private void step(RunControl control) throws StressFailure {
        opNumber++;
        // Flip mode: an operation inside this worker's region runs beside the others; anything else alone.
        Lock turn = region == null ? null : region.beside();
        if (turn != null) {
            turn.lock();
        }
        try {
            OperationType type;
            Operation op;
            boolean alone;
            synchronized (model.lock()) {
                if (model.allocated().count() > choices.budgetBlocks()) {
                    // Keep the file within its share of the image: fsx shrinks an overgrown file the same way.
                    type = SHRINK;
                    op = new TruncateOp(rng.below(choices.fileSize + 1) & -choices.align, "(the file outgrew --max-size)");
                } else {
                    type = mix.pick(rng);
                    op = type.generator().draw(new OpContext(rng, model, choices, opNumber, sharedReader, held));
                }
                alone = region == null || !inRegion(op.footprint(model));
            }
            if (region != null && alone) {
                turn = alone(turn);
            }
            perform(control, type, op, alone);
            if (op.checksWholeFileAfter() || opNumber % verifyEvery == 0) {
                if (region != null && !alone) {
                    turn = alone(turn);
                }
                verifyWhole("whole-file check after op #" + opNumber);
            }
        } finally {
            if (turn != null) {
                turn.unlock();
            }
        }
    }

    /** Whether {@code fp} lies in this worker's region and leaves the size alone. Context: model lock held. */
    private boolean inRegion(Footprint fp) {
        return fp != null && fp.inside(region.from(), region.to(), model.size());
    }

    /** Trades {@code turn} for the exclusive one. */
    private Lock alone(Lock turn) {
        turn.unlock();
        Lock l = region.alone();
        l.lock();
        return l;
    }

    /**
     * Applies {@code op} to the model and to DaxFS and compares; then the size, and the allocation where it
     * may have changed: all of it when {@code alone}, else in the worker's region only (other workers
     * change theirs meanwhile).
     */
    private void perform(RunControl control, OperationType type, Operation op, boolean alone) throws StressFailure {
        log.add(opNumber, op);
        if (publishTo != null) {
            publishTo.starting(opNumber);
        }
        Outcome expected;
        synchronized (model.lock()) {
            expected = op.expect(model);
        }
        Outcome actual;
        try {
            actual = op.perform(file);
        } catch (FsException e) {
            actual = Outcome.failed(e);
        } catch (CheckFailed e) {
            throw failure(e.mismatch(), null);
        } catch (RuntimeException e) {
            throw failure(Mismatch.of("DaxFS threw " + e), e);
        }
        log.answered(actual);
        if (control.tracing()) {
            control.trace(thread, log.last());
        }
        long modelSize;
        try {
            synchronized (model.lock()) {
                expected = op.settle(model, expected, actual);
                modelSize = model.size();
            }
        } catch (CheckFailed e) {
            throw failure(e.mismatch(), null);
        }
        Mismatch m = op.compare(expected, actual);
        if (m != null) {
            throw failure(m, null);
        }
        try {
            long size = file.size();
            if (size != modelSize) {
                throw failure(Mismatch.of("size is " + size + " after the operation, the model says " + modelSize), null);
            }
        } catch (FsException e) {
            throw failure(Mismatch.of("size() failed: " + e.getMessage()), e);
        }
        if (op.changesAllocation()) {
            Mismatch a;
            try {
                a = alone ? WholeFileCheck.allocation(model, file, new BlockSet())
                        : WholeFileCheck.allocationWithin(model, file, region.firstBlock(), region.endBlock());
            } catch (FsException e) {
                throw failure(Mismatch.of("listing the extents failed: " + e.getMessage()), e);
            }
            if (a != null) {
                throw failure(a, null);
            }
        }
        counts[Operations.indexOf(type)]++;
    }

    /** Compares the whole file with the model; {@code when} says when, for the report. */
    void verifyWhole(String when) throws StressFailure {
        Mismatch m;
        try {
            m = WholeFileCheck.check(model, file, probes);
        } catch (FsException | RuntimeException e) {
            throw failure(Mismatch.of(when + ": DaxFS failed: " + e.getMessage()), e);
        }
        if (m != null) {
            throw failure(new Mismatch(when + ": " + m.problem(), m.differences(), m.differingBytes()), null);
        }
    }

    private StressFailure failure(Mismatch m, Throwable cause) {
        return new StressFailure(thread, model.path, opNumber, opNumber == 0 ? "(none yet)" : log.last(), m,
                log.lines(), cause);
    }
}
