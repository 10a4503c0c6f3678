package dev.canopy.bench.propagation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Scenario (5) of docs/performance.md: registers services at a child at a constant rate (an open model)
 * and measures how long each takes to be announced, and readable, at the parent. Prints one JSON line
 * with the measured window's figures on stdout (and appends it to {@code --out}); its progress goes to
 * stderr, one JSON line each.
 *
 * <pre>
 * BENCH_KEY=&lt;service key&gt; java -cp bench.jar dev.canopy.bench.propagation.PropagationBench \
 *     --child=http://localhost:9201 --parent=http://localhost:9200 [--rate=500] [--warmup=60] \
 *     [--duration=60] [--settle=10] [--check-every=50] [--connections=32] [--timeout=30] [--label=...]
 *     [--out=file.jsonl] [--trace=file.csv]
 * </pre>
 *
 * The service key comes from {@code BENCH_KEY} and a read key, for a parent whose reads need one, from
 * {@code BENCH_READ_KEY}, so neither shows in a process list.
 */
public final class PropagationBench {
    private static final Set<String> OPTIONS = Set.of("child", "parent", "rate", "warmup", "duration", "settle",
            "check-every", "label", "out", "timeout", "connections", "trace");

    private PropagationBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        URI child = URI.create(required(options, "child"));
        URI parent = URI.create(required(options, "parent"));
        double rate = Double.parseDouble(options.getOrDefault("rate", "500"));
        long warmupSeconds = Long.parseLong(options.getOrDefault("warmup", "60"));
        long measuredSeconds = Long.parseLong(options.getOrDefault("duration", "60"));
        long settleSeconds = Long.parseLong(options.getOrDefault("settle", "10"));
        long checkEvery = Long.parseLong(options.getOrDefault("check-every", "50"));
        int connections = Integer.parseInt(options.getOrDefault("connections", "32"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout", "30")));
        String label = options.getOrDefault("label", Long.toString(System.currentTimeMillis(), 36));
        String serviceKey = System.getenv("BENCH_KEY");
        if (serviceKey == null || serviceKey.isBlank()) {
            fail("BENCH_KEY must hold a service key of the child");
        }
        String readKey = blankToNull(System.getenv("BENCH_READ_KEY"));

        ObjectMapper json = new ObjectMapper();
        Instant startedAt = Instant.now();
        PropagationTrace trace = new PropagationTrace(startedAt, System.nanoTime());
        long requests = new OpenModelSchedule(rate, 0).countWithin(TimeUnit.SECONDS.toNanos(warmupSeconds + measuredSeconds));
        if (requests > Integer.MAX_VALUE - 8) {
            fail("too many requests for one run: " + requests);
        }
        PropagationLedger ledger = new PropagationLedger((int) requests);
        // One client per job: the stream's reader, the registrations and the checks never share a
        // connection pool or a selector thread, so none queues behind another.
        ReadAfterAnnouncement reads = new ReadAfterAnnouncement(http(), parent, readKey, checkEvery);
        try (ParentEvents events = new ParentEvents(http(), parent, readKey, ChildRegistrations.marker(label), json,
                ledger, reads::announced)) {
            events.start();
            if (!events.awaitSnapshot(Duration.ofSeconds(30))) {
                fail("no snapshot from " + parent.resolve("/api/v1/events") + " within 30 s");
            }
            ChildRegistrations sender = new ChildRegistrations(http(), child, serviceKey, label, timeout, connections,
                    json, ledger);
            OpenModelSchedule schedule = new OpenModelSchedule(rate, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
            long windowStart = schedule.start() + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(measuredSeconds);
            Progress.log("propagation_started", "label", label, "rate", rate, "requests", requests,
                    "warmup_s", warmupSeconds, "measured_s", measuredSeconds);
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "progress");
                thread.setDaemon(true);
                return thread;
            });
            progress.scheduleAtFixedRate(() -> Progress.log("propagation_progress", "answered", ledger.endedCount(),
                    "announced", ledger.seenCount()), 5, 5, TimeUnit.SECONDS);
            schedule.run(requests, OpenModelSchedule.SYSTEM, sender);

            long answersDue = System.nanoTime() + timeout.plusSeconds(5).toNanos();
            while (ledger.endedCount() < requests && System.nanoTime() < answersDue) {
                Thread.sleep(10);
            }
            // The last registrations get as long to be announced as the settle time, from the last answer.
            long settleDue = System.nanoTime() + TimeUnit.SECONDS.toNanos(settleSeconds);
            while (ledger.awaitingAnnouncement((int) requests) > 0 && System.nanoTime() < settleDue) {
                Thread.sleep(10);
            }
            reads.awaitPending(Duration.ofSeconds(10));
            progress.shutdownNow();

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("scenario", "propagation");
            result.put("started_at", startedAt.toString());
            result.put("label", label);
            result.put("target_rps", rate);
            result.put("warmup_s", warmupSeconds);
            result.put("measured_s", measuredSeconds);
            result.put("settle_s", settleSeconds);
            result.put("connections", connections);
            result.putAll(PropagationReport.of(ledger.attempts((int) requests), ledger.firstSeen(), windowStart,
                    windowEnd, reads.result(), events.reconnects()));
            String line = json.writeValueAsString(result);
            System.out.println(line);
            if (options.containsKey("out")) {
                Files.writeString(Path.of(options.get("out")), line + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            if (options.containsKey("trace")) {
                trace.write(Path.of(options.get("trace")), ledger.attempts((int) requests), ledger.firstSeen());
            }
        }
        System.exit(0);
    }

    private static HttpClient http() {
        // HTTP/1.1 said outright: the default (HTTP/2) would offer an h2c upgrade the apps do not take.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0 || !OPTIONS.contains(arg.substring(2, equals))) {
                fail("unknown argument " + arg + "; options: --" + String.join("=… --", OPTIONS) + "=…");
            }
            options.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            fail("--" + name + "=… is required");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void fail(String message) {
        Progress.log("propagation_failed", "reason", message);
        System.exit(2);
    }
}
