package dev.canopy.child.resources;

import dev.canopy.api.child.OrchestratorApi;
import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.core.registry.ServiceRegistry;
import dev.canopy.core.upstream.UpstreamRegistration;
import jakarta.ws.rs.core.Response;

public final class OrchestratorResource implements OrchestratorApi {
    private final UpstreamRegistration parentRegistration;
    private final ServiceRegistry services;
    private final String parentUrl;
    private final String region;
    private final String domain;

    public OrchestratorResource(UpstreamRegistration parentRegistration, ServiceRegistry services,
                                String parentUrl, String region, String domain) {
        this.parentRegistration = parentRegistration;
        this.services = services;
        this.parentUrl = parentUrl;
        this.region = region;
        this.domain = domain;
    }

    @Override
    public Response getOrchestratorInfo() {
        return Response.ok(new ChildOrchestratorInfo(parentRegistration.registeredId().orElse(null), parentUrl,
                region, domain, services.size())).build();
    }
}
