package dev.canopy.bench.propagation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of the measured window, from the ledger: which registrations count (those due inside the
 * window, so the warm-up's stay out), how long the child took to answer them, how long each took from
 * its 201, and from when it was due, to its announcement at the parent, and which never arrived.
 */
final class PropagationReport {
    /** What the sampled reads at the parent found right after an announcement. */
    record Readability(long checked, long readable, long notFound, long other) {
    }

    private PropagationReport() {
    }

    /**
     * @param windowStart the first intended time inside the window
     * @param windowEnd the first intended time after it
     */
    static Map<String, Object> of(List<Attempt> attempts, Map<String, Long> firstSeen, long windowStart,
                                  long windowEnd, Readability readability, long reconnects) {
        List<Long> answer = new ArrayList<>();
        List<Long> fromAnswer = new ArrayList<>();
        List<Long> fromSend = new ArrayList<>();
        List<Long> senderLag = new ArrayList<>();
        Map<String, Integer> failures = new TreeMap<>();
        long requests = 0;
        long registered = 0;
        long lost = 0;
        long announcedBeforeAnswer = 0;
        long firstSent = Long.MAX_VALUE;
        long lastSent = Long.MIN_VALUE;
        for (Attempt attempt : attempts) {
            if (attempt.intended() < windowStart || attempt.intended() >= windowEnd) {
                continue;
            }
            requests++;
            firstSent = Math.min(firstSent, attempt.sent());
            lastSent = Math.max(lastSent, attempt.sent());
            senderLag.add(attempt.sent() - attempt.intended());
            if (!attempt.registered()) {
                failures.merge(attempt.status() == 0 ? "no answer" : String.valueOf(attempt.status()), 1, Integer::sum);
                continue;
            }
            registered++;
            answer.add(attempt.answered() - attempt.intended());
            Long seen = firstSeen.get(attempt.serviceId());
            if (seen == null) {
                lost++;
                continue;
            }
            if (seen < attempt.answered()) {
                announcedBeforeAnswer++;
            }
            fromAnswer.add(seen - attempt.answered());
            fromSend.add(seen - attempt.intended());
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("requests", requests);
        report.put("registered", registered);
        report.put("failed", failures);
        // From the first to the last send of the window: what the sender kept up, whatever the plan said.
        report.put("achieved_rps", requests > 1 && lastSent > firstSent
                ? Math.round((requests - 1) * 1e10 / (lastSent - firstSent)) / 10.0 : 0.0);
        report.put("answer", summary(answer));
        report.put("propagation_from_answer", summary(fromAnswer));
        report.put("propagation_from_send", summary(fromSend));
        report.put("lost", lost);
        report.put("announced_before_answer", announcedBeforeAnswer);
        report.put("sender_lag", summary(senderLag));
        Map<String, Object> reads = new LinkedHashMap<>();
        reads.put("checked", readability.checked());
        reads.put("readable", readability.readable());
        reads.put("not_found", readability.notFound());
        reads.put("other", readability.other());
        report.put("read_after_announcement", reads);
        report.put("stream_reconnects", reconnects);
        return report;
    }

    private static Map<String, Object> summary(List<Long> nanos) {
        return Percentiles.of(nanos.stream().mapToLong(Long::longValue).toArray()).summaryMillis();
    }
}
