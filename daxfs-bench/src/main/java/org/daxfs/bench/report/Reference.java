package org.daxfs.bench.report;

import java.util.function.UnaryOperator;

/**
 * A ratio column of a section: every row's median against the median of another measurement of the same
 * run, the denominator. Most references are one fixed measurement (tmpfs, the memory-copy limit); some are
 * the same case in another benchmark (a reader beside a writer against the same reader alone).
 *
 * @param name what the column is against, as the reader says it ("tmpfs FileChannel")
 * @param denominator the denominator of each row, from the row's key
 * @param headlineNumerator the row whose ratio the headline shows for this reference, when it is not the
 *     section's headline row (Jimfs is compared with DaxFS through the same {@code java.nio.file} calls)
 */
public record Reference(String name, UnaryOperator<Key> denominator, Key headlineNumerator) {
    /** Against one fixed measurement. */
    public static Reference to(String name, Key denominator) {
        return new Reference(name, row -> denominator, null);
    }

    /** Against the same case in {@code benchmark}. */
    public static Reference sameCaseIn(String name, String benchmark) {
        return new Reference(name, row -> row.in(benchmark), null);
    }

    /** The same reference, shown in the headline for {@code numerator} rather than the headline row. */
    public Reference inHeadlineFor(Key numerator) {
        return new Reference(name, denominator, numerator);
    }
}
