/**
 * The FUSE comparison: fio's 4 KiB random reads and writes against DaxFS mounted through FUSE in the
 * suite's own JVM, and against bindfs (a C FUSE passthrough) over a tmpfs directory, the same job on both,
 * taking turns, with IOPS read from fio's JSON output.
 */
package org.daxfs.bench.fio;
