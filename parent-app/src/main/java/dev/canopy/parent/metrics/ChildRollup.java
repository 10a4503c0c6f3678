package dev.canopy.parent.metrics;

import dev.canopy.parent.core.OrchestratorRecord;
import dev.canopy.parent.core.ParentRegistry;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The children's own figures, as each reported them with its latest heartbeat, shown at the parent
 * as {@code canopy_child_*} labelled by the child's {@code orchestrator_id}, {@code region} and
 * {@code domain}. Read at scrape time from the registered orchestrators and their reports, so a child
 * that leaves (deregistered, evicted) leaves the roll-up with its registration.
 */
public final class ChildRollup {
    static final String[] LABELS = {"orchestrator_id", "region", "domain"};

    private final ParentRegistry registry;
    private final ChildReports reports;
    private final Clock clock;

    private ChildRollup(ParentRegistry registry, ChildReports reports, Clock clock) {
        this.registry = registry;
        this.reports = reports;
        this.clock = clock;
    }

    public static void register(PrometheusRegistry prometheus, ParentRegistry registry, ChildReports reports,
                                Clock clock) {
        ChildRollup rollup = new ChildRollup(registry, reports, clock);
        rollup.gauge(prometheus, "canopy_child_services", "Services the child holds, as it last reported",
                ChildReport::services);
        rollup.counter(prometheus, "canopy_child_registrations_total",
                "Services registered at the child since it started (new ones, not updates), as it last reported",
                ChildReport::registrations);
        rollup.counter(prometheus, "canopy_child_deregistrations_total",
                "Services deregistered at the child since it started, as it last reported",
                ChildReport::deregistrations);
        rollup.counter(prometheus, "canopy_child_lease_evictions_total",
                "Services the child evicted since it started because their lease ran out, as it last reported",
                ChildReport::evictions);
        rollup.counter(prometheus, "canopy_child_forwards_failed_total",
                "Forwards from the child to this parent that failed since it started, as it last reported",
                ChildReport::forwardsFailed);
        rollup.gauge(prometheus, "canopy_child_forwards_pending",
                "Services whose latest change the child has yet to forward here, as it last reported",
                ChildReport::forwardsPending);
        rollup.counter(prometheus, "canopy_child_reconciliations_total",
                "Complete sets the child sent and this parent acknowledged since it started, as it last reported",
                ChildReport::reconciliations);
        rollup.gauge(prometheus, "canopy_child_start_time_seconds",
                "When the child started, in seconds since the epoch: its counters count from then",
                report -> report.startedAt().toEpochMilli() / 1000.0);
        rollup.gauge(prometheus, "canopy_child_last_report_age_seconds",
                "Seconds since the child's latest report arrived; it reports with every heartbeat",
                report -> Duration.between(report.receivedAt(), clock.instant()).toMillis() / 1000.0);
    }

    private void gauge(PrometheusRegistry prometheus, String name, String help, ToDoubleFunction<ChildReport> value) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(LABELS)
                .callback(callback -> each(report -> callback.call(value.applyAsDouble(report.report()),
                        report.labels())))
                .register(prometheus);
    }

    private void counter(PrometheusRegistry prometheus, String name, String help, ToDoubleFunction<ChildReport> value) {
        CounterWithCallback.builder().name(name).help(help).labelNames(LABELS)
                .callback(callback -> each(report -> callback.call(value.applyAsDouble(report.report()),
                        report.labels())))
                .register(prometheus);
    }

    private record Labelled(ChildReport report, String[] labels) {
    }

    private void each(Consumer<Labelled> action) {
        reports.prune(id -> registry.orchestrator(id).isPresent());
        for (OrchestratorRecord orchestrator : registry.orchestrators()) {
            reports.latestOf(orchestrator).ifPresent(report -> action.accept(new Labelled(report, labels(orchestrator))));
        }
    }

    /** Prometheus reads an empty label as an absent one: a child without a region has none. */
    static String[] labels(OrchestratorRecord orchestrator) {
        return new String[] {orchestrator.id(), orchestrator.region() == null ? "" : orchestrator.region(),
                orchestrator.domain() == null ? "" : orchestrator.domain()};
    }
}
