package dev.canopy.parent.metrics;

import dev.canopy.api.model.OrchestratorStats;
import dev.canopy.parent.core.OrchestratorRecord;
import dev.canopy.parent.core.ParentRegistry;
import dev.canopy.parent.core.Removal;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;

/**
 * The parent's {@code canopy_*} figures. Sizes are read from the registry at scrape time; counters are
 * counted by the code that learns an outcome for certain (a registration that created an entry, a
 * removal that removed one), so a request retried after a lost answer, which only updates, is not
 * counted twice. The children's own figures come with their heartbeats ({@link ChildRollup}).
 */
public final class ParentMetrics {
    /** How services left: a deregistration, a child's complete set without them, or with their orchestrator. */
    public enum Via {
        REQUEST("request"), RECONCILE("reconcile"), ORCHESTRATOR_REMOVED("orchestrator_removed");

        private final String label;

        Via(String label) {
            this.label = label;
        }
    }

    private final ChildReports reports;
    private final Clock clock;
    private final Counter orchestratorRegistrations;
    private final Counter orchestratorDeregistrations;
    private final Counter evictions;
    private final Counter serviceRegistrations;
    private final Counter serviceDeregistrations;
    private final Counter reconciliations;

    public ParentMetrics(PrometheusRegistry prometheus, ParentRegistry registry, Clock clock) {
        this.reports = new ChildReports();
        this.clock = clock;
        GaugeWithCallback.builder().name("canopy_orchestrators").help("Child orchestrators registered here")
                .callback(callback -> callback.call(registry.orchestrators().size())).register(prometheus);
        GaugeWithCallback.builder().name("canopy_services").help("Services held here, per child orchestrator")
                .labelNames(ChildRollup.LABELS)
                .callback(callback -> {
                    for (OrchestratorRecord orchestrator : registry.orchestrators()) {
                        callback.call(registry.serviceCountOf(orchestrator.id()), ChildRollup.labels(orchestrator));
                    }
                })
                .register(prometheus);
        orchestratorRegistrations = Counter.builder().name("canopy_orchestrator_registrations_total")
                .help("Child orchestrators registered (new ones, not renewed or updated registrations)")
                .register(prometheus);
        orchestratorDeregistrations = Counter.builder().name("canopy_orchestrator_deregistrations_total")
                .help("Child orchestrators that deregistered").register(prometheus);
        evictions = Counter.builder().name("canopy_lease_evictions_total")
                .help("Registrations evicted because their lease ran out, by kind").labelNames("kind")
                .register(prometheus);
        evictions.labelValues("orchestrator");
        serviceRegistrations = Counter.builder().name("canopy_service_registrations_total")
                .help("Services stored here that were not here before: forwarded one by one (request) or in a "
                        + "child's complete set (reconcile)")
                .labelNames("via").register(prometheus);
        serviceRegistrations.labelValues(Via.REQUEST.label);
        serviceRegistrations.labelValues(Via.RECONCILE.label);
        serviceDeregistrations = Counter.builder().name("canopy_service_deregistrations_total")
                .help("Services removed here: deregistered (request), missing from a child's complete set "
                        + "(reconcile), or gone with their orchestrator (orchestrator_removed)")
                .labelNames("via").register(prometheus);
        for (Via via : Via.values()) {
            serviceDeregistrations.labelValues(via.label);
        }
        reconciliations = Counter.builder().name("canopy_reconciliations_total")
                .help("Complete sets taken from children").register(prometheus);
        ChildRollup.register(prometheus, registry, reports, clock);
    }

    public void orchestratorRegistered() {
        orchestratorRegistrations.inc();
    }

    public void orchestratorDeregistered(Removal removal) {
        orchestratorDeregistrations.inc();
        removed(removal);
    }

    public void orchestratorEvicted(Removal removal) {
        evictions.labelValues("orchestrator").inc();
        removed(removal);
    }

    /** Another orchestrator registered at its url and took its place. */
    public void orchestratorDisplaced(Removal removal) {
        removed(removal);
    }

    public void serviceRegistered() {
        serviceRegistrations.labelValues(Via.REQUEST.label).inc();
    }

    public void serviceDeregistered() {
        serviceDeregistrations.labelValues(Via.REQUEST.label).inc();
    }

    /** A batch of a child's changes: each of its changes counts as the request it stands for. */
    public void batchApplied(int created, int removed) {
        serviceRegistrations.labelValues(Via.REQUEST.label).inc(created);
        serviceDeregistrations.labelValues(Via.REQUEST.label).inc(removed);
    }

    public void reconciled(int added, int removed) {
        reconciliations.inc();
        serviceRegistrations.labelValues(Via.RECONCILE.label).inc(added);
        serviceDeregistrations.labelValues(Via.RECONCILE.label).inc(removed);
    }

    /** {@code orchestrator}'s heartbeat, just accepted, carried its figures. */
    public void reported(OrchestratorRecord orchestrator, OrchestratorStats stats) {
        if (stats != null) {
            reports.record(orchestrator, stats, clock.instant());
        }
    }

    private void removed(Removal removal) {
        serviceDeregistrations.labelValues(Via.ORCHESTRATOR_REMOVED.label).inc(removal.services().size());
        reports.forget(removal.orchestrator().id());
    }
}
