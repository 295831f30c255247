package org.daxfs.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void theMedianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        Summary s = Summary.of(List.of(30.0, 10.0, 1000.0, 20.0, 25.0));
        assertEquals(25, s.median());
        assertEquals(10, s.min());
        assertEquals(1000, s.max());
        assertEquals(5, s.count());
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(15, Summary.of(List.of(40.0, 10.0, 20.0, 5.0)).median());
        assertEquals(7, Summary.of(List.of(7.0)).median());
    }

    @Test
    void theSpreadIsHalfTheRangeAgainstTheMedian() {
        assertEquals(0.25, Summary.of(List.of(80.0, 100.0, 130.0)).halfRangeOfMedian(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Summary.of(List.of()));
    }

    @Test
    void unitsShowASpeedAsRateBandwidthOrTime() {
        assertEquals(2000, Unit.rate("ops/s").show(2000));
        assertEquals(1000, Unit.mebibytesPerSecond(1 << 20).show(1000));
        assertEquals(500, Unit.mebibytesPerSecond(512 << 10).show(1000));
        assertEquals(4, Unit.microsecondsPer("op", 1).show(250_000), 1e-9);
        // 32 MiB mapped 100 times a second: 10 ms per mapping, 1.22 µs per 4 KiB page, 625 µs per 2 MiB.
        assertEquals(10_000.0 / 8192, Unit.microsecondsPer("4 KiB page", 8192).show(100), 1e-9);
        assertEquals(625, Unit.microsecondsPer("2 MiB", 16).show(100), 1e-9);
    }

    @Test
    void aMeasurementShownAsTimeHasItsRangeTurnedAround() {
        Measurement m = new Measurement(Key.of("fsync", "X"), List.of(100_000.0, 200_000.0, 400_000.0));
        Summary micros = m.summary(Unit.microsecondsPer("op", 1));
        assertEquals(5, micros.median(), 1e-9);
        assertEquals(2.5, micros.min(), 1e-9);
        assertEquals(10, micros.max(), 1e-9);
    }

    @Test
    void aMeasurementIsOfPositiveSpeeds() {
        Key k = Key.of("b", "p");
        assertThrows(IllegalArgumentException.class, () -> new Measurement(k, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Measurement(k, List.of(1.0, 0.0)));
        assertThrows(IllegalArgumentException.class, () -> new Measurement(k, List.of(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> new Measurement(k, List.of(Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> new Results(List.of(new Measurement(k, List.of(1.0)),
                new Measurement(k, List.of(2.0)))), "the same thing measured twice");
    }
}
