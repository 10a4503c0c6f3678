package dev.canopy.parent.core;

import java.util.List;

/** A batch of a child's changes that cannot be applied as a whole; nothing of it was applied. */
public final class BatchRefusedException extends RuntimeException {
    public enum Reason {
        /** A change names a service another orchestrator holds: ids are never shared. */
        HELD_ELSEWHERE,
        /** A change would register one more service than the orchestrator may hold. */
        SERVICE_LIMIT
    }

    /** The change at {@code index} (its {@code field}, or the whole change when null), and why. */
    public record Refused(int index, String field, String reason) {
    }

    private final Reason reason;
    private final List<Refused> refused;

    public BatchRefusedException(Reason reason, List<Refused> refused) {
        super(refused.size() + " change(s) of the batch cannot be applied: " + refused.get(0).reason()
                + (refused.size() > 1 ? ", and more" : ""), null, false, false);
        this.reason = reason;
        this.refused = List.copyOf(refused);
    }

    public Reason reason() {
        return reason;
    }

    public List<Refused> refused() {
        return refused;
    }
}
