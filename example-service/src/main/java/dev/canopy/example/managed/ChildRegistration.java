package dev.canopy.example.managed;

import dev.canopy.api.model.LocalServiceRegistration;
import dev.canopy.client.child.ServicesApi;
import dev.canopy.client.child.invoker.ApiException;
import dev.canopy.core.upstream.Backoff;
import dev.canopy.core.upstream.UpstreamRegistration;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** Registers this service with its child orchestrator, and deregisters it on stop. */
public final class ChildRegistration extends UpstreamRegistration {
    private final ServicesApi orchestrator;
    private final LocalServiceRegistration registration;

    public ChildRegistration(ServicesApi orchestrator, String orchestratorUrl, LocalServiceRegistration registration,
                             ScheduledExecutorService executor, Backoff backoff, Duration initialDelay,
                             Duration stopTimeout) {
        super("child orchestrator " + orchestratorUrl, executor, backoff, initialDelay, stopTimeout);
        this.orchestrator = orchestrator;
        this.registration = registration;
    }

    @Override
    protected String register() throws ApiException {
        return orchestrator.registerService(registration).getId();
    }

    @Override
    protected void deregister(String id) throws ApiException {
        try {
            orchestrator.deregisterService(id);
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    protected String describe(Throwable error) {
        if (error instanceof ApiException api && api.getCode() > 0) {
            return "HTTP " + api.getCode() + " from the orchestrator: " + api.getMessage();
        }
        return super.describe(error);
    }
}
