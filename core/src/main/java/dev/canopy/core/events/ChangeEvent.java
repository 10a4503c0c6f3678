package dev.canopy.core.events;

import java.time.Instant;
import java.util.function.Function;

/**
 * One change to a registry (or a snapshot of it), as a stream sends it: its index, its type, when it
 * happened, and what it is about under the name {@code field} ({@code service}, {@code orchestrator},
 * {@code hierarchy}, {@code services}). The payload is a view model built at the change and never
 * modified after.
 */
public final class ChangeEvent {
    public static final String SNAPSHOT = "snapshot";

    private final long index;
    private final String type;
    private final Instant at;
    private final String field;
    private final Object payload;
    // Encoded once, by the first stream that sends it, outside any registry lock; a race only encodes twice.
    private volatile String data;

    public ChangeEvent(long index, String type, Instant at, String field, Object payload) {
        this.index = index;
        this.type = type;
        this.at = at;
        this.field = field;
        this.payload = payload;
    }

    public long index() {
        return index;
    }

    public String type() {
        return type;
    }

    public Instant at() {
        return at;
    }

    public String field() {
        return field;
    }

    public Object payload() {
        return payload;
    }

    public boolean isSnapshot() {
        return SNAPSHOT.equals(type);
    }

    /** The event's data line, encoded by {@code encoder} the first time it is asked for. */
    public String data(Function<ChangeEvent, String> encoder) {
        String encoded = data;
        if (encoded == null) {
            encoded = encoder.apply(this);
            data = encoded;
        }
        return encoded;
    }

    @Override
    public String toString() {
        return index + " " + type;
    }
}
