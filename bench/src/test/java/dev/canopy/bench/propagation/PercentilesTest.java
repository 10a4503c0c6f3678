package dev.canopy.bench.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRankOfOneToAThousandInAnyOrder() {
        long[] values = LongStream.rangeClosed(1, 1000).map(v -> 1001 - v).toArray();
        Percentiles percentiles = Percentiles.of(values);

        assertThat(percentiles.at(50)).isEqualTo(500);
        assertThat(percentiles.at(90)).isEqualTo(900);
        assertThat(percentiles.at(99)).isEqualTo(990);
        // 99.9% of 1000 is exactly rank 999: floating point must not push it to 1000.
        assertThat(percentiles.at(99.9)).isEqualTo(999);
        assertThat(percentiles.max()).isEqualTo(1000);
        assertThat(values[0]).as("the caller's array is not sorted in place").isEqualTo(1000);
    }

    @Test
    void aRankBetweenTwoValuesTakesTheHigher() {
        Percentiles percentiles = Percentiles.of(new long[] {10, 20, 30});

        assertThat(percentiles.at(50)).isEqualTo(20);
        assertThat(percentiles.at(34)).isEqualTo(20);
        assertThat(percentiles.at(33)).isEqualTo(10);
        assertThat(percentiles.at(99.9)).isEqualTo(30);
    }

    @Test
    void oneOutlierInAHundredIsTheMaxButNotTheP99() {
        long[] values = new long[100];
        java.util.Arrays.fill(values, 2);
        values[37] = 500;

        Percentiles percentiles = Percentiles.of(values);

        assertThat(percentiles.at(99)).isEqualTo(2);
        assertThat(percentiles.at(99.9)).isEqualTo(500);
    }

    @Test
    void negativeValuesSortBelowZero() {
        assertThat(Percentiles.of(new long[] {5, -3, 0}).at(1)).isEqualTo(-3);
    }

    @Test
    void summaryIsInMillisecondsAndEmptyHasOnlyTheCount() {
        Map<String, Object> summary = Percentiles.of(new long[] {1_500_000, 2_000_000, 20_250_000}).summaryMillis();

        assertThat(summary).containsEntry("count", 3).containsEntry("p50_ms", 2.0)
                .containsEntry("p99_ms", 20.25).containsEntry("max_ms", 20.25);
        assertThat(Percentiles.of(new long[0]).summaryMillis()).containsOnlyKeys("count").containsEntry("count", 0);
    }

    @Test
    void refusesPercentilesOutsideTheRangeAndAnEmptySet() {
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}).at(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(new long[] {1}).at(100.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.of(new long[0]).at(50)).isInstanceOf(IllegalStateException.class);
    }
}
