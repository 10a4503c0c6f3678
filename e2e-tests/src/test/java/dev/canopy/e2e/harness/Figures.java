package dev.canopy.e2e.harness;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The reliability figures the fault tests measure (docs/reliability.md quotes them).
 *
 * <p>Each run of a fault scenario appends one JSON line to {@code target/reliability/measurements.jsonl}
 * and rewrites {@code target/reliability/reliability.md}, the table of every run so far in this test
 * JVM: per fault, registrations, lost, duplicated, and the median time to converge with its range.
 * Records of earlier test JVMs are cleared when the first fault test of a JVM records.
 *
 * <p>{@link #runs()} is how often each fault test repeats its scenario: once in a normal build, three
 * times with {@code -Preliability} (system property {@code reliability.runs}).
 */
public final class Figures {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.INDENT_OUTPUT);
    private static final List<Measurement> SESSION = new ArrayList<>();
    private static boolean cleared;

    private Figures() {
    }

    /**
     * One run of one fault scenario.
     *
     * @param registrations   service registrations the test made in the run (answered by a child)
     * @param lost            registered services missing, or held wrongly, at their child or at the parent
     * @param duplicated      entries held beyond the expected ones (a second id for a service, a stale entry)
     * @param convergedMillis time to converge, null if the tree did not converge before the test gave up
     * @param boundMillis     the bound the test asserts
     * @param settings        lease, heartbeat and reaper settings of the run
     * @param extras          further figures of the scenario (latencies, ...), by name
     */
    public record Measurement(Fault fault, int run, int registrations, int lost, int duplicated, Long convergedMillis,
                              long boundMillis, String settings, Map<String, Long> extras) {
    }

    /** How many times each fault scenario runs. */
    public static int runs() {
        return Integer.getInteger("reliability.runs", 1);
    }

    public static synchronized void record(Measurement measurement) {
        Path directory = directory();
        try {
            Files.createDirectories(directory);
            if (!cleared) {
                Files.deleteIfExists(directory.resolve("measurements.jsonl"));
                Files.deleteIfExists(directory.resolve("reliability.md"));
                cleared = true;
            }
            SESSION.add(measurement);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("fault", measurement.fault().name());
            line.put("run", measurement.run());
            line.put("registrations", measurement.registrations());
            line.put("lost", measurement.lost());
            line.put("duplicated", measurement.duplicated());
            line.put("converged_ms", measurement.convergedMillis());
            line.put("bound_ms", measurement.boundMillis());
            line.put("settings", measurement.settings());
            line.putAll(measurement.extras());
            Files.writeString(directory.resolve("measurements.jsonl"), JSON.writeValueAsString(line) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.writeString(directory.resolve("reliability.md"), table(SESSION), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record " + measurement + " in " + directory, e);
        }
    }

    /** The table of this JVM's measurements, if any were recorded. */
    public static synchronized Optional<String> table() {
        return SESSION.isEmpty() ? Optional.empty() : Optional.of(table(SESSION));
    }

    static String table(List<Measurement> measurements) {
        Map<Fault, List<Measurement>> byFault = new EnumMap<>(Fault.class);
        measurements.forEach(m -> byFault.computeIfAbsent(m.fault(), fault -> new ArrayList<>()).add(m));
        StringBuilder table = new StringBuilder()
                .append("| Fault | Runs | Registrations per run | Lost | Duplicated "
                        + "| Time to converge, median (min–max) | Bound asserted |\n")
                .append("|---|---|---|---|---|---|---|\n");
        byFault.forEach((fault, runs) -> table.append("| ").append(fault.description())
                .append(" | ").append(runs.size())
                .append(" | ").append(range(runs.stream().map(m -> (long) m.registrations()).toList(), ""))
                .append(" | ").append(runs.stream().mapToInt(Measurement::lost).sum())
                .append(" | ").append(runs.stream().mapToInt(Measurement::duplicated).sum())
                .append(" | ").append(convergence(runs))
                .append(" | ").append(seconds(runs.get(0).boundMillis()))
                .append(" |\n"));
        table.append("\nLost and duplicated are totals over the runs. Converged means:\n");
        byFault.forEach((fault, runs) -> table.append("- ").append(fault.description()).append(": ")
                .append(fault.convergence()).append("; ").append(runs.get(0).settings()).append(".\n"));
        byFault.forEach((fault, runs) -> {
            Map<String, List<Long>> extras = new LinkedHashMap<>();
            runs.forEach(m -> m.extras().forEach((name, value) ->
                    extras.computeIfAbsent(name, key -> new ArrayList<>()).add(value)));
            if (!extras.isEmpty()) {
                table.append("\n").append(fault.description()).append(", further figures, median (min–max):\n");
                extras.forEach((name, values) -> table.append("- ").append(name).append(": ")
                        .append(range(values, name.endsWith("_ms") ? " ms" : "")).append("\n"));
            }
        });
        return table.toString();
    }

    private static String convergence(List<Measurement> runs) {
        List<Long> times = runs.stream().map(Measurement::convergedMillis).filter(Objects::nonNull).toList();
        long missing = runs.size() - times.size();
        if (times.isEmpty()) {
            return "did not converge";
        }
        List<Long> sorted = times.stream().sorted().toList();
        String figure = seconds(median(sorted)) + " (" + seconds(sorted.get(0)) + "–"
                + seconds(sorted.get(sorted.size() - 1)) + ")";
        return missing == 0 ? figure : figure + ", " + missing + " run(s) did not converge";
    }

    private static String range(List<Long> values, String unit) {
        List<Long> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        long min = sorted.get(0);
        long max = sorted.get(sorted.size() - 1);
        if (min == max) {
            return min + unit;
        }
        return median(sorted) + unit + " (" + min + "–" + max + ")";
    }

    /** The middle value; of an even number, the lower of the two middle ones (a value that was measured). */
    private static long median(List<Long> sorted) {
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }

    /** A duration as the apps' configuration writes it, for the settings column. */
    public static String setting(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static Path directory() {
        String configured = System.getProperty("canopy.e2e.reliability");
        return Path.of(configured == null ? "target/reliability" : configured).toAbsolutePath().normalize();
    }
}
