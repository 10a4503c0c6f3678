package dev.canopy.core.upstream;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with "equal jitter": attempt n waits between half and all of
 * min(max, initial * 2^n), so retries from many peers spread out but never collapse to zero.
 */
public final class Backoff {
    private final long initialMillis;
    private final long maxMillis;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** The wait before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt);
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    long ceiling(int attempt) {
        int doublings = Math.min(Math.max(attempt, 0), 30);
        return Math.min(maxMillis, initialMillis << doublings);
    }
}
