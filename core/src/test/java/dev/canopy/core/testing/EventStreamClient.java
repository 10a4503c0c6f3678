package dev.canopy.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for tests, reading a stream over real HTTP the way EventSource does:
 * fields per line, an event at each blank line. Each event's data must be one line of JSON. The
 * response's status and headers are checked against the app's document when it opens.
 */
public final class EventStreamClient implements AutoCloseable {
    /** One event as received. */
    public record Event(String id, String type, String dataLine, JsonNode data) {
        public long index() {
            return Long.parseLong(id);
        }
    }

    private static final ObjectMapper JSON = TestClients.json();
    private static final Event END = new Event("", "", "", null);

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean ended;

    private final OpenApiContract contract;
    private final String path;

    private EventStreamClient(HttpResponse<Stream<String>> response, OpenApiContract contract, String path) {
        this.response = response;
        this.contract = contract;
        this.path = path;
        this.reader = new Thread(this::read, "event-stream-client");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens {@code url} with {@code headers} and checks the answer is a 200 stream the document of
     * {@code document} describes.
     */
    public static EventStreamClient open(String document, String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET()
                .header("Accept", "text/event-stream")
                .header("Accept-Encoding", "gzip");
        headers.forEach(request::header);
        try {
            HttpResponse<Stream<String>> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .build().send(request.build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).as("status of " + url).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Encoding")).as("a stream is not compressed").isEmpty();
            return new EventStreamClient(response, OpenApiContract.of(document), URI.create(url).getPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        String id = null;
        String type = null;
        StringBuilder data = null;
        int dataLines = 0;
        // The stream's first frame, held against the document as the body of the 200 (a stream has no end).
        StringBuilder opening = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (opening != null) {
                    opening.append(line).append('\n');
                    if (line.isEmpty()) {
                        problems.addAll(contract.violations("GET", path, response.statusCode(),
                                response.headers().firstValue("Content-Type").orElse(null), opening.toString(),
                                response.headers().map()));
                        opening = null;
                    }
                }
                if (line.isEmpty()) {
                    if (data != null) {
                        if (dataLines != 1) {
                            problems.add("event " + id + " has " + dataLines + " data lines");
                        }
                        events.add(new Event(id, type, data.toString(), JSON.readTree(data.toString())));
                    }
                    type = null;
                    data = null;
                    dataLines = 0;
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(6));
                    dataLines++;
                } else if (line.startsWith("retry: ")) {
                    retries.add(line.substring(7));
                } else {
                    problems.add("a line that is no SSE field: " + line);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Closed by the test or by the server: the end of the stream either way.
        } finally {
            ended = true;
            events.add(END);
        }
    }

    /** The next event within {@code wait}; fails the test if none comes or the stream ended. */
    public Event next(Duration wait) {
        Event event = poll(wait);
        assertThat(event).as("an event within " + wait).isNotNull();
        return event;
    }

    /** The next event within {@code wait}, or null if none came or the stream ended. */
    public Event poll(Duration wait) {
        try {
            Event event = events.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (event == END) {
                events.add(END);
                return null;
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Events until one matches {@code last} (included), each within {@code wait}. */
    public List<Event> until(Predicate<Event> last, Duration wait) {
        List<Event> received = new ArrayList<>();
        while (true) {
            Event event = next(wait);
            received.add(event);
            if (last.test(event)) {
                return received;
            }
        }
    }

    /** Whether the server ended the stream, waiting at most {@code wait} for it. */
    public boolean endsWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!ended && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ended;
            }
        }
        return ended;
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    public List<String> retries() {
        return List.copyOf(retries);
    }

    /** What broke the wire format: an empty list for a well-formed stream. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public HttpResponse<?> response() {
        return response;
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            // Closing the body's stream cancels the exchange: the server sees the client go.
            response.body().close();
        } catch (RuntimeException e) {
            // Already closed.
        }
    }
}
