package chatroom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void percentilesAreExactBelow128MicrosAndWithinTwoPercentAbove() {
        Histogram h = new Histogram();
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(50, h.percentile(0.50));
        assertEquals(99, h.percentile(0.99));
        assertEquals(100, h.max());

        Histogram big = new Histogram();
        for (long v = 1_000; v <= 1_000_000; v += 1_000) {
            big.record(v);
        }
        long p99 = big.percentile(0.99);
        assertTrue(p99 >= 990_000 && p99 <= 990_000 * 1.02, "p99 " + p99);
        assertEquals(1_000_000, big.percentile(1.0));
    }

    @Test
    void aPercentileNeverReportsLessThanTheValuesBelowIt() {
        for (long v = 0; v < 5_000_000; v = v * 3 / 2 + 1) {
            assertTrue(Histogram.upperBound(Histogram.index(v)) >= v, "value " + v);
        }
    }

    @Test
    void mergesAcrossProcessesThroughItsTextForm() {
        Histogram a = new Histogram();
        Histogram b = new Histogram();
        for (int i = 0; i < 90; i++) {
            a.record(10);
        }
        for (int i = 0; i < 10; i++) {
            b.record(50_000);
        }
        Histogram merged = new Histogram();
        merged.add(Histogram.decode(a.encode()));
        merged.add(Histogram.decode(b.encode()));
        assertEquals(100, merged.count());
        assertEquals(10, merged.percentile(0.90));
        assertTrue(merged.percentile(0.99) >= 50_000);
        assertEquals(50_000, merged.max());
    }
}
