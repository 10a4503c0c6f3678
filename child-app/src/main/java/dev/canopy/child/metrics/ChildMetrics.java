package dev.canopy.child.metrics;

import dev.canopy.api.model.OrchestratorStats;
import dev.canopy.child.managed.ParentForwarder;
import dev.canopy.core.registry.ServiceRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The child's {@code canopy_*} figures, served at its own {@code /metrics} and sent to the parent with
 * every heartbeat ({@link #stats}), from one set of counters. Counters are counted where the outcome
 * is certain: a registration that created a service (a retried one only updates it), a removal that
 * removed one, a call the parent did not acknowledge, a reconciliation that left its copy equal.
 */
public final class ChildMetrics implements ParentForwarder.Outcomes {
    private final ServiceRegistry services;
    private final ParentForwarder forwarder;
    private final Instant startedAt;
    private final Counter registrations;
    private final Counter deregistrations;
    private final Counter evictions;
    private final Counter forwardsFailed;
    private final Counter reconciliations;

    public ChildMetrics(PrometheusRegistry prometheus, ServiceRegistry services, ParentForwarder forwarder,
                        Instant startedAt) {
        this.services = services;
        this.forwarder = forwarder;
        this.startedAt = startedAt;
        GaugeWithCallback.builder().name("canopy_services").help("Services registered here")
                .callback(callback -> callback.call(services.size())).register(prometheus);
        GaugeWithCallback.builder().name("canopy_forwards_pending")
                .help("Services whose latest change the parent has not acknowledged yet")
                .callback(callback -> callback.call(forwarder.pending())).register(prometheus);
        registrations = Counter.builder().name("canopy_service_registrations_total")
                .help("Services registered here (new ones, not updates)").register(prometheus);
        deregistrations = Counter.builder().name("canopy_service_deregistrations_total")
                .help("Services removed here: deregistered, or displaced by a service taking over their url")
                .register(prometheus);
        evictions = Counter.builder().name("canopy_lease_evictions_total")
                .help("Registrations evicted because their lease ran out, by kind").labelNames("kind")
                .register(prometheus);
        evictions.labelValues("service");
        forwardsFailed = Counter.builder().name("canopy_forwards_failed_total")
                .help("Calls to the parent (a batch of changes, or a page of its copy while reconciling) that it "
                        + "did not answer or refused, or that found it not knowing this child; each retry counts")
                .register(prometheus);
        reconciliations = Counter.builder().name("canopy_reconciliations_total")
                .help("Reconciliations that ended with the parent's copy equal to this child's set").register(prometheus);
    }

    public void serviceRegistered() {
        registrations.inc();
    }

    public void serviceDeregistered() {
        deregistrations.inc();
    }

    public void serviceEvicted() {
        evictions.labelValues("service").inc();
    }

    @Override
    public void forwardFailed() {
        forwardsFailed.inc();
    }

    @Override
    public void reconciled() {
        reconciliations.inc();
    }

    /** What the heartbeat tells the parent: these same figures, and since when they count. */
    public OrchestratorStats stats() {
        return new OrchestratorStats(startedAt.atOffset(ZoneOffset.UTC), services.size(), (long) registrations.get(),
                (long) deregistrations.get(), (long) evictions.labelValues("service").get(),
                (long) forwardsFailed.get(), forwarder.pending(), (long) reconciliations.get());
    }
}
