package dev.canopy.core.registry;

import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.ServiceDetail;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Stored records as the contract's models. */
public final class Views {
    private Views() {
    }

    public static ServiceDetail detail(ServiceRecord record) {
        return new ServiceDetail(record.id(), record.url(), record.info(), record.orchestratorId(),
                utc(record.registeredAt()), utc(record.lastUpdated()));
    }

    public static List<ServiceDetail> details(List<ServiceRecord> records) {
        return records.stream().map(Views::detail).toList();
    }

    public static LocalService local(ServiceRecord record) {
        return new LocalService(record.id(), record.url(), record.info(),
                utc(record.registeredAt()), utc(record.lastUpdated()));
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
