package dev.canopy.bench.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropagationReportTest {
    private static final long MS = 1_000_000;

    @Test
    void countsOnlyTheWindowAndMeasuresFromTheAnswerAndFromTheDueTime() {
        List<Attempt> attempts = List.of(
                // Due before the window (warm-up): left out even though it was slow.
                new Attempt(0, 0, 0, 900 * MS, 201, "W", null),
                new Attempt(1, 1000 * MS, 1000 * MS, 1002 * MS, 201, "A", null),
                // Sent 5 ms late (the sender lagged) and answered 10 ms after it was due.
                new Attempt(2, 1002 * MS, 1007 * MS, 1012 * MS, 201, "B", null),
                // Never announced: lost.
                new Attempt(3, 1004 * MS, 1004 * MS, 1006 * MS, 201, "C", null),
                // Refused and unanswered: failures, not latencies.
                new Attempt(4, 1006 * MS, 1006 * MS, 1007 * MS, 409, null, null),
                new Attempt(5, 1008 * MS, 1008 * MS, 1038 * MS, 0, null, "timeout"),
                // Announced before its answer was read: a negative figure from the answer, counted.
                new Attempt(6, 1010 * MS, 1010 * MS, 1015 * MS, 201, "D", null),
                // Due at the window's end: belongs to the next one.
                new Attempt(7, 2000 * MS, 2000 * MS, 2001 * MS, 201, "E", null));
        Map<String, Long> seen = Map.of("W", 950 * MS, "A", 1005 * MS, "B", 1020 * MS, "D", 1013 * MS, "E", 2002 * MS);

        Map<String, Object> report = PropagationReport.of(attempts, seen, 1000 * MS, 2000 * MS,
                new PropagationReport.Readability(4, 3, 1, 0), 2);

        assertThat(report).containsEntry("requests", 6L).containsEntry("registered", 4L).containsEntry("lost", 1L)
                .containsEntry("announced_before_answer", 1L).containsEntry("stream_reconnects", 2L)
                .containsEntry("failed", Map.of("409", 1, "no answer", 1));
        // A: 3 ms, B: 8 ms, D: -2 ms from the answer; from the due time A: 5, B: 18, D: 3.
        assertThat(summary(report, "propagation_from_answer")).containsEntry("count", 3)
                .containsEntry("p50_ms", 3.0).containsEntry("max_ms", 8.0);
        assertThat(summary(report, "propagation_from_send")).containsEntry("count", 3)
                .containsEntry("p50_ms", 5.0).containsEntry("max_ms", 18.0);
        assertThat(summary(report, "answer")).containsEntry("count", 4).containsEntry("max_ms", 10.0);
        assertThat(summary(report, "sender_lag")).containsEntry("count", 6).containsEntry("max_ms", 5.0);
        // Six sends spread over 1000..1010 ms (the last at 1010): 5 intervals in 10 ms.
        assertThat(report).containsEntry("achieved_rps", 500.0);
        assertThat(summary(report, "read_after_announcement")).containsEntry("checked", 4L)
                .containsEntry("not_found", 1L);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Map<String, Object> report, String name) {
        return (Map<String, Object>) report.get(name);
    }
}
