package dev.canopy.example.managed;

import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.client.child.ServicesApi;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.core.upstream.UpstreamFactory;
import dev.canopy.core.upstream.UpstreamRegistration;
import java.util.concurrent.ScheduledExecutorService;

/** Registers this service with its child orchestrator, and deregisters it on stop. */
public final class ChildRegistration extends UpstreamRegistration {
    private final ServicesApi orchestrator;
    private final LocalServiceRegistration registration;

    public ChildRegistration(ServicesApi orchestrator, String orchestratorUrl, LocalServiceRegistration registration,
                             UpstreamFactory factory, ScheduledExecutorService executor) {
        super("child orchestrator " + orchestratorUrl, factory, executor);
        this.orchestrator = orchestrator;
        this.registration = registration;
    }

    @Override
    protected String register() throws ApiException {
        return orchestrator.registerService(registration).getId();
    }

    @Override
    protected void deregister(String id) throws ApiException {
        unlessAlreadyGone(() -> orchestrator.deregisterService(id));
    }
}
