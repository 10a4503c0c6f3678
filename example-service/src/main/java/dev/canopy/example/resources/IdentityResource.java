package dev.canopy.example.resources;

import dev.canopy.api.model.ServiceIdentity;
import dev.canopy.api.service.IdentityApi;
import dev.canopy.core.upstream.UpstreamRegistration;
import jakarta.ws.rs.core.Response;

public final class IdentityResource implements IdentityApi {
    private final String name;
    private final String version;
    private final String url;
    private final String orchestratorUrl;
    private final UpstreamRegistration registration;

    public IdentityResource(String name, String version, String url, String orchestratorUrl,
                            UpstreamRegistration registration) {
        this.name = name;
        this.version = version;
        this.url = url;
        this.orchestratorUrl = orchestratorUrl;
        this.registration = registration;
    }

    @Override
    public Response getIdentity() {
        return Response.ok(new ServiceIdentity(name, version, url, orchestratorUrl,
                registration.registeredId().orElse(null))).build();
    }
}
