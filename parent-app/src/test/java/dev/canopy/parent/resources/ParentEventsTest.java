package dev.canopy.parent.resources;

import static dev.canopy.parent.resources.ParentHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.api.model.HierarchySnapshotEvent;
import dev.canopy.api.model.OrchestratorChangeEvent;
import dev.canopy.api.model.ServiceChangeEvent;
import dev.canopy.core.Ids;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.EventStreamClient;
import dev.canopy.core.testing.EventStreamClient.Event;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GET /api/v1/events over real HTTP: a snapshot equal to the hierarchy, then one event per change,
 * each carrying what GET answers for it; resumption after a disconnect; the refusals.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentEventsTest {
    private static final int HISTORY = 40;
    private static final Duration WAIT = Duration.ofSeconds(10);
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("leases.ttl", "5s"),
            ConfigOverride.config("leases.reaperInterval", "100ms"),
            ConfigOverride.config("events.history", String.valueOf(HISTORY)),
            ConfigOverride.config("events.keepAlive", "200ms"),
            ConfigOverride.config("logging.level", "WARN"));
    private static final ObjectMapper JSON = TestClients.json();

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract).register(TestKeys.bearer(TestKeys.ADMIN));
    private final List<EventStreamClient> streams = new ArrayList<>();
    private ParentHttp http;

    @BeforeEach
    void connect() {
        http = new ParentHttp(client, APP.getLocalPort());
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        streams.forEach(EventStreamClient::close);
        for (EventStreamClient stream : streams) {
            assertThat(stream.problems()).as("the wire format").isEmpty();
        }
        assertThat(contract.violations()).isEmpty();
        client.close();
    }

    @Test
    void aStreamStartsWithTheHierarchyThenShowsEachChangeAsGetAnswersIt() throws Exception {
        Opened opened = quietStream();
        EventStreamClient stream = opened.stream();
        Event snapshot = opened.snapshot();

        String orchestrator = http.registerOrchestrator("http://events-a:9001", "us-east", null).getId();
        Event registered = expect(stream, "orchestrator.registered", snapshot.index() + 1);
        assertThat(registered.data().path("orchestrator")).isEqualTo(json(http.get("/api/v1/orchestrators/" + orchestrator)));

        String service = http.registerService(Ids.next(), "http://pay:1", orchestrator);
        Event serviceRegistered = expect(stream, "service.registered", snapshot.index() + 2);
        assertThat(serviceRegistered.data().path("service")).isEqualTo(json(http.get("/api/v1/services/" + service)));

        http.post("/api/v1/services/$register", "{\"id\":\"" + service + "\",\"url\":\"http://pay:2\","
                + "\"info\":{\"display_name\":\"Pay v2\"},\"orchestrator_id\":\"" + orchestrator + "\"}").close();
        Event updated = expect(stream, "service.updated", snapshot.index() + 3);
        assertThat(updated.data().path("service")).isEqualTo(json(http.get("/api/v1/services/" + service)));
        assertThat(updated.data().path("service").path("url").asText()).isEqualTo("http://pay:2");

        JsonNode deregistration = json(http.delete("/api/v1/services/" + service));
        Event deregistered = expect(stream, "service.deregistered", snapshot.index() + 4);
        assertThat(deregistered.data().path("service")).isEqualTo(deregistration.path("service"));

        http.post("/api/v1/orchestrators/$register", "{\"id\":\"" + orchestrator + "\",\"url\":\"http://events-a:9001\","
                + "\"info\":{},\"region\":\"us-west\"}").close();
        Event orchestratorUpdated = expect(stream, "orchestrator.updated", snapshot.index() + 5);
        assertThat(orchestratorUpdated.data().path("orchestrator").path("region").asText()).isEqualTo("us-west");

        // A heartbeat is an event only when it changes whether the two copies agree.
        http.put("/api/v1/orchestrators/" + orchestrator + "/$ping",
                "{\"services_digest\":\"0000000000000000\"}").close();
        Event inSync = expect(stream, "orchestrator.updated", snapshot.index() + 6);
        assertThat(inSync.data().path("orchestrator").path("sync").path("in_sync").asBoolean()).isTrue();
        http.put("/api/v1/orchestrators/" + orchestrator + "/$ping",
                "{\"services_digest\":\"0000000000000000\"}").close();
        http.put("/api/v1/orchestrators/" + orchestrator + "/$ping",
                "{\"services_digest\":\"00000000000000ff\"}").close();
        Event outOfSync = expect(stream, "orchestrator.updated", snapshot.index() + 7);
        assertThat(outOfSync.data().path("orchestrator").path("sync").path("in_sync").asBoolean()).isFalse();

        // A complete set: one event per service it changes, then the orchestrator back in sync.
        String kept = Ids.next();
        String added = Ids.next();
        http.registerService(kept, "http://kept:1", orchestrator);
        String dropped = http.registerService(Ids.next(), "http://dropped:1", orchestrator);
        expect(stream, "service.registered", snapshot.index() + 8);
        expect(stream, "service.registered", snapshot.index() + 9);
        http.put("/api/v1/orchestrators/" + orchestrator + "/services", "{\"services\":["
                + "{\"id\":\"" + kept + "\",\"url\":\"http://kept:1\",\"info\":{\"display_name\":\"svc\"}},"
                + "{\"id\":\"" + added + "\",\"url\":\"http://added:1\",\"info\":{}}]}").close();
        List<Event> reconciled = List.of(stream.next(WAIT), stream.next(WAIT), stream.next(WAIT));
        assertThat(reconciled).extracting(Event::type)
                .containsExactly("service.registered", "service.deregistered", "orchestrator.updated");
        assertThat(reconciled.get(0).data().path("service").path("id").asText()).isEqualTo(added);
        assertThat(reconciled.get(1).data().path("service").path("id").asText()).isEqualTo(dropped);

        // Going takes its services first: each has its own event before the orchestrator's.
        JsonNode gone = json(http.delete("/api/v1/orchestrators/" + orchestrator));
        List<Event> removal = stream.until(event -> event.type().startsWith("orchestrator."), WAIT);
        assertThat(removal).extracting(Event::type)
                .containsExactly("service.deregistered", "service.deregistered", "orchestrator.deregistered");
        assertThat(removal).extracting(event -> event.data().path("service").path("id").asText())
                .containsExactly(kept, added, "");
        assertThat(removal.get(2).data().path("orchestrator")).isEqualTo(gone.path("orchestrator"));

        assertThat(stream.poll(Duration.ofMillis(300))).as("nothing else changed").isNull();
        assertThat(stream.comments()).contains(": keep-alive");
        assertThat(stream.retries()).containsExactly("1000");
    }

    @Test
    void anOrchestratorWhoseLeaseRunsOutIsEvictedAfterItsServices() {
        Opened opened = quietStream();
        EventStreamClient stream = opened.stream();
        Event snapshot = opened.snapshot();
        String orchestrator = http.registerOrchestrator("http://events-lapsing:9001", null, "ml").getId();
        String service = http.registerService(Ids.next(), "http://train:1", orchestrator);

        List<Event> events = stream.until(event -> event.type().equals("orchestrator.evicted"),
                Duration.ofSeconds(20));

        assertThat(events).extracting(Event::type).containsExactly("orchestrator.registered", "service.registered",
                "service.evicted", "orchestrator.evicted");
        assertThat(events).extracting(Event::index).containsExactly(snapshot.index() + 1, snapshot.index() + 2,
                snapshot.index() + 3, snapshot.index() + 4);
        assertThat(events.get(2).data().path("service").path("id").asText()).isEqualTo(service);
        assertThat(events.get(3).data().path("orchestrator").path("id").asText()).isEqualTo(orchestrator);
        assertThat(events.get(3).data().path("orchestrator").path("service_count").asInt()).isEqualTo(1);
    }

    @Test
    void aClientThatReconnectsWithItsLastEventIdMissesNothingAndSeesNothingTwice() throws Exception {
        String orchestrator = http.registerOrchestrator("http://events-resume:9001", "eu-west", null).getId();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            EventStreamClient first = open(Map.of());
            long snapshot = first.next(WAIT).index();
            // Registrations and heartbeats go on, at the pace of the server, while the client comes and goes.
            Future<Integer> changes = writer.submit(() -> {
                int made = 0;
                while (writing.get() && made < 30) {
                    http.registerService(Ids.next(), "http://resume-" + made + ":1", orchestrator);
                    http.put("/api/v1/orchestrators/" + orchestrator + "/$ping", "{}").close();
                    made++;
                }
                return made;
            });
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(first.next(WAIT).index());
            }
            first.close();
            Thread.sleep(100);

            EventStreamClient second = open(Map.of("Last-Event-ID", String.valueOf(seen.get(seen.size() - 1))));
            for (int i = 0; i < 5; i++) {
                seen.add(second.next(WAIT).index());
            }
            second.close();
            Thread.sleep(100);

            // A browser's first connection cannot set headers: the query parameter does the same.
            EventStreamClient third = open(Map.of());
            streams.remove(third);
            third.close();
            String query = "?last_event_id=" + seen.get(seen.size() - 1);
            EventStreamClient fourth = EventStreamClient.open("parent", http.base() + "/api/v1/events" + query, Map.of());
            streams.add(fourth);
            int made = changes.get(60, TimeUnit.SECONDS);
            while (seen.size() < made) {
                Event event = fourth.next(WAIT);
                assertThat(event.type()).isNotEqualTo("snapshot");
                seen.add(event.index());
            }

            List<Long> expected = new ArrayList<>();
            for (long index = snapshot + 1; index <= snapshot + made; index++) {
                expected.add(index);
            }
            assertThat(seen).containsExactlyElementsOf(expected);
        } finally {
            writing.set(false);
            writer.shutdownNow();
            http.delete("/api/v1/orchestrators/" + orchestrator).close();
        }
    }

    @Test
    void anIdOlderThanTheHistoryOrFromBeforeARestartGetsASnapshotFirst() {
        EventStreamClient watcher = open(Map.of());
        long before = watcher.next(WAIT).index();
        String orchestrator = http.registerOrchestrator("http://events-old:9001", "us-east", null).getId();
        for (int i = 0; i <= HISTORY; i++) {
            http.registerService(Ids.next(), "http://old-" + i + ":1", orchestrator);
            http.put("/api/v1/orchestrators/" + orchestrator + "/$ping", "{}").close();
        }
        long last = watcher.until(event -> event.type().equals("service.registered")
                && event.data().path("service").path("url").asText().equals("http://old-" + HISTORY + ":1"), WAIT)
                .stream().mapToLong(Event::index).max().orElseThrow();

        for (long stale : new long[] {before, 0, last + 1, last + 1_000_000}) {
            EventStreamClient stream = open(Map.of("Last-Event-ID", String.valueOf(stale)));
            Event first = stream.next(WAIT);
            assertThat(first.type()).as("after %d", stale).isEqualTo("snapshot");
            assertThat(first.index()).isGreaterThanOrEqualTo(last);
            stream.close();
        }
        EventStreamClient recent = open(Map.of("Last-Event-ID", String.valueOf(last - 3)));
        assertThat(List.of(recent.next(WAIT), recent.next(WAIT), recent.next(WAIT))).extracting(Event::index)
                .containsExactly(last - 2, last - 1, last);
        http.delete("/api/v1/orchestrators/" + orchestrator).close();
    }

    @Test
    void aMalformedLastEventIdIsABadRequestAndAStreamIsOnlyServedAsAStream() {
        Set<String> invalid = new TreeSet<>();
        for (String id : List.of("abc", "-1", "1e5", "12 3", "0x10", "1234567890123456789", "")) {
            Response header = client.target(http.base() + "/api/v1/events").request()
                    .header("Last-Event-ID", id).accept("text/event-stream").get();
            invalid.add(assertProblem(header, 400, "urn:canopy:problem:invalid-parameter")
                    .getInvalidParams().get(0).getName());
            Response query = client.target(http.base() + "/api/v1/events").queryParam("last_event_id", id)
                    .request().accept("text/event-stream").get();
            invalid.add(assertProblem(query, 400, "urn:canopy:problem:invalid-parameter")
                    .getInvalidParams().get(0).getName());
        }
        assertThat(invalid).containsExactly("header.Last-Event-ID", "query.last_event_id");

        Response json = client.target(http.base() + "/api/v1/events").request().accept("application/json").get();
        assertThat(json.getStatus()).isEqualTo(406);
        assertThat(json.getMediaType()).hasToString("application/problem+json");
    }

    /** A stream and its snapshot. */
    private record Opened(EventStreamClient stream, Event snapshot) {
    }

    /**
     * A stream opened while nothing else changes, so that its snapshot can be held against what
     * GET /api/v1/hierarchy answers: equal, as JSON, field for field.
     */
    private Opened quietStream() {
        for (int attempt = 0; ; attempt++) {
            EventStreamClient stream = open(Map.of());
            Event snapshot = stream.next(WAIT);
            assertThat(snapshot.type()).isEqualTo("snapshot");
            assertThat(snapshot.data().path("index").asLong()).isEqualTo(snapshot.index());
            JSON.convertValue(snapshot.data(), HierarchySnapshotEvent.class);
            JsonNode hierarchy = readTree(http.hierarchyJson());
            if (stream.poll(Duration.ofMillis(200)) == null) {
                assertThat(snapshot.data().path("hierarchy")).isEqualTo(hierarchy);
                return new Opened(stream, snapshot);
            }
            assertThat(attempt).as("the registry keeps changing").isLessThan(20);
            streams.remove(stream);
            stream.close();
        }
    }

    private EventStreamClient open(Map<String, String> headers) {
        EventStreamClient stream = EventStreamClient.open("parent", http.base() + "/api/v1/events", headers);
        streams.add(stream);
        return stream;
    }

    /** The next event, of this type and index, its data valid against its schema and naming its own index. */
    private static Event expect(EventStreamClient stream, String type, long index) {
        Event event = stream.next(WAIT);
        assertThat(event.type()).isEqualTo(type);
        assertThat(event.index()).isEqualTo(index);
        assertThat(event.data().path("index").asLong()).isEqualTo(index);
        assertThat(event.data().path("type").asText()).isEqualTo(type);
        assertThat(event.data().path("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        Class<?> schema = type.startsWith("service.") ? ServiceChangeEvent.class : OrchestratorChangeEvent.class;
        JSON.convertValue(event.data(), schema);
        return event;
    }

    private static JsonNode json(Response response) {
        assertThat(response.getStatus()).isEqualTo(200);
        return readTree(response.readEntity(String.class));
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
