package dev.canopy.e2e;

import static dev.canopy.e2e.harness.Eventually.converges;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.HealthReport;
import dev.canopy.api.model.HealthState;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.e2e.harness.AppProcess;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ExampleService;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import dev.canopy.e2e.harness.TopologyKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keys between real processes: a child started with a key the parent does not take stays degraded and
 * unregistered, retrying, while the rest of the tree works; restarted with its own key, it links.
 * No key reaches any process's log.
 */
class AuthIT {
    @RegisterExtension
    static final Topology topology = new Topology("AuthIT");

    @Test
    void aChildWithAWrongKeyStaysOutUntilItIsGivenItsOwn() throws Exception {
        String wrongKey = TopologyKeys.random();
        topology.startParent();
        ChildOrchestrator usEast = topology.startChild("us-east-child", Scope.region("us-east"));
        ChildOrchestrator euWest = topology.startChild("eu-west-child", Scope.region("eu-west"), topology.parentUrl(),
                Map.of("CANOPY_CHILD_KEY", wrongKey));
        ExampleService checkout = topology.startExampleService("checkout", usEast.url());
        topology.awaitHealthy();

        converges().untilAsserted(() -> {
            List<ServiceDetail> atParent = topology.parent().allServices(null);
            assertThat(atParent).extracting(ServiceDetail::getUrl).containsExactly(checkout.url());
            HealthReport refused = euWest.health().getHealth();
            assertThat(refused.getStatus()).isEqualTo(HealthState.DEGRADED);
            assertThat(refused.getChecks().get("parent").getMessage()).contains("HTTP 401");
        });
        assertThat(euWest.info().getOrchestratorId()).isNull();
        assertThat(topology.parent().allOrchestrators())
                .extracting(OrchestratorDetail::getUrl).containsExactly(usEast.url());
        assertThat(euWest.process().tail(Integer.MAX_VALUE)).contains("\"event\":\"upstream_credentials_rejected\"");
        // Still retrying, not given up: the process runs, and keeps saying why.
        assertThat(euWest.process().isAlive()).isTrue();

        euWest.process().stop();
        ChildOrchestrator fixed = topology.startChild("eu-west-child", Scope.region("eu-west"));
        fixed.process().awaitHealthy(Duration.ofSeconds(60));
        converges().untilAsserted(() -> {
            assertThat(fixed.health().getHealth().getStatus()).isEqualTo(HealthState.HEALTHY);
            assertThat(topology.parent().allOrchestrators())
                    .extracting(OrchestratorDetail::getUrl).containsExactlyInAnyOrder(usEast.url(), fixed.url());
        });

        List<String> secrets = new ArrayList<>(topology.keys().all());
        secrets.add(wrongKey);
        for (AppProcess process : List.of(topology.parent().process(), usEast.process(), euWest.process(),
                fixed.process(), checkout.process())) {
            String log = process.tail(Integer.MAX_VALUE);
            assertThat(log).as(process.name() + "'s log").contains("\"event\":");
            secrets.forEach(key -> assertThat(log).as(process.name() + "'s log").doesNotContain(key));
        }
    }
}
