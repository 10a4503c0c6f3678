package dev.canopy.core.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.canopy.core.Ids;
import dev.canopy.core.lifecycle.EarlyStop;
import dev.canopy.core.logging.Events;
import dev.canopy.core.problem.ProblemResponses;
import dev.canopy.core.problem.ProblemType;
import dev.canopy.core.registry.Views;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.glassfish.jersey.server.ChunkedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Server-Sent Events streams of one app. Each stream has a writer thread of its own that sends
 * its {@link Subscription} (so a slow client slows only itself) through a Jersey {@link ChunkedOutput},
 * which commits the response at once and flushes each write; Jersey would otherwise hold the first
 * 8 KiB back to compute a Content-Length. An idle stream sends a comment so that proxies keep it
 * open. At most {@code maxStreams} are open at once, since each holds a thread. When the server
 * begins to stop, every stream is ended at once, so that Jetty's graceful shutdown does not wait
 * for clients that would never hang up.
 */
public final class EventStreams implements Managed {
    public static final String MEDIA_TYPE = "text/event-stream";
    /** The client's wait before reconnecting, in milliseconds (the {@code retry} field). */
    static final int RETRY_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    private final ObjectMapper json;
    private final Semaphore permits;
    private final int maxStreams;
    private final Duration keepAlive;
    private final Set<Subscription> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService writers;
    private volatile boolean stopping;

    /** @param writers runs one writer per stream: it must take {@code maxStreams} tasks at once */
    public EventStreams(ObjectMapper json, int maxStreams, Duration keepAlive, ExecutorService writers) {
        this.writers = writers;
        // A copy: one event is one line, with RFC 3339 times, whatever the app's mapper is told.
        this.json = json.copy().disable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        this.permits = new Semaphore(maxStreams);
        this.maxStreams = maxStreams;
        this.keepAlive = keepAlive;
    }

    /** Manages it in {@code lifecycle}, ending the streams as soon as the server starts stopping. */
    public void manageIn(LifecycleEnvironment lifecycle) {
        EarlyStop.manage(lifecycle, this, this::stop);
    }

    /**
     * The answer to a request for the stream: the header's index wins over the query's; either is
     * already checked against the contract's pattern (digits only).
     *
     * @param subscribe subscribes after the given index (or for a snapshot), under the registry's lock
     */
    public Response open(String lastEventIdHeader, String lastEventIdQuery,
                         Function<OptionalLong, Subscription> subscribe) {
        String lastEventId = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdQuery;
        OptionalLong after = lastEventId == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lastEventId));
        if (stopping) {
            return tooMany("The server is stopping");
        }
        if (!permits.tryAcquire()) {
            return tooMany("This app already serves " + maxStreams + " event streams");
        }
        Subscription subscription;
        try {
            subscription = subscribe.apply(after);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        open.add(subscription);
        // A stop that ran while this one subscribed has not seen it: end it here instead.
        if (stopping) {
            subscription.close();
        }
        String streamId = Ids.next();
        ChunkedOutput<String> out = new ChunkedOutput<>(String.class);
        try {
            writers.execute(() -> send(streamId, subscription, out));
        } catch (RejectedExecutionException e) {
            // A writer that has just released its permit may not have returned its thread yet.
            subscription.close();
            open.remove(subscription);
            permits.release();
            return tooMany("No writer is free for another event stream; try again");
        }
        Events.info(LOG, "event_stream_opened").with("stream_id", streamId)
                .with("last_event_id", lastEventId).log("Event stream opened");
        return Response.ok(out)
                .type(MEDIA_TYPE)
                // Neither a proxy nor a browser may keep a copy of a live stream.
                .header("Cache-Control", "no-store")
                .header("X-Accel-Buffering", "no")
                .build();
    }

    private static Response tooMany(String detail) {
        return ProblemResponses.of(ProblemType.TOO_MANY_STREAMS, detail, null)
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    private void send(String streamId, Subscription subscription, ChunkedOutput<String> out) {
        long sent = 0;
        String reason = "client gone";
        try {
            write(out, "retry: " + RETRY_MILLIS + "\n\n");
            while (true) {
                ChangeEvent event = subscription.next(keepAlive);
                if (subscription.end() != null) {
                    reason = subscription.end() == Subscription.End.OVERFLOW ? "client too slow" : "server stopping";
                    break;
                }
                if (event == null) {
                    write(out, ": keep-alive\n\n");
                    continue;
                }
                // Everything already waiting goes out in one flush.
                StringBuilder batch = new StringBuilder();
                for (; event != null; event = subscription.poll()) {
                    batch.append(frame(event));
                    sent++;
                }
                write(out, batch.toString());
            }
        } catch (IOException | RuntimeException e) {
            reason = "client gone";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted";
        } finally {
            closeQuietly(out);
            subscription.close();
            open.remove(subscription);
            permits.release();
            (subscription.end() == Subscription.End.OVERFLOW ? Events.warn(LOG, "event_stream_closed")
                    : Events.info(LOG, "event_stream_closed")).with("stream_id", streamId)
                    .with("events_sent", sent).with("reason", reason).log("Event stream closed");
        }
    }

    /** One event on the wire: {@code id}, {@code event}, one {@code data} line, a blank line. */
    String frame(ChangeEvent event) {
        return "id: " + event.index() + "\nevent: " + event.type() + "\ndata: " + event.data(this::encode) + "\n\n";
    }

    private String encode(ChangeEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("index", event.index());
        data.put("type", event.type());
        data.put("at", Views.utc(event.at()));
        data.put(event.field(), event.payload());
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An event's view could not be encoded", e);
        }
    }

    private static void write(ChunkedOutput<String> out, String text) throws IOException {
        if (out.isClosed()) {
            throw new IOException("the client closed the stream");
        }
        out.write(text);
    }

    private static void closeQuietly(ChunkedOutput<String> out) {
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            // The client is gone already: nothing is left to end.
        }
    }

    /** How many streams are open now. */
    public int openCount() {
        return open.size();
    }

    @Override
    public void start() {
        stopping = false;
    }

    /** Ends every open stream; their writers return at once and their responses complete. */
    @Override
    public void stop() {
        stopping = true;
        open.forEach(Subscription::close);
    }
}
