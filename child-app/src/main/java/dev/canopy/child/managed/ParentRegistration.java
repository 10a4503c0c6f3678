package dev.canopy.child.managed;

import dev.canopy.api.model.OrchestratorLease;
import dev.canopy.api.model.OrchestratorPing;
import dev.canopy.api.model.OrchestratorRegistration;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.client.invoker.ApiException;
import dev.canopy.client.parent.OrchestratorsApi;
import dev.canopy.core.upstream.UpstreamFactory;
import dev.canopy.core.upstream.UpstreamRegistration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Registers this child with its parent orchestrator and keeps its lease: each heartbeat carries the
 * digest of the child's services, and the parent's answer (do our sets agree?) goes to the listeners.
 * On stop it deregisters, and the parent removes the child's services with it.
 */
public final class ParentRegistration extends UpstreamRegistration {
    private final OrchestratorsApi parent;
    private final OrchestratorRegistration registration;
    private final Supplier<OrchestratorPing> heartbeat;
    private final List<BiConsumer<OrchestratorPing, OrchestratorLease>> answerListeners = new CopyOnWriteArrayList<>();

    public ParentRegistration(OrchestratorsApi parent, String parentUrl, OrchestratorRegistration registration,
                              Supplier<OrchestratorPing> heartbeat, UpstreamFactory factory,
                              ScheduledExecutorService executor) {
        super("parent orchestrator " + parentUrl, factory, executor);
        this.parent = parent;
        this.registration = registration;
        this.heartbeat = heartbeat;
    }

    /**
     * {@code listener} hears, after each heartbeat, what it said (our digest, the changes still waiting
     * to be forwarded) and what the parent answered (does its copy agree, and its digest).
     */
    public void whenParentAnswers(BiConsumer<OrchestratorPing, OrchestratorLease> listener) {
        answerListeners.add(listener);
    }

    // Only the registration thread touches the request: each attempt sets the id to ask for.
    @Override
    protected Registered register(String previousId) throws ApiException {
        RegistrationResult result = parent.registerOrchestrator(registration.id(previousId));
        return new Registered(result.getId(), result.getTtlSeconds());
    }

    @Override
    protected void renew(String id) throws ApiException {
        OrchestratorPing ping = heartbeat.get();
        OrchestratorLease lease = parent.pingOrchestrator(id, ping);
        answerListeners.forEach(listener -> listener.accept(ping, lease));
    }

    @Override
    protected void deregister(String id) throws ApiException {
        unlessAlreadyGone(() -> parent.deregisterOrchestrator(id));
    }
}
