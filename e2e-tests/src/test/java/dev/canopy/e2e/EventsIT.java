package dev.canopy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.testing.EventStreamClient;
import dev.canopy.core.testing.EventStreamClient.Event;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ExampleService;
import dev.canopy.e2e.harness.ParentOrchestrator;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parent's event stream with real processes: a client subscribed at the parent sees a child
 * arrive, a service registered at that child arrive (forwarded) and leave when it stops; and a
 * parent told to stop ends the stream instead of waiting for the client to hang up.
 */
class EventsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aServiceRegisteredAtAChildArrivesAtTheParentsStreamAndLeavesIt() {
        try (Topology topology = new Topology("EventsIT")) {
            ParentOrchestrator parent = topology.startParent();
            topology.awaitHealthy();
            EventStreamClient stream = EventStreamClient.open("parent", parent.url() + "/api/v1/events", Map.of());
            try {
                Event snapshot = stream.next(WAIT);
                assertThat(snapshot.type()).isEqualTo("snapshot");
                assertThat(snapshot.data().path("hierarchy").path("orchestrators").size()).isZero();

                ChildOrchestrator child = topology.startChild("us-east-child", Scope.region("us-east"));
                Event childArrived = stream.until(event -> event.type().equals("orchestrator.registered"), WAIT)
                        .get(0);
                assertThat(childArrived.data().path("orchestrator").path("url").asText()).isEqualTo(child.url());
                String childId = childArrived.data().path("orchestrator").path("id").asText();

                ExampleService checkout = topology.startExampleService("checkout", child.url());
                List<Event> arrival = stream.until(event -> event.type().equals("service.registered"), WAIT);
                Event registered = arrival.get(arrival.size() - 1);
                assertThat(registered.data().path("service").path("url").asText()).isEqualTo(checkout.url());
                assertThat(registered.data().path("service").path("orchestrator_id").asText()).isEqualTo(childId);
                String serviceId = registered.data().path("service").path("id").asText();

                checkout.process().stop();
                List<Event> departure = stream.until(event -> event.type().equals("service.deregistered"), WAIT);
                assertThat(departure.get(departure.size() - 1).data().path("service").path("id").asText())
                        .isEqualTo(serviceId);

                long started = System.nanoTime();
                parent.process().stop();
                Duration stopped = Duration.ofNanos(System.nanoTime() - started);
                assertThat(stream.endsWithin(Duration.ofSeconds(5))).as("the parent ended the stream").isTrue();
                System.out.printf("EventsIT: the parent stopped %d ms after SIGTERM with a stream open%n",
                        stopped.toMillis());
                assertThat(stopped).as("a stream does not hold the parent's shutdown up")
                        .isLessThan(Duration.ofSeconds(10));
                assertThat(stream.problems()).isEmpty();
            } finally {
                stream.close();
            }
        }
    }
}
