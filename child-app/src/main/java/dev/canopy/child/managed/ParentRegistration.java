package dev.canopy.child.managed;

import dev.canopy.api.model.OrchestratorRegistration;
import dev.canopy.client.parent.OrchestratorsApi;
import dev.canopy.client.parent.invoker.ApiException;
import dev.canopy.core.upstream.Backoff;
import dev.canopy.core.upstream.UpstreamRegistration;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** Registers this child with its parent orchestrator, and deregisters it (with its services) on stop. */
public final class ParentRegistration extends UpstreamRegistration {
    private final OrchestratorsApi parent;
    private final OrchestratorRegistration registration;

    public ParentRegistration(OrchestratorsApi parent, String parentUrl, OrchestratorRegistration registration,
                              ScheduledExecutorService executor, Backoff backoff, Duration initialDelay,
                              Duration stopTimeout) {
        super("parent orchestrator " + parentUrl, executor, backoff, initialDelay, stopTimeout);
        this.parent = parent;
        this.registration = registration;
    }

    @Override
    protected String register() throws ApiException {
        return parent.registerOrchestrator(registration).getId();
    }

    @Override
    protected void deregister(String id) throws ApiException {
        try {
            parent.deregisterOrchestrator(id);
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    protected String describe(Throwable error) {
        if (error instanceof ApiException api && api.getCode() > 0) {
            return "HTTP " + api.getCode() + " from the parent: " + api.getMessage();
        }
        return super.describe(error);
    }
}
