package dev.canopy.e2e.faults;

import static dev.canopy.e2e.harness.Eventually.converges;
import static dev.canopy.e2e.harness.Eventually.timeUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.e2e.harness.App;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.FaultyProxy;
import dev.canopy.e2e.harness.Fault;
import dev.canopy.e2e.harness.Figures;
import dev.canopy.e2e.harness.Ledger;
import dev.canopy.e2e.harness.ParentOrchestrator;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import dev.canopy.e2e.harness.TreeView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fault 5: the children reach their parent through a proxy that the test makes slow (every request
 * held 3 s), then unavailable (503 for everything, long enough for the parent to evict them), then
 * healthy again. Meanwhile the children keep answering their own clients at their usual speed and
 * keep taking registrations; afterwards the parent holds exactly their sets.
 */
class SlowParentIT {
    private static final Duration PARENT_TTL = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = PARENT_TTL.dividedBy(3);
    private static final Duration REAPER = Duration.ofMillis(200);
    private static final Duration CHILD_TTL = Duration.ofSeconds(60);
    private static final Duration DELAY = Duration.ofSeconds(3);
    /** Each fault lasts this long: two TTLs of the parent, so the 503s cost the children their leases. */
    private static final Duration FAULT = Duration.ofSeconds(6);
    private static final int REGISTRATIONS_PER_CHILD_AND_FAULT = 30;
    /** Generous for a loopback call on a loaded 2-core machine; 15 times less than the delay a call to the parent would add. */
    private static final Duration LATENCY_BOUND = Duration.ofMillis(200);
    /**
     * After the proxy heals, a child hears 404 on its next heartbeat or forward retry (both within a
     * second), registers again after a jittered pause (at most 100 ms) and sends its set at once; a
     * second interval for the forwarder to wake from its backoff, and a second of slack for a loaded
     * 2-core machine.
     */
    private static final Duration BOUND = HEARTBEAT.multipliedBy(2).plusSeconds(1);

    @Test
    void childrenServeAtFullSpeedWhileTheirParentIsSlowOrDownAndConvergeAfter() throws Exception {
        for (int run = 1; run <= Figures.runs(); run++) {
            makeTheParentSlowThenUnavailable(run);
        }
    }

    private void makeTheParentSlowThenUnavailable(int run) throws Exception {
        try (Topology topology = new Topology("SlowParentIT-" + run);
             FaultyProxy proxy = FaultyProxy.start(topology.parentUrl())) {
            topology.configure(App.PARENT, Map.of("LEASE_TTL", Figures.setting(PARENT_TTL),
                            "LEASE_REAPER_INTERVAL", Figures.setting(REAPER)))
                    .configure(App.CHILD, Map.of("LEASE_TTL", Figures.setting(CHILD_TTL),
                            "LEASE_REAPER_INTERVAL", Figures.setting(REAPER)));
            ParentOrchestrator parent = topology.startParent();
            ChildOrchestrator usEast = topology.startChild("us-east-child", Scope.region("us-east"), proxy.url());
            ChildOrchestrator euWest = topology.startChild("eu-west-child", Scope.region("eu-west"), proxy.url());
            List<ChildOrchestrator> children = List.of(usEast, euWest);
            topology.awaitHealthy();
            Ledger ledger = new Ledger();
            Scenario.awaitLinked(ledger, usEast, euWest);

            // Untimed: the first calls through a client pay for class loading, on both sides.
            registerPaced(ledger, children, "warm-up", Duration.ZERO);
            Map<String, Long> figures = new LinkedHashMap<>();
            figures.put("registration_p99_before_ms", p99(registerPaced(ledger, children, "before", Duration.ofSeconds(2))));
            converges().until(() -> TreeView.read(parent, children).against(ledger).exact());

            proxy.slow(DELAY);
            figures.put("registration_p99_parent_slow_ms", p99(registerPaced(ledger, children, "slow", FAULT)));

            proxy.unavailable();
            Ledger duringOutage = new Ledger();
            children.forEach(duringOutage::track);
            List<Long> outage = registerPaced(duringOutage, children, "unavailable", FAULT);
            figures.put("registration_p99_parent_unavailable_ms", p99(outage));
            // The fault bit: nothing registered during the outage reached the parent.
            Set<String> reachedTheParent = TreeView.read(parent, children).servicesAtParent().keySet();
            for (ChildOrchestrator child : children) {
                assertThat(reachedTheParent).as("services registered at %s while the parent answered 503", child)
                        .doesNotContainAnyElementsOf(duringOutage.at(child).keySet());
                duringOutage.at(child).forEach((id, url) -> ledger.registered(child, id, url));
            }

            Instant healed = Instant.now();
            proxy.healthy();
            Optional<Duration> converged = timeUntil(healed, Duration.ofSeconds(30),
                    () -> TreeView.read(parent, children).against(ledger).exact());
            Scenario.conclude(Fault.PARENT_SLOW_THEN_UNAVAILABLE, run, ledger, TreeView.read(parent, children),
                    converged, BOUND, "parent LEASE_TTL " + Figures.setting(PARENT_TTL) + " (heartbeat every "
                            + Figures.setting(HEARTBEAT) + "), reaper " + Figures.setting(REAPER)
                            + "; proxy delay " + Figures.setting(DELAY) + " for " + Figures.setting(FAULT)
                            + ", then 503 for " + Figures.setting(FAULT)
                            + "; RETRY_INITIAL_DELAY 100ms, RETRY_MAX_DELAY 1s; children's client timeout 5s",
                    figures);

            assertThat(proxy.requests()).as("requests the children sent through the proxy").isPositive();
            figures.forEach((name, p99) -> assertThat(Duration.ofMillis(p99))
                    .as("%s: a child's answer to its own client", name).isLessThan(LATENCY_BOUND));
        }
    }

    @Test
    void aChildWhoseParentIsUnavailableShowsTheChangesItCouldNotForward() throws Exception {
        try (Topology topology = new Topology("SlowParentIT-pending");
             FaultyProxy proxy = FaultyProxy.start(topology.parentUrl())) {
            // A reconciliation every second, so that one is attempted (and fails) during the outage.
            topology.configure(App.CHILD, Map.of("LEASE_TTL", Figures.setting(CHILD_TTL), "RECONCILE_INTERVAL", "1s"));
            ParentOrchestrator parent = topology.startParent();
            ChildOrchestrator child = topology.startChild("us-east-child", Scope.region("us-east"), proxy.url());
            topology.awaitHealthy();
            Ledger ledger = new Ledger();
            Scenario.awaitLinked(ledger, child);

            proxy.unavailable();
            for (int n = 0; n < 3; n++) {
                Scenario.register(ledger, child, "http://svc-" + n + ".pending.slow-parent.test:8080");
            }

            await("the child showing the changes it could not forward").during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        assertThat(parent.allServices(null)).isEmpty();
                        assertThat(child.info().getSync().getPendingForwards()).isGreaterThanOrEqualTo(3);
                    });
        }
    }

    /**
     * Registers {@value #REGISTRATIONS_PER_CHILD_AND_FAULT} services at each child, spread evenly over
     * {@code span}, and returns how long each registration took, in milliseconds.
     */
    private static List<Long> registerPaced(Ledger ledger, List<ChildOrchestrator> children, String phase,
                                            Duration span) throws Exception {
        List<Long> latencies = new ArrayList<>();
        long pace = span.toNanos() / REGISTRATIONS_PER_CHILD_AND_FAULT;
        long start = System.nanoTime();
        for (int n = 0; n < REGISTRATIONS_PER_CHILD_AND_FAULT; n++) {
            for (ChildOrchestrator child : children) {
                long began = System.nanoTime();
                Scenario.register(ledger, child,
                        "http://svc-" + n + "." + phase + "." + child.scope().label() + ".slow-parent.test:8080");
                latencies.add((System.nanoTime() - began) / 1_000_000);
            }
            long next = start + (n + 1) * pace;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                // Pacing, not waiting for a condition: the registrations must span the whole fault.
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        return latencies;
    }

    /** The 99th percentile, nearest rank: of 60 samples, the largest. */
    private static long p99(List<Long> latencies) {
        List<Long> sorted = latencies.stream().sorted().toList();
        int rank = (int) Math.ceil(0.99 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
