package dev.canopy.core.registry;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One registered service, immutable. {@code orchestratorId} is the child orchestrator holding it,
 * as the parent records it; a child's own records have none. A child's records carry their lease
 * ({@code lastPingAt}, {@code expiresAt}); the parent's follow their orchestrator's lease and carry
 * none. {@code digest} is the service's share of {@link ServicesDigest}. {@code owner} is the key that
 * registered it at a child (see {@link dev.canopy.core.auth.Caller}); the parent's records have none,
 * their orchestrator's owner stands for them.
 */
public record ServiceRecord(String id, String url, Map<String, Object> info, String orchestratorId,
                            Instant registeredAt, Instant lastUpdated, Instant lastPingAt, Instant expiresAt,
                            long digest, String owner) {
    public ServiceRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        info = Info.freeze(info);
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
    }

    public static ServiceRecord of(String id, String url, Map<String, ?> info, String orchestratorId,
                                   Instant registeredAt, Instant lastUpdated, Instant lastPingAt, Instant expiresAt) {
        return of(id, url, info, orchestratorId, registeredAt, lastUpdated, lastPingAt, expiresAt, null);
    }

    public static ServiceRecord of(String id, String url, Map<String, ?> info, String orchestratorId,
                                   Instant registeredAt, Instant lastUpdated, Instant lastPingAt, Instant expiresAt,
                                   String owner) {
        Map<String, Object> frozen = Info.freeze(info);
        return new ServiceRecord(id, url, frozen, orchestratorId, registeredAt, lastUpdated, lastPingAt, expiresAt,
                ServicesDigest.of(id, url, frozen), owner);
    }

    /** The same service with its lease renewed. */
    public ServiceRecord renewed(Instant pingAt, Instant until) {
        return new ServiceRecord(id, url, info, orchestratorId, registeredAt, lastUpdated, pingAt, until, digest,
                owner);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
