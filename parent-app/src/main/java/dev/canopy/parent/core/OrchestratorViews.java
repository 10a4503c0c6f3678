package dev.canopy.parent.core;

import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.core.registry.Views;

/** Orchestrator records as the contract's models. */
public final class OrchestratorViews {
    private OrchestratorViews() {
    }

    public static OrchestratorDetail detail(OrchestratorRecord record, int serviceCount) {
        return new OrchestratorDetail(record.id(), record.url(), record.info(), record.region(), record.domain(),
                Views.utc(record.registeredAt()), Views.utc(record.lastUpdated()), serviceCount);
    }

    public static OrchestratorDetail detail(OrchestratorRecord record, ParentRegistry registry) {
        return detail(record, registry.serviceCountOf(record.id()));
    }
}
