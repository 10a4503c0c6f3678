package dev.canopy.e2e.faults;

import static dev.canopy.e2e.harness.Eventually.converges;
import static dev.canopy.e2e.harness.Eventually.timeUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.e2e.harness.App;
import dev.canopy.e2e.harness.ChildOrchestrator;
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
 * Fault 2: a child is killed (-9) and never deregisters. Its lease at the parent runs out and the
 * parent's reaper evicts it with every service it held, within the TTL and one reaper interval; the
 * other child and its services stay exactly as they were.
 */
class ChildCrashIT {
    private static final int SERVICES_PER_CHILD = 10;
    private static final Duration PARENT_TTL = Duration.ofSeconds(2);
    private static final Duration REAPER = Duration.ofMillis(200);
    /** Long enough that the services, registered directly and never renewed, outlive the test. */
    private static final Duration CHILD_TTL = Duration.ofSeconds(60);
    /**
     * The lease runs out at most a TTL after the kill (it was renewed at most then), the next sweep
     * follows within a reaper interval; a second of slack for a loaded 2-core machine and the 100 ms
     * between looks.
     */
    private static final Duration BOUND = PARENT_TTL.plus(REAPER).plusSeconds(1);

    @Test
    void aKilledChildIsEvictedWithAllItsServicesAndNothingElse() throws Exception {
        for (int run = 1; run <= Figures.runs(); run++) {
            killAChild(run);
        }
    }

    private void killAChild(int run) throws Exception {
        try (Topology topology = new Topology("ChildCrashIT-" + run)) {
            topology.configure(App.PARENT, Map.of("LEASE_TTL", Figures.setting(PARENT_TTL),
                            "LEASE_REAPER_INTERVAL", Figures.setting(REAPER)))
                    .configure(App.CHILD, Map.of("LEASE_TTL", Figures.setting(CHILD_TTL),
                            "LEASE_REAPER_INTERVAL", Figures.setting(REAPER)));
            ParentOrchestrator parent = topology.startParent();
            ChildOrchestrator doomed = topology.startChild("us-east-child", Scope.region("us-east"));
            ChildOrchestrator survivor = topology.startChild("eu-west-child", Scope.region("eu-west"));
            topology.awaitHealthy();
            Ledger ledger = new Ledger();
            Scenario.awaitLinked(ledger, doomed, survivor);
            for (int n = 0; n < SERVICES_PER_CHILD; n++) {
                Scenario.register(ledger, doomed, "http://svc-" + n + ".us-east.child-crash.test:8080");
                Scenario.register(ledger, survivor, "http://svc-" + n + ".eu-west.child-crash.test:8080");
            }
            List<ChildOrchestrator> both = List.of(doomed, survivor);
            converges().until(() -> TreeView.read(parent, both).against(ledger).exact());
            String doomedId = ledger.childId(doomed);
            Map<String, String> doomedServices = ledger.at(doomed);
            Map<String, String> survivingServices = ledger.at(survivor);

            Instant killed = Instant.now();
            doomed.process().kill();
            ledger.childGone(doomed);

            List<ChildOrchestrator> alive = List.of(survivor);
            Optional<Duration> evicted = timeUntil(killed, Duration.ofSeconds(20),
                    () -> TreeView.read(parent, alive).against(ledger).exact());
            TreeView after = TreeView.read(parent, alive);
            Scenario.conclude(Fault.CHILD_KILLED, run, ledger, after, evicted, BOUND,
                    "parent LEASE_TTL " + Figures.setting(PARENT_TTL) + " (heartbeat every "
                            + Figures.setting(PARENT_TTL.dividedBy(3)) + "), reaper "
                            + Figures.setting(REAPER), Map.of());

            assertThat(after.orchestratorsAtParent()).as("the children at the parent")
                    .isEqualTo(Map.of(ledger.childId(survivor), survivor.url()))
                    .doesNotContainKey(doomedId);
            assertThat(after.servicesAtParent()).as("the services at the parent")
                    .doesNotContainKeys(doomedServices.keySet().toArray(String[]::new))
                    .hasSameSizeAs(survivingServices)
                    .allSatisfy((id, placement) -> assertThat(placement)
                            .isEqualTo(new Ledger.Placement(survivingServices.get(id), ledger.childId(survivor))));
        }
    }
}
