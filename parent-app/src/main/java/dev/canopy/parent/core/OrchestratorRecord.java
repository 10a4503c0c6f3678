package dev.canopy.parent.core;

import dev.canopy.core.registry.Info;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One child orchestrator as the parent knows it, immutable: who it is, its lease, and how its set of
 * services stood at the last contact ({@code lastSyncAt}: when the parent last took a change or a full
 * set from it; {@code pendingForwards} and {@code inSync}: what its last heartbeat said, null before).
 * {@code owner} is the key that registered it (see {@link dev.canopy.core.auth.Caller}): only that key,
 * or an admin key, may change it or its services.
 */
public record OrchestratorRecord(String id, String url, Map<String, Object> info, String region, String domain,
                                 Instant registeredAt, Instant lastUpdated, Instant lastPingAt, Instant expiresAt,
                                 Instant lastSyncAt, Integer pendingForwards, Boolean inSync, String owner) {
    public OrchestratorRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        info = Info.freeze(info);
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
        Objects.requireNonNull(lastPingAt, "lastPingAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** How people name it: its region, else its domain. */
    public String scope() {
        if (region != null) {
            return "region " + region;
        }
        return domain != null ? "domain " + domain : "no region or domain";
    }

    public OrchestratorRecord renewed(Instant now, Instant until, Integer pending, Boolean agrees) {
        return new OrchestratorRecord(id, url, info, region, domain, registeredAt, lastUpdated, now, until,
                lastSyncAt, pending, agrees, owner);
    }

    public OrchestratorRecord synced(Instant now, Boolean agrees) {
        return new OrchestratorRecord(id, url, info, region, domain, registeredAt, lastUpdated, lastPingAt,
                expiresAt, now, pendingForwards, agrees, owner);
    }

    public boolean expiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
