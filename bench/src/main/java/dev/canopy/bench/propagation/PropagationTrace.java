package dev.canopy.bench.propagation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Every registration of a run, one CSV line each, with its times in epoch microseconds (due, sent,
 * answered, announced at the parent): for joining with the apps' own logs, which say when the child's
 * forwarder took a change and when the parent applied it. {@link System#nanoTime} is mapped to the wall
 * clock once, at the start, so the times of one run are consistent with each other.
 */
final class PropagationTrace {
    static final String HEADER = "n,service_id,due_us,sent_us,answered_us,announced_us,status";

    private final long epochMicrosAtStart;
    private final long nanosAtStart;

    PropagationTrace(Instant wallAtStart, long nanosAtStart) {
        this.epochMicrosAtStart = ChronoUnit.MICROS.between(Instant.EPOCH, wallAtStart);
        this.nanosAtStart = nanosAtStart;
    }

    /** The epoch microseconds of {@code nanos} (nanoTime scale). */
    long epochMicros(long nanos) {
        return epochMicrosAtStart + Math.floorDiv(nanos - nanosAtStart, 1000);
    }

    /** One line per attempt; an empty field where that step never happened. */
    String line(Attempt attempt, Long announced) {
        return attempt.n() + "," + (attempt.serviceId() == null ? "" : attempt.serviceId()) + ","
                + epochMicros(attempt.intended()) + "," + epochMicros(attempt.sent()) + ","
                + epochMicros(attempt.answered()) + "," + (announced == null ? "" : epochMicros(announced)) + ","
                + attempt.status();
    }

    void write(Path file, List<Attempt> attempts, Map<String, Long> firstSeen) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.newLine();
            for (Attempt attempt : attempts) {
                out.write(line(attempt, attempt.serviceId() == null ? null : firstSeen.get(attempt.serviceId())));
                out.newLine();
            }
        }
    }
}
