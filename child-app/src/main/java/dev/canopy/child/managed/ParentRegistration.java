package dev.canopy.child.managed;

import dev.canopy.api.model.OrchestratorRegistration;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.client.parent.OrchestratorsApi;
import dev.canopy.core.upstream.UpstreamFactory;
import dev.canopy.core.upstream.UpstreamRegistration;
import java.util.concurrent.ScheduledExecutorService;

/** Registers this child with its parent orchestrator, and deregisters it (with its services) on stop. */
public final class ParentRegistration extends UpstreamRegistration {
    private final OrchestratorsApi parent;
    private final OrchestratorRegistration registration;

    public ParentRegistration(OrchestratorsApi parent, String parentUrl, OrchestratorRegistration registration,
                              UpstreamFactory factory, ScheduledExecutorService executor) {
        super("parent orchestrator " + parentUrl, factory, executor);
        this.parent = parent;
        this.registration = registration;
    }

    @Override
    protected String register() throws ApiException {
        return parent.registerOrchestrator(registration).getId();
    }

    @Override
    protected void deregister(String id) throws ApiException {
        unlessAlreadyGone(() -> parent.deregisterOrchestrator(id));
    }
}
