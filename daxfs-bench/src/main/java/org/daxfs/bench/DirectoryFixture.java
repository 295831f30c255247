package org.daxfs.bench;

import java.io.IOException;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A fresh volume of one peer and the names of {@link #entries} files in its root directory, for
 * {@link LargeDirectoryBenchmark}. The subclasses decide when the directory is filled: never (the creating
 * benchmark fills it), once, or before every iteration (the unlinking benchmark empties it).
 */
@State(Scope.Benchmark)
public abstract class DirectoryFixture {
    /** No values listed: JMH runs every {@link Peer}. */
    @Param
    public Peer peer;

    /** How many entries the directory gets; {@code --quick} asks for fewer. */
    @Param("100000")
    public int entries;

    private Volume volume;
    private String[] names;
    private String[] lookupOrder;

    /** Opens the volume and makes the names (before measuring, so no benchmark pays for string building). */
    @Setup(Level.Trial)
    public void open() throws IOException {
        volume = peer.open();
        names = new String[entries];
        for (int i = 0; i < entries; i++) {
            names[i] = "entry-" + i;
        }
        // Looked up in a seeded random order, the same for every peer: not in the order they were made.
        lookupOrder = names.clone();
        SplittableRandom random = new SplittableRandom(Offsets.SEED);
        for (int i = lookupOrder.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String t = lookupOrder[i];
            lookupOrder[i] = lookupOrder[j];
            lookupOrder[j] = t;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        volume.close();
    }

    /** Creates an empty file of every name. */
    public void fill() throws IOException {
        for (String name : names) {
            volume.create(name).close();
        }
    }

    /** Removes every name. */
    public void empty() throws IOException {
        for (String name : names) {
            volume.delete(name);
        }
    }

    Volume volume() {
        return volume;
    }

    /** The names, in the order they are made and removed. */
    String[] names() {
        return names;
    }

    /** The same names in the order they are looked up. */
    String[] lookupOrder() {
        return lookupOrder;
    }
}
