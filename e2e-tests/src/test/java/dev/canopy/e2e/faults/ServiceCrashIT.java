package dev.canopy.e2e.faults;

import static dev.canopy.e2e.harness.Eventually.converges;
import static dev.canopy.e2e.harness.Eventually.timeUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.e2e.harness.App;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.ExampleService;
import dev.canopy.e2e.harness.Fault;
import dev.canopy.e2e.harness.Figures;
import dev.canopy.e2e.harness.Ledger;
import dev.canopy.e2e.harness.ParentOrchestrator;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import dev.canopy.e2e.harness.TreeView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fault 3: an example service is killed (-9) and never deregisters. Its lease at its child runs out,
 * the child's reaper evicts it and forwards the removal, so it is gone at the child and at the parent
 * within the TTL and one reaper interval; the other service stays.
 */
class ServiceCrashIT {
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration REAPER = Duration.ofMillis(200);
    /**
     * The lease runs out at most a TTL after the kill, the child's next sweep follows within a reaper
     * interval and the removal is forwarded at once; a second of slack for a loaded 2-core machine and
     * the 100 ms between looks.
     */
    private static final Duration BOUND = TTL.plus(REAPER).plusSeconds(1);

    @Test
    void aKilledServiceIsEvictedAtItsChildAndAtTheParent() throws Exception {
        for (int run = 1; run <= Figures.runs(); run++) {
            killAService(run);
        }
    }

    private void killAService(int run) throws Exception {
        try (Topology topology = new Topology("ServiceCrashIT-" + run)) {
            Map<String, String> leases = Map.of("LEASE_TTL", Figures.setting(TTL),
                    "LEASE_REAPER_INTERVAL", Figures.setting(REAPER));
            topology.configure(App.PARENT, leases).configure(App.CHILD, leases);
            ParentOrchestrator parent = topology.startParent();
            ChildOrchestrator child = topology.startChild("us-east-child", Scope.region("us-east"));
            ExampleService doomed = topology.startExampleService("checkout", child.url());
            ExampleService survivor = topology.startExampleService("payments", child.url());
            topology.awaitHealthy();
            Ledger ledger = new Ledger();
            Scenario.awaitLinked(ledger, child);
            String doomedId = Scenario.awaitRegistered(ledger, child, doomed);
            String survivorId = Scenario.awaitRegistered(ledger, child, survivor);
            List<ChildOrchestrator> children = List.of(child);
            converges().until(() -> TreeView.read(parent, children).against(ledger).exact());

            Instant killed = Instant.now();
            doomed.process().kill();
            ledger.gone(child, doomedId);

            Optional<Duration> evicted = timeUntil(killed, Duration.ofSeconds(20),
                    () -> TreeView.read(parent, children).against(ledger).exact());
            TreeView after = TreeView.read(parent, children);
            Scenario.conclude(Fault.SERVICE_KILLED, run, ledger, after, evicted, BOUND,
                    "child and parent LEASE_TTL " + Figures.setting(TTL) + " (renewals every "
                            + Figures.setting(TTL.dividedBy(3)) + "), reaper "
                            + Figures.setting(REAPER), Map.of());

            assertThat(after.servicesAtChildren().get(child.url())).as("the services at the child")
                    .isEqualTo(Map.of(survivorId, survivor.url()));
            assertThat(after.servicesAtParent()).as("the services at the parent")
                    .isEqualTo(Map.of(survivorId, new Ledger.Placement(survivor.url(), ledger.childId(child))));
            assertThat(survivor.identity().getServiceId()).as("the id the survivor knows itself by")
                    .isEqualTo(survivorId);
        }
    }
}
