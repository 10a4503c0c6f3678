package dev.canopy.e2e;

import static dev.canopy.e2e.harness.Eventually.converges;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.testing.PrometheusText;
import dev.canopy.e2e.harness.AppProcess;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ExampleService;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real processes: two children, each with its own services, and the parent's {@code /metrics}
 * showing each child's own figures, carried up by the children's heartbeats alone.
 *
 * <pre>
 * parent
 * ├── us-east child (region)           ── checkout, payments
 * └── machine-learning child (domain)  ── recommender
 * </pre>
 */
class MetricsIT {
    @RegisterExtension
    static final Topology topology = new Topology("MetricsIT");

    @Test
    void theParentShowsEachChildsFiguresUnderItsLabels() {
        AppProcess parent = topology.startParent().process();
        ChildOrchestrator usEast = topology.startChild("us-east-child", Scope.region("us-east"));
        ChildOrchestrator machineLearning = topology.startChild("machine-learning-child",
                Scope.domain("machine-learning"));
        ExampleService checkout = topology.startExampleService("checkout", usEast.url());
        topology.startExampleService("payments", usEast.url());
        topology.startExampleService("recommender", machineLearning.url());
        topology.awaitHealthy();

        converges().untilAsserted(() -> {
            String us = usEast.info().getOrchestratorId();
            String ml = machineLearning.info().getOrchestratorId();
            assertThat(us).isNotNull();
            assertThat(ml).isNotNull();
            PrometheusText rollup = scrape(parent);
            Map<String, String> usLabels = Map.of("orchestrator_id", us, "region", "us-east", "domain", "");
            Map<String, String> mlLabels = Map.of("orchestrator_id", ml, "region", "", "domain", "machine-learning");
            assertThat(rollup.value("canopy_child_services", usLabels)).hasValue(2.0);
            assertThat(rollup.value("canopy_child_registrations_total", usLabels)).hasValue(2.0);
            assertThat(rollup.value("canopy_child_forwards_pending", usLabels)).hasValue(0.0);
            assertThat(rollup.value("canopy_child_services", mlLabels)).hasValue(1.0);
            assertThat(rollup.value("canopy_child_registrations_total", mlLabels)).hasValue(1.0);
            assertThat(rollup.value("canopy_child_forwards_pending", mlLabels)).hasValue(0.0);
            assertThat(rollup.value("canopy_orchestrators")).hasValue(2.0);
        });

        // Each child's own figures are the ones its parent shows.
        assertThat(scrape(usEast.process()).value("canopy_service_registrations_total")).hasValue(2.0);
        assertThat(scrape(machineLearning.process()).value("canopy_service_registrations_total")).hasValue(1.0);
        // A service has the JVM's and HTTP figures, and its registration heartbeat is no concern of them.
        assertThat(scrape(checkout.process()).types()).containsKey("jvm_memory_used_bytes")
                .containsKey("io_dropwizard_jetty_MutableServletContextHandler_requests");
    }

    private static PrometheusText scrape(AppProcess app) {
        Response response = app.http().target(app.url() + "/metrics").request("text/plain")
                .header("Authorization", "Bearer " + topology.keys().admin()).get();
        assertThat(response.getStatus()).isEqualTo(200);
        return PrometheusText.parse(response.readEntity(String.class));
    }
}
