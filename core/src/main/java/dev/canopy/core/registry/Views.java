package dev.canopy.core.registry;

import dev.canopy.api.model.Lease;
import dev.canopy.api.model.LeaseStatus;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.ServiceDetail;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Stored records as the contract's models. */
public final class Views {
    private Views() {
    }

    /** A service at the parent, whose lease is its orchestrator's. */
    public static ServiceDetail detail(ServiceRecord record, Instant lastPingAt, Instant expiresAt) {
        return new ServiceDetail(record.id(), record.url(), record.info(), record.orchestratorId(),
                utc(record.registeredAt()), utc(record.lastUpdated()), LeaseStatus.ALIVE, utc(lastPingAt),
                utc(expiresAt));
    }

    /** A service at its child, with its own lease. */
    public static LocalService local(ServiceRecord record) {
        return new LocalService(record.id(), record.url(), record.info(), utc(record.registeredAt()),
                utc(record.lastUpdated()), LeaseStatus.ALIVE, utc(record.lastPingAt()), utc(record.expiresAt()));
    }

    public static Lease lease(ServiceRecord record) {
        return new Lease(record.id(), LeaseStatus.ALIVE, utc(record.lastPingAt()), utc(record.expiresAt()));
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
