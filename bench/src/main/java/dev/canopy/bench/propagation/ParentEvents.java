package dev.canopy.bench.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Follows the parent's change stream ({@code GET /api/v1/events}) on a thread of its own and tells the
 * ledger when each of this run's services is first announced: a {@code service.registered} (or
 * {@code service.updated}) event whose service's url carries the run's marker, time-stamped as its
 * closing blank line is read. The stream opens with a snapshot of the tree; the run starts sending only
 * once it has come, so no service of the run can be announced before the stream is live. If the stream
 * ends (the parent ends a client that reads too slowly), it reconnects with {@code Last-Event-ID} and
 * the parent replays what it missed; each reconnect is counted, since what it replays is stamped late.
 */
final class ParentEvents implements AutoCloseable {
    private final HttpClient client;
    private final URI events;
    private final String readKey;
    private final String marker;
    private final ObjectMapper json;
    private final PropagationLedger ledger;
    private final Consumer<String> announced;
    private final CountDownLatch snapshot = new CountDownLatch(1);
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread reader;
    private volatile boolean closed;
    private volatile InputStream current;

    /**
     * @param readKey a read key for a parent whose reads need one; null otherwise
     * @param announced hears the id of each of the run's services as it is announced, on the reader thread
     */
    ParentEvents(HttpClient client, URI parentBase, String readKey, String marker, ObjectMapper json,
                 PropagationLedger ledger, Consumer<String> announced) {
        this.client = client;
        this.events = parentBase.resolve("/api/v1/events");
        this.readKey = readKey;
        this.marker = marker;
        this.json = json;
        this.ledger = ledger;
        this.announced = announced;
        this.reader = new Thread(this::follow, "parent-events");
        this.reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** Whether the stream's first snapshot came within {@code wait}. */
    boolean awaitSnapshot(Duration wait) throws InterruptedException {
        return snapshot.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    long reconnects() {
        return reconnects.get();
    }

    private void follow() {
        SseParser parser = new SseParser();
        while (!closed) {
            try {
                read(parser);
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                Progress.log("event_stream_failed", "error", e.toString());
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            reconnects.incrementAndGet();
            try {
                Thread.sleep(parser.retryMillis() >= 0 ? parser.retryMillis() : 1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(SseParser parser) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(events).header("Accept", "text/event-stream").GET();
        if (readKey != null) {
            request.header("Authorization", "Bearer " + readKey);
        }
        if (parser.lastEventId() != null) {
            request.header("Last-Event-ID", parser.lastEventId());
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            current = body;
            if (response.statusCode() != 200) {
                throw new IOException("the parent answered the event stream with " + response.statusCode());
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
                long now = System.nanoTime();
                parser.line(line).ifPresent(event -> dispatch(event, now));
            }
        } finally {
            current = null;
        }
    }

    private void dispatch(SseParser.Event event, long arrived) {
        try {
            switch (event.type()) {
                case "snapshot" -> {
                    for (JsonNode branch : json.readTree(event.data()).path("hierarchy").path("orchestrators")) {
                        for (JsonNode service : branch.path("services")) {
                            note(service, arrived);
                        }
                    }
                    snapshot.countDown();
                }
                case "service.registered", "service.updated" -> note(json.readTree(event.data()).path("service"), arrived);
                default -> {
                    // Orchestrator events, and services leaving: not what this run measures.
                }
            }
        } catch (IOException e) {
            Progress.log("event_unreadable", "type", event.type(), "error", e.toString());
        }
    }

    private void note(JsonNode service, long arrived) {
        String url = service.path("url").asText("");
        String id = service.path("id").asText(null);
        if (id != null && url.startsWith(marker)) {
            ledger.seen(id, arrived);
            announced.accept(id);
        }
    }

    @Override
    public void close() {
        closed = true;
        InputStream body = current;
        if (body != null) {
            try {
                body.close();
            } catch (IOException e) {
                // Closing is all that was wanted.
            }
        }
        reader.interrupt();
    }
}
