package dev.canopy.example.managed;

import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.client.child.ServicesApi;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.core.upstream.UpstreamFactory;
import dev.canopy.core.upstream.UpstreamRegistration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Registers this service with its child orchestrator, renews its lease there, registers again under
 * the same id if the child forgot it, and deregisters it on stop.
 */
public final class ChildRegistration extends UpstreamRegistration {
    private final ServicesApi orchestrator;
    private final LocalServiceRegistration registration;

    public ChildRegistration(ServicesApi orchestrator, String orchestratorUrl, LocalServiceRegistration registration,
                             UpstreamFactory factory, ScheduledExecutorService executor) {
        super("child orchestrator " + orchestratorUrl, factory, executor);
        this.orchestrator = orchestrator;
        this.registration = registration;
    }

    // Only the registration thread touches the request: each attempt sets the id to ask for.
    @Override
    protected Registered register(String previousId) throws ApiException {
        RegistrationResult result = orchestrator.registerService(registration.id(previousId));
        return new Registered(result.getId(), result.getTtlSeconds());
    }

    @Override
    protected void renew(String id) throws ApiException {
        orchestrator.pingService(id);
    }

    @Override
    protected void deregister(String id) throws ApiException {
        unlessAlreadyGone(() -> orchestrator.deregisterService(id));
    }
}
