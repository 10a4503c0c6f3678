package dev.canopy.core.registry;

/** What one change did to one service; {@link #eventType()} names it on an event stream. */
public enum ServiceChange {
    REGISTERED("service.registered"),
    UPDATED("service.updated"),
    DEREGISTERED("service.deregistered"),
    EVICTED("service.evicted");

    private final String eventType;

    ServiceChange(String eventType) {
        this.eventType = eventType;
    }

    public String eventType() {
        return eventType;
    }

    /**
     * Told each change a {@link ServiceRegistry} makes, in the order it makes them, under its write
     * lock: a listener sees exactly the sequence of states the registry went through. It must be quick
     * and must not block (no I/O).
     */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (change, record) -> {
        };

        /** @param record the service after the change; after a removal, as it last was */
        void changed(ServiceChange change, ServiceRecord record);
    }
}
