package chatroom.bench;

import java.util.Arrays;

/**
 * Latencies in microseconds, log-linear buckets (exact below 128 us, then 64 buckets per power of two: within
 * 1.6 %), fixed size so recording allocates nothing and histograms of several processes merge by adding counts.
 */
final class Histogram {
    private static final int LINEAR = 128;
    private static final int SUB = 64;
    private static final int SIZE = LINEAR + 40 * SUB;

    private final long[] counts = new long[SIZE];
    private long total;
    private long max;

    void record(long micros) {
        long v = Math.max(0, micros);
        counts[index(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v); // >= 7
        int sub = (int) ((v >> (exponent - 6)) & (SUB - 1));
        return Math.min(SIZE - 1, LINEAR + (exponent - 7) * SUB + sub);
    }

    /** The largest value that falls into the bucket: percentiles never look better than the data. */
    static long upperBound(int index) {
        if (index < LINEAR) {
            return index;
        }
        int exponent = (index - LINEAR) / SUB + 7;
        int sub = (index - LINEAR) % SUB;
        return ((long) (SUB + sub + 1) << (exponent - 6)) - 1;
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** Microseconds at or below which the fraction {@code q} of the values lie; 0 when empty. */
    long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < SIZE; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    void add(Histogram other) {
        for (int i = 0; i < SIZE; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    /** Sparse text form for the worker's report line: {@code max/index:count,index:count...}. */
    String encode() {
        StringBuilder out = new StringBuilder().append(max).append('/');
        boolean first = true;
        for (int i = 0; i < SIZE; i++) {
            if (counts[i] != 0) {
                if (!first) {
                    out.append(',');
                }
                out.append(i).append(':').append(counts[i]);
                first = false;
            }
        }
        return out.toString();
    }

    static Histogram decode(String text) {
        Histogram h = new Histogram();
        int slash = text.indexOf('/');
        h.max = Long.parseLong(text.substring(0, slash));
        String rest = text.substring(slash + 1);
        if (!rest.isEmpty()) {
            for (String pair : rest.split(",")) {
                int colon = pair.indexOf(':');
                long n = Long.parseLong(pair.substring(colon + 1));
                h.counts[Integer.parseInt(pair.substring(0, colon))] += n;
                h.total += n;
            }
        }
        return h;
    }
}
