package org.daxfs.bench.report;

/** One line of a section's table: a measurement and what the reader calls it ("DaxFS", "tmpfs FileChannel"). */
public record Row(Key key, String label) {}
