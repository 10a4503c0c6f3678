package dev.canopy.core.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/** {@code events:} in an app's YAML: the change stream's history, buffers and keep-alive. */
public class EventsFactory {
    /** How many past events a reconnecting client can resume from without a snapshot. */
    @Min(1)
    @Max(1_000_000)
    private int history = 10_000;

    /** How far one client may fall behind before its stream is ended (it resumes from the history). */
    @Min(1)
    @Max(1_000_000)
    private int subscriberBuffer = 10_000;

    /** Streams open at once; each holds a server thread, so more are refused with 503. */
    @Min(1)
    @Max(10_000)
    private int maxStreams = 256;

    /** How often an idle stream sends a comment, so that proxies keep it open. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    private Duration keepAlive = Duration.seconds(15);

    public ChangeJournal buildJournal(Clock clock) {
        return new ChangeJournal(ChangeJournal.startIndex(clock), history, subscriberBuffer, clock);
    }

    /** The streams of one app, closed as soon as the server starts stopping. */
    public EventStreams buildStreams(Environment environment, ObjectMapper json) {
        ExecutorService writers = environment.lifecycle().executorService("event-stream-%d")
                .minThreads(0).maxThreads(maxStreams).workQueue(new SynchronousQueue<>()).build();
        EventStreams streams = new EventStreams(json, maxStreams, keepAlive.toJavaDuration(), writers);
        streams.manageIn(environment.lifecycle());
        return streams;
    }

    @JsonProperty
    public int getHistory() {
        return history;
    }

    @JsonProperty
    public void setHistory(int history) {
        this.history = history;
    }

    @JsonProperty
    public int getSubscriberBuffer() {
        return subscriberBuffer;
    }

    @JsonProperty
    public void setSubscriberBuffer(int subscriberBuffer) {
        this.subscriberBuffer = subscriberBuffer;
    }

    @JsonProperty
    public int getMaxStreams() {
        return maxStreams;
    }

    @JsonProperty
    public void setMaxStreams(int maxStreams) {
        this.maxStreams = maxStreams;
    }

    @JsonProperty
    public Duration getKeepAlive() {
        return keepAlive;
    }

    @JsonProperty
    public void setKeepAlive(Duration keepAlive) {
        this.keepAlive = keepAlive;
    }
}
