package dev.canopy.e2e.faults;

import static dev.canopy.e2e.harness.Eventually.converges;
import static dev.canopy.e2e.harness.Eventually.timeUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.e2e.harness.App;
import dev.canopy.e2e.harness.ChildOrchestrator;
import dev.canopy.e2e.harness.Fault;
import dev.canopy.e2e.harness.Figures;
import dev.canopy.e2e.harness.Ledger;
import dev.canopy.e2e.harness.Scope;
import dev.canopy.e2e.harness.Topology;
import dev.canopy.e2e.harness.TreeView;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fault 1: the parent is killed (-9) while three children keep taking registrations, and restarted
 * empty on the same port. Each child learns within a heartbeat that the parent forgot it, registers
 * again under its id and reconciles (reads the parent's copy in pages and sends what differs), so the
 * parent must hold exactly the children's sets (same ids, same urls, nothing lost, nothing twice)
 * within two heartbeat intervals.
 */
class ParentCrashIT {
    private static final int SERVICES = 1_000;
    private static final int KILL_AFTER = 300;
    private static final int RESTART_AFTER = 600;
    /** Spreads the 1,000 registrations over about four seconds, across the kill and the restart. */
    private static final Duration PACE = Duration.ofMillis(10);

    /** The children register their services for a minute: the load generator never renews them. */
    private static final Duration CHILD_TTL = Duration.ofSeconds(60);
    private static final Duration PARENT_TTL = Duration.ofSeconds(3);
    /** Children renew at the parent every third of its TTL (ttl_seconds / 3). */
    private static final Duration HEARTBEAT = PARENT_TTL.dividedBy(3);
    private static final Duration REAPER = Duration.ofMillis(200);
    /**
     * Two heartbeats, and a second for a loaded 2-core machine (four JVMs and the load generator): the
     * first heartbeat after the restart hears 404, the child registers again after a jittered pause
     * of at most RETRY_INITIAL_DELAY (100 ms) and sends its set of some 330 services at once.
     */
    private static final Duration BOUND = HEARTBEAT.multipliedBy(2).plusSeconds(1);

    @Test
    void aParentKilledUnderLoadAndRestartedConvergesToExactlyTheChildrensSets() throws Exception {
        for (int run = 1; run <= Figures.runs(); run++) {
            killAndRestartTheParentUnderLoad(run);
        }
    }

    private void killAndRestartTheParentUnderLoad(int run) throws Exception {
        try (Topology topology = new Topology("ParentCrashIT-" + run)) {
            topology.configure(App.PARENT, Map.of("LEASE_TTL", Figures.setting(PARENT_TTL),
                            "LEASE_REAPER_INTERVAL", Figures.setting(REAPER)))
                    .configure(App.CHILD, Map.of("LEASE_TTL", Figures.setting(CHILD_TTL),
                            "LEASE_REAPER_INTERVAL", Figures.setting(REAPER)));
            topology.startParent();
            List<ChildOrchestrator> children = List.of(
                    topology.startChild("us-east-child", Scope.region("us-east")),
                    topology.startChild("eu-west-child", Scope.region("eu-west")),
                    topology.startChild("machine-learning-child", Scope.domain("machine-learning")));
            topology.awaitHealthy();
            Ledger ledger = new Ledger();
            Scenario.awaitLinked(ledger, children.toArray(ChildOrchestrator[]::new));

            Instant since;
            Map<String, Long> figures = new LinkedHashMap<>();
            try (LoadGenerator load = new LoadGenerator(children, ledger)) {
                converges().until(() -> load.registered() >= KILL_AFTER);
                Instant killed = Instant.now();
                topology.crashParent();
                converges().until(() -> load.registered() >= RESTART_AFTER);
                topology.startParent().process().awaitHealthy(Duration.ofSeconds(60));
                Instant healthy = Instant.now();
                converges().until(load::done);
                since = healthy.isAfter(load.finishedAt()) ? healthy : load.finishedAt();
                assertThat(load.failures()).as("registrations the children failed or refused").isEmpty();
                figures.put("parent_away_ms", Duration.between(killed, healthy).toMillis());
                figures.put("registrations_while_away", (long) load.registeredBetween(killed, healthy));
                figures.put("load_ended_after_healthy_ms", Duration.between(healthy, since).toMillis());
            }
            assertThat(ledger.registrations()).isEqualTo(SERVICES);

            // The digests first (three small answers a look); then every entry, once they agree.
            Optional<Duration> converged = timeUntil(since, Duration.ofSeconds(30),
                    () -> TreeView.digestsAgree(topology.parent(), children)
                            && TreeView.read(topology.parent(), children).against(ledger).exact());
            Scenario.conclude(Fault.PARENT_KILLED_UNDER_LOAD, run, ledger, TreeView.read(topology.parent(), children),
                    converged, BOUND, "parent LEASE_TTL " + Figures.setting(PARENT_TTL) + " (heartbeat every "
                            + Figures.setting(HEARTBEAT) + "), reaper " + Figures.setting(REAPER)
                            + "; children LEASE_TTL " + Figures.setting(CHILD_TTL)
                            + "; RETRY_INITIAL_DELAY 100ms, RETRY_MAX_DELAY 1s",
                    figures);
        }
    }

    /**
     * Registers {@value #SERVICES} services, one thread per child taking turns in the urls, directly
     * at the children as their clients would, paced so the registrations span the parent's crash and
     * restart.
     */
    private static final class LoadGenerator implements AutoCloseable {
        private final ExecutorService threads;
        private final List<Future<?>> work;
        private final AtomicInteger registered = new AtomicInteger();
        private final Queue<Instant> answeredAt = new ConcurrentLinkedQueue<>();
        private final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private volatile Instant finishedAt;

        LoadGenerator(List<ChildOrchestrator> children, Ledger ledger) {
            threads = Executors.newFixedThreadPool(children.size());
            AtomicInteger remaining = new AtomicInteger(children.size());
            work = children.stream().<Future<?>>map(child -> threads.submit(() -> {
                int index = children.indexOf(child);
                for (int n = index; n < SERVICES; n += children.size()) {
                    String url = String.format("http://svc-%04d.%s.parent-crash.test:8080", n, child.scope().label());
                    try {
                        Scenario.register(ledger, child, url);
                        answeredAt.add(Instant.now());
                        registered.incrementAndGet();
                    } catch (Exception | AssertionError e) {
                        failures.add(url + " at " + child + ": " + e);
                    }
                    try {
                        Thread.sleep(PACE.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (remaining.decrementAndGet() == 0) {
                    finishedAt = Instant.now();
                }
            })).toList();
        }

        int registered() {
            return registered.get();
        }

        /** Registrations answered after {@code from} and before {@code to}. */
        int registeredBetween(Instant from, Instant to) {
            return (int) answeredAt.stream().filter(at -> at.isAfter(from) && at.isBefore(to)).count();
        }

        boolean done() {
            return work.stream().allMatch(Future::isDone);
        }

        Instant finishedAt() {
            return finishedAt;
        }

        Queue<String> failures() {
            return failures;
        }

        @Override
        public void close() throws InterruptedException {
            threads.shutdownNow();
            threads.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
