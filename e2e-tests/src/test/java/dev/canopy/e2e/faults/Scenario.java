package dev.canopy.e2e.faults;

import static dev.canopy.e2e.harness.Eventually.converges;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.client.invoker.ApiResponse;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ExampleService;
import dev.canopy.e2e.harness.Fault;
import dev.canopy.e2e.harness.Figures;
import dev.canopy.e2e.harness.Figures.Measurement;
import dev.canopy.e2e.harness.Ledger;
import dev.canopy.e2e.harness.TreeView;
import dev.canopy.e2e.harness.TreeView.Comparison;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Steps every fault scenario shares: linking children, registering services, and concluding a run. */
final class Scenario {
    private Scenario() {
    }

    /** Waits until each child is registered with the parent, and notes the id it got. */
    static void awaitLinked(Ledger ledger, ChildOrchestrator... children) {
        for (ChildOrchestrator child : children) {
            String id = converges().until(() -> child.info().getOrchestratorId(), orchestratorId -> orchestratorId != null);
            ledger.childRegistered(child, id);
        }
    }

    /** Registers {@code url} at {@code child} directly over HTTP, as any client may; it must be created. */
    static RegistrationResult register(Ledger ledger, ChildOrchestrator child, String url) throws Exception {
        ApiResponse<RegistrationResult> response = child.services().registerServiceWithHttpInfo(
                new LocalServiceRegistration(url).info(Map.of("display_name", "Registered by a fault test")));
        assertThat(response.getStatusCode()).as("registering %s at %s", url, child).isEqualTo(201);
        RegistrationResult result = response.getData();
        ledger.registered(child, result.getId(), url);
        return result;
    }

    /** Waits until the example service is registered at {@code child}, and notes its id. */
    static String awaitRegistered(Ledger ledger, ChildOrchestrator child, ExampleService service) {
        String id = converges().until(() -> service.identity().getServiceId(), serviceId -> serviceId != null);
        ledger.registered(child, id, service.url());
        return id;
    }

    /**
     * Records the run's figures, then asserts: the reading equals the ledger exactly, and it got
     * there within {@code bound}.
     */
    static void conclude(Fault fault, int run, Ledger ledger, TreeView finalView, Optional<Duration> converged,
                         Duration bound, String settings, Map<String, Long> extras) {
        Comparison comparison = finalView.against(ledger);
        Figures.record(new Measurement(fault, run, ledger.registrations(), comparison.lost(), comparison.duplicated(),
                converged.map(Duration::toMillis).orElse(null), bound.toMillis(), settings, extras));
        assertThat(comparison.exact()).as("every level holds exactly the ledger's entries; %s",
                comparison.describe(20)).isTrue();
        assertThat(converged).as("time to converge").isPresent();
        assertThat(converged.get()).as("time to converge").isLessThanOrEqualTo(bound);
    }
}
