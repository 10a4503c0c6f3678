package dev.canopy.child.resources;

import dev.canopy.api.child.OrchestratorApi;
import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.SyncState;
import dev.canopy.child.managed.ParentForwarder;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.registry.Views;
import dev.canopy.core.upstream.UpstreamRegistration;
import jakarta.ws.rs.core.Response;

public final class OrchestratorResource implements OrchestratorApi {
    private final UpstreamRegistration parentRegistration;
    private final ParentForwarder forwarder;
    private final ServiceRegistry services;
    private final String parentUrl;
    private final String region;
    private final String domain;

    public OrchestratorResource(UpstreamRegistration parentRegistration, ParentForwarder forwarder,
                                ServiceRegistry services, String parentUrl, String region, String domain) {
        this.parentRegistration = parentRegistration;
        this.forwarder = forwarder;
        this.services = services;
        this.parentUrl = parentUrl;
        this.region = region;
        this.domain = domain;
    }

    @Override
    public Response getOrchestratorInfo() {
        SyncState sync = new SyncState(forwarder.lastSyncAt().map(Views::utc).orElse(null), forwarder.pending(),
                forwarder.inSync().orElse(null), services.digest());
        return Response.ok(new ChildOrchestratorInfo(parentRegistration.registeredId().orElse(null), parentUrl,
                region, domain, services.size(), sync)).build();
    }
}
