/**
 * The benchmark report: measurements of one run (each a set of repetitions), the sections and targets that
 * say what to compare with what, and their rendering as Markdown with SVG charts in a report folder.
 *
 * <p>Nothing here knows a benchmark: the suite (package {@code org.daxfs.bench}) names its measurements by
 * {@link org.daxfs.bench.report.Key} and lays out the report with {@link org.daxfs.bench.report.Section}s
 * and {@link org.daxfs.bench.report.Target}s. Every ratio is between two measurements of the same run.
 */
package org.daxfs.bench.report;
