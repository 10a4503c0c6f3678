package dev.canopy.core.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One registered service, immutable. {@code orchestratorId} is the child orchestrator holding it,
 * as the parent records it; a child's own records have none.
 */
public record ServiceRecord(String id, String url, Map<String, Object> info, String orchestratorId,
                            Instant registeredAt, Instant lastUpdated) {
    public ServiceRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        info = Info.freeze(info);
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
    }
}
