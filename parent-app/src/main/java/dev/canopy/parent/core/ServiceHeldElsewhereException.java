package dev.canopy.parent.core;

/** A service id forwarded by one orchestrator is already held by another: ids are never shared. */
public final class ServiceHeldElsewhereException extends RuntimeException {
    public ServiceHeldElsewhereException(String serviceId, String holder) {
        super("Service " + serviceId + " is held by orchestrator " + holder + "; another orchestrator cannot"
                + " register it under the same id", null, false, false);
    }
}
