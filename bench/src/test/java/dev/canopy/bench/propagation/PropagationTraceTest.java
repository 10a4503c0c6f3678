package dev.canopy.bench.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropagationTraceTest {
    private static final Instant WALL = Instant.parse("2026-11-26T10:00:00Z");
    private static final long WALL_MICROS = 1_795_687_200_000_000L;
    private static final long NANOS = 5_000_000_000L;

    private final PropagationTrace trace = new PropagationTrace(WALL, NANOS);

    @Test
    void mapsNanoTimeToEpochMicrosecondsFromTheStart() {
        assertThat(trace.epochMicros(NANOS)).isEqualTo(WALL_MICROS);
        assertThat(trace.epochMicros(NANOS + 1_500_999)).isEqualTo(WALL_MICROS + 1_500);
        assertThat(trace.epochMicros(NANOS - 1)).isEqualTo(WALL_MICROS - 1);
    }

    @Test
    void writesOneLinePerAttemptWithEmptyFieldsForStepsThatNeverHappened(@TempDir Path dir) throws Exception {
        Attempt announced = new Attempt(0, NANOS, NANOS + 1_000, NANOS + 3_000_000, 201, "01AB", null);
        Attempt refused = new Attempt(1, NANOS + 2_000_000, NANOS + 2_000_000, NANOS + 4_000_000, 409, null, null);
        Path file = dir.resolve("trace.csv");

        trace.write(file, List.of(announced, refused), Map.of("01AB", NANOS + 5_000_000));

        assertThat(Files.readAllLines(file)).containsExactly(
                PropagationTrace.HEADER,
                "0,01AB," + WALL_MICROS + "," + (WALL_MICROS + 1) + "," + (WALL_MICROS + 3_000) + ","
                        + (WALL_MICROS + 5_000) + ",201",
                "1,," + (WALL_MICROS + 2_000) + "," + (WALL_MICROS + 2_000) + "," + (WALL_MICROS + 4_000) + ",,409");
    }
}
