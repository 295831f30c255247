package org.daxfs.stress;

import java.util.Set;

/**
 * A kind of operation: its name (as {@code --ops-mix} spells it), its weights, where it may run, and the
 * generator that draws one with its parameters.
 *
 * @param name the name in the mix and in the summary
 * @param defaultWeight relative frequency on a thread's own file, unless the mix says otherwise
 * @param disruptorWeight relative frequency for the disruptor of disrupt mode (0: it never does this);
 *     a weight of 0 in the mix turns it off there too
 * @param modes the modes it may run in
 * @param generator draws one operation
 */
record OperationType(String name, int defaultWeight, int disruptorWeight, Set<Mode> modes, Generator generator) {
    /** Draws one operation of this type. */
    @FunctionalInterface
    interface Generator {
        Operation draw(OpContext context);
    }
}
