package dev.canopy.parent.core;

/** A service was forwarded under an orchestrator id the parent does not know (any more). */
public final class UnknownOrchestratorException extends RuntimeException {
    private final String orchestratorId;

    public UnknownOrchestratorException(String orchestratorId) {
        super("No orchestrator with id " + orchestratorId + " is registered", null, false, false);
        this.orchestratorId = orchestratorId;
    }

    public String orchestratorId() {
        return orchestratorId;
    }
}
