package dev.canopy.parent.core;

import dev.canopy.api.model.LeaseStatus;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.SyncState;
import dev.canopy.core.registry.Holding;
import dev.canopy.core.registry.ServiceRecord;
import dev.canopy.core.registry.Views;
import java.util.List;

/** The parent's records as the contract's models. */
public final class OrchestratorViews {
    private OrchestratorViews() {
    }

    public static OrchestratorDetail detail(OrchestratorRecord record, int serviceCount, String servicesDigest) {
        return new OrchestratorDetail(record.id(), record.url(), record.info(), record.region(), record.domain(),
                Views.utc(record.registeredAt()), Views.utc(record.lastUpdated()), serviceCount, LeaseStatus.ALIVE,
                Views.utc(record.lastPingAt()), Views.utc(record.expiresAt()),
                new SyncState(Views.utc(record.lastSyncAt()), record.pendingForwards(), record.inSync(),
                        servicesDigest));
    }

    public static OrchestratorDetail detail(OrchestratorRecord record, Holding held) {
        return detail(record, held.count(), held.formattedDigest());
    }

    /** With the count and digest the registry keeps: O(1), however many services it holds. */
    public static OrchestratorDetail detail(OrchestratorRecord record, ParentRegistry registry) {
        return detail(record, registry.holdingOf(record.id()));
    }

    /** A service carries its orchestrator's lease. */
    public static ServiceDetail service(ServiceRecord service, OrchestratorRecord holder) {
        return Views.detail(service, holder.lastPingAt(), holder.expiresAt());
    }

    public static ServiceDetail service(ServiceRecord service, ParentRegistry registry) {
        // A holder removed since the service was read: show the service as it was last touched.
        return registry.orchestrator(service.orchestratorId()).map(holder -> service(service, holder))
                .orElseGet(() -> Views.detail(service, service.lastUpdated(), service.lastUpdated()));
    }

    public static List<ServiceDetail> services(List<ServiceRecord> services, ParentRegistry registry) {
        return services.stream().map(service -> service(service, registry)).toList();
    }
}
