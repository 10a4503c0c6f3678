package dev.canopy.core.registry;

/**
 * A registration would take an orchestrator beyond the services it may hold. Refused as a conflict
 * with the registry's state, not as a rate: retrying cannot help until a service is deregistered.
 */
public final class ServiceLimitReachedException extends RuntimeException {
    public ServiceLimitReachedException(String orchestratorId, int limit) {
        super((orchestratorId == null ? "This orchestrator holds " : "Orchestrator " + orchestratorId + " holds ")
                + limit + " services, the most one orchestrator may hold here; a new service is refused until one"
                + " is deregistered (registered services can still be updated)", null, false, false);
    }
}
