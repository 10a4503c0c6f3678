package dev.canopy.e2e.faults;

import static dev.canopy.e2e.harness.Eventually.timeUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.HealthReport;
import dev.canopy.api.model.HealthState;
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
 * Fault 4: the parent is not there when the children start (it comes 10 s later), and later it is
 * restarted twice in a row (kill -9, start, kill -9 as soon as it is up, start). Each time the parent
 * must end up with exactly the children's sets, the children keeping the ids it gave them first.
 */
class StartupOrderIT {
    private static final int SERVICES_PER_CHILD = 20;
    private static final Duration HEAD_START = Duration.ofSeconds(10);
    private static final Duration PARENT_TTL = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = PARENT_TTL.dividedBy(3);
    private static final Duration REAPER = Duration.ofMillis(200);
    private static final Duration CHILD_TTL = Duration.ofSeconds(60);
    /** The cap of the children's retries (the harness's RETRY_MAX_DELAY). */
    private static final Duration RETRY_MAX = Duration.ofSeconds(1);
    /**
     * A child notices the parent within a heartbeat (a 404) or a registration retry (at most
     * RETRY_MAX_DELAY, here equal to the heartbeat); it registers and sends its set within a second
     * interval. A second of slack for a loaded 2-core machine.
     */
    private static final Duration BOUND = HEARTBEAT.multipliedBy(2).plusSeconds(1);

    @Test
    void childrenStartedBeforeTheirParentAndAParentRestartedTwiceConverge() throws Exception {
        for (int run = 1; run <= Figures.runs(); run++) {
            startTheParentLateThenRestartItTwice(run);
        }
    }

    private void startTheParentLateThenRestartItTwice(int run) throws Exception {
        try (Topology topology = new Topology("StartupOrderIT-" + run)) {
            topology.configure(App.PARENT, Map.of("LEASE_TTL", Figures.setting(PARENT_TTL),
                            "LEASE_REAPER_INTERVAL", Figures.setting(REAPER)))
                    .configure(App.CHILD, Map.of("LEASE_TTL", Figures.setting(CHILD_TTL),
                            "LEASE_REAPER_INTERVAL", Figures.setting(REAPER)));
            String settings = "parent LEASE_TTL " + Figures.setting(PARENT_TTL) + " (heartbeat every "
                    + Figures.setting(HEARTBEAT) + "), reaper " + Figures.setting(REAPER)
                    + "; RETRY_INITIAL_DELAY 100ms, RETRY_MAX_DELAY " + Figures.setting(RETRY_MAX);

            Instant childrenStarted = Instant.now();
            ChildOrchestrator usEast = topology.startChild("us-east-child", Scope.region("us-east"));
            ChildOrchestrator machineLearning = topology.startChild("machine-learning-child",
                    Scope.domain("machine-learning"));
            List<ChildOrchestrator> children = List.of(usEast, machineLearning);
            topology.awaitHealthy();
            Ledger ledger = new Ledger();
            children.forEach(ledger::track);
            registerServices(ledger, children, "before-parent", SERVICES_PER_CHILD);

            // Until the parent comes, each child keeps serving its services and says it has no parent.
            Duration rest = Duration.between(Instant.now(), childrenStarted.plus(HEAD_START));
            await("children serving without a parent").during(rest.isNegative() ? Duration.ZERO : rest)
                    .atMost(HEAD_START.plusSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> withoutParent(usEast) && withoutParent(machineLearning));

            ParentOrchestrator parent = topology.startParent();
            parent.process().awaitHealthy(Duration.ofSeconds(60));
            Optional<Duration> converged = timeUntil(Instant.now(), Duration.ofSeconds(30),
                    () -> TreeView.read(topology.parent(), children).against(ledger).exact());
            Scenario.conclude(Fault.CHILD_STARTED_BEFORE_PARENT, run, ledger,
                    TreeView.read(topology.parent(), children), converged, BOUND, settings, Map.of());
            for (ChildOrchestrator child : children) {
                ledger.childRegistered(child, child.info().getOrchestratorId());
            }

            Ledger twice = new Ledger();
            for (ChildOrchestrator child : children) {
                twice.childRegistered(child, ledger.childId(child));
                ledger.at(child).forEach((id, url) -> twice.registered(child, id, url));
            }
            topology.crashParent();
            registerServices(twice, children, "first-outage", 5);
            topology.startParent().process().awaitHealthy(Duration.ofSeconds(60));
            // Killed again as soon as it answers: the children are in the middle of coming back.
            topology.crashParent();
            registerServices(twice, children, "second-outage", 5);
            topology.startParent().process().awaitHealthy(Duration.ofSeconds(60));
            converged = timeUntil(Instant.now(), Duration.ofSeconds(30),
                    () -> TreeView.read(topology.parent(), children).against(twice).exact());
            // The ledger expects the ids the children had before: both restarts must keep them.
            Scenario.conclude(Fault.PARENT_RESTARTED_TWICE, run, twice, TreeView.read(topology.parent(), children),
                    converged, BOUND, settings, Map.of());
            assertThat(twice.registrations()).isEqualTo(2 * (SERVICES_PER_CHILD + 10));
        }
    }

    private static void registerServices(Ledger ledger, List<ChildOrchestrator> children, String phase, int count)
            throws Exception {
        for (ChildOrchestrator child : children) {
            for (int n = 0; n < count; n++) {
                Scenario.register(ledger, child,
                        "http://svc-" + n + "." + phase + "." + child.scope().label() + ".startup-order.test:8080");
            }
        }
    }

    private static boolean withoutParent(ChildOrchestrator child) throws Exception {
        HealthReport health = child.health().getHealth();
        return health.getStatus() == HealthState.DEGRADED && child.info().getOrchestratorId() == null
                && child.allServices().size() == SERVICES_PER_CHILD;
    }
}
