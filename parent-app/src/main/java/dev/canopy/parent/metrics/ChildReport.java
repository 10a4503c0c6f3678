package dev.canopy.parent.metrics;

import dev.canopy.api.model.OrchestratorStats;
import java.time.Instant;
import java.util.Objects;

/**
 * The figures one child sent with its latest heartbeat, immutable. {@code registeredAt} names the
 * registration it came under: a child removed and registered again under the same id is another
 * registration, and a report of the old one is not shown for the new.
 */
public record ChildReport(String orchestratorId, Instant registeredAt, Instant receivedAt, Instant startedAt,
                          int services, long registrations, long deregistrations, long evictions,
                          long forwardsFailed, int forwardsPending, long reconciliations) {
    public ChildReport {
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    static ChildReport of(String orchestratorId, Instant registeredAt, Instant receivedAt, OrchestratorStats stats) {
        return new ChildReport(orchestratorId, registeredAt, receivedAt, stats.getStartedAt().toInstant(),
                stats.getServices(), stats.getRegistrations(), stats.getDeregistrations(), stats.getEvictions(),
                stats.getForwardsFailed(), stats.getForwardsPending(), stats.getReconciliations());
    }
}
