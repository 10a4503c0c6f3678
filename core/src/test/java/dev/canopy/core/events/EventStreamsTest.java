package dev.canopy.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.Problem;
import io.dropwizard.jackson.Jackson;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventStreamsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T04:00:00Z"), ZoneOffset.UTC);

    private final ExecutorService writers = Executors.newCachedThreadPool();
    private final ChangeJournal journal = new ChangeJournal(ChangeJournal.startIndex(CLOCK), 10, 10, CLOCK);
    private final EventStreams streams = new EventStreams(Jackson.newObjectMapper(), 1, Duration.ofSeconds(1),
            writers);

    @AfterEach
    void stop() {
        streams.stop();
        writers.shutdownNow();
    }

    @Test
    void oneStreamMoreThanAllowedIsRefusedWith503AndRetryAfterAndAStoppedAppOpensNone() {
        Response first = streams.open(null, null, after -> journal.subscribe(after, "services", Map::of));
        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(first.getMediaType()).hasToString("text/event-stream");
        assertThat(first.getHeaderString("Cache-Control")).isEqualTo("no-store");

        Response second = streams.open(null, "5", after -> journal.subscribe(after, "services", Map::of));
        assertTooMany(second);
        assertThat(journal.subscriberCount()).as("the refused one never subscribed").isEqualTo(1);

        streams.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.openCount() == 0);
        assertThat(journal.subscriberCount()).isZero();
        assertTooMany(streams.open(null, null, after -> journal.subscribe(after, "services", Map::of)));
    }

    @Test
    void theHeaderWinsOverTheQuery() {
        long last = journal.append("service.registered", "service", Map.of()).index();
        OptionalLong[] asked = new OptionalLong[1];
        streams.open(String.valueOf(last), "0", after -> {
            asked[0] = after;
            return journal.subscribe(after, "services", Map::of);
        });
        assertThat(asked[0]).hasValue(last);
    }

    @Test
    void anEventIsOneDataLineWhateverItsPayloadHolds() {
        ChangeEvent event = journal.append("service.updated", "service",
                Map.of("info", "line one\nline two\r\u2028\u0085 end"));

        String frame = streams.frame(event);

        assertThat(frame).startsWith("id: " + event.index() + "\nevent: service.updated\ndata: {")
                .endsWith("}\n\n");
        assertThat(frame.substring(0, frame.length() - 2).split("\n")).hasSize(3);
        assertThat(frame).doesNotContain("\r").contains("\"index\":" + event.index())
                .contains("\"at\":\"2026-11-26T04:00:00Z\"").contains("\\n");
    }

    private static void assertTooMany(Response response) {
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(response.getMediaType()).hasToString("application/problem+json");
        assertThat(((Problem) response.getEntity()).getType()).isEqualTo("urn:canopy:problem:too-many-streams");
    }
}
