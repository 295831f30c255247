package org.daxfs.bench;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A fresh, empty volume of one peer, for benchmarks that make and remove their own files. */
@State(Scope.Benchmark)
public class VolumeFixture {
    /** No values listed: JMH runs every {@link Peer}. */
    @Param
    public Peer peer;

    private Volume volume;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        volume = peer.open();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        volume.close();
    }

    public Volume volume() {
        return volume;
    }
}
