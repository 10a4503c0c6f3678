package dev.canopy.parent.metrics;

import dev.canopy.api.model.OrchestratorStats;
import dev.canopy.parent.core.OrchestratorRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The latest {@link ChildReport} of each registered child: one immutable value per orchestrator id,
 * replaced whole by each heartbeat, so a reader sees one heartbeat's figures, never a mix of two.
 * Kept apart from the registry, which need not know about figures: a report is shown only while it
 * belongs to the orchestrator's current registration, and forgotten when the orchestrator goes.
 */
public final class ChildReports {
    private final Map<String, ChildReport> latest = new ConcurrentHashMap<>();

    /** {@code orchestrator}, just renewed, sent {@code stats}. */
    public void record(OrchestratorRecord orchestrator, OrchestratorStats stats, Instant receivedAt) {
        latest.put(orchestrator.id(), ChildReport.of(orchestrator.id(), orchestrator.registeredAt(), receivedAt, stats));
    }

    /** The latest report of {@code orchestrator}'s current registration, if it sent one. */
    public Optional<ChildReport> latestOf(OrchestratorRecord orchestrator) {
        return Optional.ofNullable(latest.get(orchestrator.id()))
                .filter(report -> report.registeredAt().equals(orchestrator.registeredAt()));
    }

    public void forget(String orchestratorId) {
        latest.remove(orchestratorId);
    }

    /**
     * Drops the reports of orchestrators no longer registered: a heartbeat that raced with the
     * orchestrator's removal may have stored one after {@link #forget}. Only the very report found
     * absent is removed, never one stored meanwhile by a new registration.
     */
    public void prune(Predicate<String> registered) {
        latest.forEach((id, report) -> {
            if (!registered.test(id)) {
                latest.remove(id, report);
            }
        });
    }

    public int size() {
        return latest.size();
    }
}
