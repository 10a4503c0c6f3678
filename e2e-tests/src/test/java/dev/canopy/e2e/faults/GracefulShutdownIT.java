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
 * Fault 6: a service, then a child, stopped with SIGTERM. Each deregisters on its way out (a child
 * from its parent, taking its services with it), so it is gone everywhere at once; the leases are
 * 30 s long, so anything that waited for them would show.
 */
class GracefulShutdownIT {
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration REAPER = Duration.ofMillis(200);
    /** A tenth of the TTL: signal, shutdown, deregistration and forward, on a loaded 2-core machine. */
    private static final Duration BOUND = Duration.ofSeconds(3);
    private static final int SERVICES_PER_CHILD = 5;

    @Test
    void aServiceAndThenAChildStoppedWithSigtermAreGoneEverywhereAtOnce() throws Exception {
        for (int run = 1; run <= Figures.runs(); run++) {
            stopAServiceThenAChild(run);
        }
    }

    private void stopAServiceThenAChild(int run) throws Exception {
        try (Topology topology = new Topology("GracefulShutdownIT-" + run)) {
            Map<String, String> leases = Map.of("LEASE_TTL", Figures.setting(TTL),
                    "LEASE_REAPER_INTERVAL", Figures.setting(REAPER));
            topology.configure(App.PARENT, leases).configure(App.CHILD, leases);
            String settings = "child and parent LEASE_TTL " + Figures.setting(TTL) + ", reaper " + Figures.setting(REAPER);
            ParentOrchestrator parent = topology.startParent();
            ChildOrchestrator stopping = topology.startChild("us-east-child", Scope.region("us-east"));
            ChildOrchestrator staying = topology.startChild("eu-west-child", Scope.region("eu-west"));
            ExampleService checkout = topology.startExampleService("checkout", stopping.url());
            ExampleService payments = topology.startExampleService("payments", stopping.url());
            topology.awaitHealthy();
            Ledger ledger = new Ledger();
            Scenario.awaitLinked(ledger, stopping, staying);
            String checkoutId = Scenario.awaitRegistered(ledger, stopping, checkout);
            String paymentsId = Scenario.awaitRegistered(ledger, stopping, payments);
            for (int n = 0; n < SERVICES_PER_CHILD; n++) {
                Scenario.register(ledger, stopping, "http://svc-" + n + ".us-east.graceful.test:8080");
                Scenario.register(ledger, staying, "http://svc-" + n + ".eu-west.graceful.test:8080");
            }
            List<ChildOrchestrator> both = List.of(stopping, staying);
            converges().until(() -> TreeView.read(parent, both).against(ledger).exact());

            // Timed from the signal, looking while the process shuts down: it deregisters before it exits.
            Instant signalled = Instant.now();
            checkout.process().terminate();
            ledger.gone(stopping, checkoutId);
            Optional<Duration> gone = timeUntil(signalled, Duration.ofSeconds(10),
                    () -> TreeView.read(parent, both).against(ledger).exact());
            checkout.process().stop();
            TreeView afterService = TreeView.read(parent, both);
            Scenario.conclude(Fault.SERVICE_STOPPED, run, ledger, afterService, gone, BOUND, settings, Map.of());
            assertThat(afterService.servicesAtChildren().get(stopping.url())).doesNotContainKey(checkoutId)
                    .containsEntry(paymentsId, payments.url());
            assertThat(afterService.servicesAtParent()).doesNotContainKey(checkoutId).containsKey(paymentsId);

            Map<String, String> stoppingServices = ledger.at(stopping);
            String stoppingId = ledger.childId(stopping);
            signalled = Instant.now();
            stopping.process().terminate();
            ledger.childGone(stopping);
            List<ChildOrchestrator> remaining = List.of(staying);
            gone = timeUntil(signalled, Duration.ofSeconds(10),
                    () -> TreeView.read(parent, remaining).against(ledger).exact());
            stopping.process().stop();
            TreeView afterChild = TreeView.read(parent, remaining);
            Scenario.conclude(Fault.CHILD_STOPPED, run, ledger, afterChild, gone, BOUND, settings, Map.of());
            assertThat(afterChild.orchestratorsAtParent()).containsOnlyKeys(ledger.childId(staying))
                    .doesNotContainKey(stoppingId);
            assertThat(afterChild.servicesAtParent())
                    .doesNotContainKeys(stoppingServices.keySet().toArray(String[]::new))
                    .containsOnlyKeys(ledger.at(staying).keySet());
        }
    }
}
