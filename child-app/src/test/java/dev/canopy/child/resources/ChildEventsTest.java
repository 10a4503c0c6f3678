package dev.canopy.child.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.model.LocalServiceChangeEvent;
import dev.canopy.api.model.Problem;
import dev.canopy.api.model.ServicesSnapshotEvent;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.ParentAndChild;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.EventStreamClient;
import dev.canopy.core.testing.EventStreamClient.Event;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /services/events at a child, with a real parent above it, over real HTTP. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildEventsTest {
    private static final ParentAndChild APPS = new ParentAndChild()
            .childConfig("region", "us-east")
            .childConfig("parent.retry.initialDelay", "20ms")
            .childConfig("parent.retry.maxDelay", "200ms")
            .childConfig("leases.ttl", "4s")
            .childConfig("leases.reaperInterval", "100ms")
            .childConfig("events.keepAlive", "200ms")
            .logLevel("WARN");
    private static final int PARENT_PORT = APPS.parentPort();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = TestClients.json();

    static final DropwizardAppExtension<ParentConfiguration> PARENT = APPS.parent();
    static final DropwizardAppExtension<ChildConfiguration> CHILD = APPS.child();

    private final ContractCheckingFilter childContract = new ContractCheckingFilter("child");
    private final Client child = TestClients.contractChecked(childContract).register(TestKeys.bearer(TestKeys.ADMIN));
    private final List<EventStreamClient> streams = new ArrayList<>();

    @AfterEach
    void everyResponseKeptTheContract() {
        streams.forEach(EventStreamClient::close);
        for (EventStreamClient stream : streams) {
            assertThat(stream.problems()).as("the wire format").isEmpty();
        }
        assertThat(childContract.violations()).isEmpty();
        child.close();
    }

    @Test
    void aStreamStartsWithEveryServiceThenShowsEachChangeAsGetAnswersIt() {
        String kept = register("http://kept-" + System.nanoTime() + ":1", "{}");
        EventStreamClient stream = open(Map.of());
        Event snapshot = stream.next(WAIT);
        assertThat(snapshot.type()).isEqualTo("snapshot");
        JSON.convertValue(snapshot.data(), ServicesSnapshotEvent.class);
        assertThat(snapshot.data().path("services")).isEqualTo(json(get("/services")).path("services"));
        assertThat(snapshot.data().path("services").findValuesAsText("id")).contains(kept);
        long index = snapshot.index();

        String url = "http://watched-" + System.nanoTime() + ":1";
        String id = register(url, "{\"display_name\":\"Watched\"}");
        Event registered = expect(stream, "service.registered", ++index);
        assertThat(registered.data().path("service")).isEqualTo(json(get("/services/" + id)));

        register(url, "{\"display_name\":\"Watched v2\"}");
        Event updated = expect(stream, "service.updated", ++index);
        assertThat(updated.data().path("service")).isEqualTo(json(get("/services/" + id)));

        // A renewal changes nothing anyone watches for.
        assertThat(child.target(base() + "/services/" + id + "/$ping").request().put(Entity.json("{}")).getStatus())
                .isEqualTo(200);
        assertThat(stream.poll(Duration.ofMillis(300))).isNull();

        JsonNode deregistration = json(child.target(base() + "/services/" + id).request().delete());
        Event deregistered = expect(stream, "service.deregistered", ++index);
        assertThat(deregistered.data().path("service")).isEqualTo(deregistration.path("service"));

        // Left without renewal, the first one's lease runs out.
        Event evicted = expect(stream, "service.evicted", ++index);
        assertThat(evicted.data().path("service").path("id").asText()).isEqualTo(kept);
        assertThat(stream.comments()).contains(": keep-alive");
        assertThat(stream.retries()).containsExactly("1000");
    }

    @Test
    void aClientThatReconnectsWithItsLastEventIdGetsExactlyWhatItMissed() {
        EventStreamClient first = open(Map.of());
        long last = first.next(WAIT).index();
        String one = register("http://one-" + System.nanoTime() + ":1", "{}");
        last = expect(first, "service.registered", last + 1).index();
        first.close();

        String two = register("http://two-" + System.nanoTime() + ":1", "{}");
        child.target(base() + "/services/" + one).request().delete().close();

        EventStreamClient again = open(Map.of("Last-Event-ID", String.valueOf(last)));
        Event missedRegistration = expect(again, "service.registered", last + 1);
        Event missedDeregistration = expect(again, "service.deregistered", last + 2);
        assertThat(missedRegistration.data().path("service").path("id").asText()).isEqualTo(two);
        assertThat(missedDeregistration.data().path("service").path("id").asText()).isEqualTo(one);
        child.target(base() + "/services/" + two).request().delete().close();
        expect(again, "service.deregistered", last + 3);

        EventStreamClient future = open(Map.of("Last-Event-ID", String.valueOf(last + 1_000)));
        Event snapshot = future.next(WAIT);
        assertThat(snapshot.type()).isEqualTo("snapshot");
        assertThat(snapshot.index()).isEqualTo(last + 3);
    }

    @Test
    void aServiceRegisteredHereReachesTheParentsStream() {
        EventStreamClient parent = EventStreamClient.open("parent",
                "http://localhost:" + PARENT_PORT + "/api/v1/events", Map.of());
        streams.add(parent);
        assertThat(parent.next(WAIT).type()).isEqualTo("snapshot");

        String id = register("http://forwarded-" + System.nanoTime() + ":1", "{}");
        List<Event> seen = parent.until(event -> event.type().equals("service.registered")
                && event.data().path("service").path("id").asText().equals(id), WAIT);
        assertThat(seen.get(seen.size() - 1).data().path("service").path("orchestrator_id").asText()).isNotBlank();
        child.target(base() + "/services/" + id).request().delete().close();
        parent.until(event -> event.type().equals("service.deregistered")
                && event.data().path("service").path("id").asText().equals(id), WAIT);
    }

    @Test
    void aMalformedLastEventIdIsABadRequest() {
        Response response = child.target(base() + "/services/events").request("text/event-stream")
                .header("Last-Event-ID", "yesterday").get();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getMediaType()).hasToString("application/problem+json");
        assertThat(response.readEntity(Problem.class).getInvalidParams().get(0).getName())
                .isEqualTo("header.Last-Event-ID");
    }

    private static Event expect(EventStreamClient stream, String type, long index) {
        Event event = stream.next(WAIT);
        assertThat(event.type()).isEqualTo(type);
        assertThat(event.index()).isEqualTo(index);
        assertThat(event.data().path("index").asLong()).isEqualTo(index);
        assertThat(event.data().path("type").asText()).isEqualTo(type);
        JSON.convertValue(event.data(), LocalServiceChangeEvent.class);
        return event;
    }

    private String register(String url, String info) {
        Response response = child.target(base() + "/services/$register").request()
                .post(Entity.json("{\"url\":\"" + url + "\",\"info\":" + info + "}"));
        assertThat(response.getStatus()).isIn(200, 201);
        return json(response).path("id").asText();
    }

    private EventStreamClient open(Map<String, String> headers) {
        EventStreamClient stream = EventStreamClient.open("child", base() + "/services/events", headers);
        streams.add(stream);
        return stream;
    }

    private Response get(String path) {
        return child.target(base() + path).request().get();
    }

    private static JsonNode json(Response response) {
        assertThat(response.getStatus()).isIn(200, 201);
        try {
            return JSON.readTree(response.readEntity(String.class));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String base() {
        return "http://localhost:" + CHILD.getLocalPort();
    }
}
