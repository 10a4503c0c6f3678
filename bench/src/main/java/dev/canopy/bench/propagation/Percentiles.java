package dev.canopy.bench.propagation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact percentiles of a set of durations in nanoseconds, by the nearest-rank method: the p-th
 * percentile is the smallest value at least p% of the values are at or below. Exact rather than
 * bucketed because a run holds tens of thousands of values, which sort in milliseconds, and a p99.9 of
 * 30,000 values is the 30th largest: a bucket's width would be the whole answer.
 */
final class Percentiles {
    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    static Percentiles of(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    int count() {
        return sorted.length;
    }

    /** The p-th percentile (0 < p ≤ 100) in nanoseconds; there must be at least one value. */
    long at(double p) {
        if (sorted.length == 0) {
            throw new IllegalStateException("no values");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
        }
        // In integers (p in thousandths of a percent), so 99.9% of 1000 is rank 999 exactly, where
        // floating point would make it 999.0000000001 and round it up to 1000.
        long thousandths = Math.round(p * 1000);
        long rank = (thousandths * sorted.length + 99_999) / 100_000;
        return sorted[(int) Math.max(1, Math.min(rank, sorted.length)) - 1];
    }

    long max() {
        return at(100);
    }

    /** count, p50, p90, p99, p99.9 and max in milliseconds (three decimals); only count when empty. */
    Map<String, Object> summaryMillis() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", sorted.length);
        if (sorted.length > 0) {
            summary.put("p50_ms", millis(at(50)));
            summary.put("p90_ms", millis(at(90)));
            summary.put("p99_ms", millis(at(99)));
            summary.put("p999_ms", millis(at(99.9)));
            summary.put("max_ms", millis(max()));
        }
        return summary;
    }

    static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
