package dev.canopy.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void theCeilingDoublesUntilTheCap() {
        assertThat(backoff.ceiling(0)).isEqualTo(100);
        assertThat(backoff.ceiling(1)).isEqualTo(200);
        assertThat(backoff.ceiling(4)).isEqualTo(1600);
        assertThat(backoff.ceiling(5)).isEqualTo(2000);
        assertThat(backoff.ceiling(1000)).isEqualTo(2000);
    }

    @Test
    void delaysAreJitteredBetweenHalfAndAllOfTheCeiling() {
        for (int attempt = 0; attempt < 10; attempt++) {
            long ceiling = backoff.ceiling(attempt);
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 2_000; i++) {
                long delay = backoff.delay(attempt).toMillis();
                min = Math.min(min, delay);
                max = Math.max(max, delay);
            }
            assertThat(min).isGreaterThanOrEqualTo(ceiling / 2);
            assertThat(max).isLessThanOrEqualTo(ceiling);
            assertThat(max - min).as("jitter at attempt %d", attempt).isGreaterThan(ceiling / 4);
        }
    }

    @Test
    void refusesAnEmptyOrInvertedRange() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
