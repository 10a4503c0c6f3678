package dev.canopy.bench.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenModelScheduleTest {
    /** A clock that moves only when the schedule sleeps or a send takes time. */
    private static final class FakeTicker implements OpenModelSchedule.Ticker {
        long now;
        final List<Long> sleptUntil = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepUntil(long deadline) {
            sleptUntil.add(deadline);
            now = Math.max(now, deadline);
        }
    }

    private record Send(long n, long intended, long at) {
    }

    @Test
    void dueTimesFollowTheRateFromTheStartWithoutAddingUpRoundingErrors() {
        OpenModelSchedule schedule = new OpenModelSchedule(3, 1_000);

        assertThat(schedule.intendedAt(0)).isEqualTo(1_000);
        assertThat(schedule.intendedAt(1)).isEqualTo(1_000 + 333_333_333);
        assertThat(schedule.intendedAt(2)).isEqualTo(1_000 + 666_666_666);
        assertThat(schedule.intendedAt(3)).isEqualTo(1_000 + 1_000_000_000);
        assertThat(schedule.intendedAt(30_000)).isEqualTo(1_000 + 10_000_000_000_000L);
        assertThat(new OpenModelSchedule(500, 0).countWithin(80_000_000_000L)).isEqualTo(40_000);
    }

    @Test
    void aStallDelaysTheSendsDueDuringItButNotTheirIntendedTimes() throws InterruptedException {
        // 500/s: one every 2 ms. Request 3 takes 11 ms to hand over (a stall); the sender must not wait
        // for it to catch up at the old pace, nor move the due times of the requests behind it.
        FakeTicker ticker = new FakeTicker();
        OpenModelSchedule schedule = new OpenModelSchedule(500, 0);
        List<Send> sends = new ArrayList<>();

        schedule.run(12, ticker, (n, intended) -> {
            sends.add(new Send(n, intended, ticker.now));
            if (n == 3) {
                ticker.now += 11_000_000;
            }
        });

        assertThat(sends).extracting(Send::n).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        assertThat(sends).extracting(Send::intended)
                .containsExactly(0L, 2_000_000L, 4_000_000L, 6_000_000L, 8_000_000L, 10_000_000L, 12_000_000L,
                        14_000_000L, 16_000_000L, 18_000_000L, 20_000_000L, 22_000_000L);
        // The stall ends at 17 ms: requests 4 to 8 (due at 8 to 16 ms) go out at once, at 17 ms, late;
        // request 9 waits for its own time again.
        assertThat(sends.subList(4, 9)).extracting(Send::at).containsOnly(17_000_000L);
        assertThat(sends.get(9).at()).isEqualTo(18_000_000L);
        assertThat(sends).allSatisfy(send -> assertThat(send.at()).isGreaterThanOrEqualTo(send.intended()));
        assertThat(ticker.sleptUntil).doesNotContain(8_000_000L, 10_000_000L, 12_000_000L, 14_000_000L, 16_000_000L);
    }
}
