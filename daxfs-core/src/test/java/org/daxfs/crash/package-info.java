/**
 * Crash-consistency tests: the file system runs on a crash-simulating device that is crashed before every
 * persist (and after the last), keeping none or a random subset of the unpersisted 64-byte lines; each crash
 * image must pass fsck, mount, match a model of what the crash may leave, take new writes and remount the
 * same.
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link org.daxfs.crash.PersistPointDevice}: the hook before each persist (why before, not after: see
 *     there).
 * <li>{@link org.daxfs.crash.FileModel}: the rule for file bytes and sizes after a crash (fsynced content
 *     exact, no stale data, zeros for holes and preallocated extents), written down once at its top.
 * <li>{@link org.daxfs.crash.Namespace}, {@link org.daxfs.crash.CrashModel}: names before or after the
 *     interrupted call, never a mixture.
 * <li>{@link org.daxfs.crash.Workload}: seeded mixed operations kept in step with the model.
 * <li>{@link org.daxfs.crash.RecoveryChecker}: checks one crash image (also crashing its recovery, and
 *     mounting it read-only, at samples).
 * <li>{@link org.daxfs.crash.CrashPoints}, {@link org.daxfs.crash.EveryPersistPoint}: crash at every point
 *     of a workload, or of one call in a focused test.
 * <li>{@link org.daxfs.crash.CheckerSelfTest}: each guarantee broken on purpose must be reported.
 * </ul>
 *
 * <h2>Knobs and replay</h2>
 * {@code -Ddaxfs.test.scale=N} (or {@code DAXFS_TEST_SCALE=N ./run-tests}) lengthens the workloads, adds
 * seeds and makes random-subset and recovery crashes denser. Every failure names its seed and persist
 * point; {@code -Ddaxfs.test.seed=S -Ddaxfs.crash.point=P} replays just that point (a run is a function of
 * its seed: {@link org.daxfs.crash.WorkloadReplayTest}).
 */
package org.daxfs.crash;
