package dev.canopy.parent.core;

import dev.canopy.core.registry.Info;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** One child orchestrator as the parent knows it, immutable. */
public record OrchestratorRecord(String id, String url, Map<String, Object> info, String region, String domain,
                                 Instant registeredAt, Instant lastUpdated) {
    public OrchestratorRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        info = Info.freeze(info);
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
    }

    /** How people name it: its region, else its domain. */
    public String scope() {
        if (region != null) {
            return "region " + region;
        }
        return domain != null ? "domain " + domain : "no region or domain";
    }
}
