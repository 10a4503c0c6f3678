package dev.canopy.core.events;

import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One change to a registry (or a snapshot of it), as a stream sends it: its index, its type, when it
 * happened, and what it is about under the name {@code field} ({@code service}, {@code orchestrator},
 * {@code hierarchy}, {@code services}). The payload is a view model of the state at the change, built
 * when a stream first sends it: most events are never sent, and a registry's last 10,000 views, kept
 * for a second or two under a stream of registrations, were about a quarter of what every young
 * collection copied.
 */
public final class ChangeEvent {
    public static final String SNAPSHOT = "snapshot";

    private final long index;
    private final String type;
    private final long atMillis;
    private final String field;
    private final Supplier<?> view;
    // Encoded once, by the first stream that sends it, outside any registry lock; a race only encodes twice.
    private volatile String data;

    /**
     * @param view builds the payload from values that never change (records, not live maps); it may run
     *             on any stream's thread, more than once
     */
    public ChangeEvent(long index, String type, long atMillis, String field, Supplier<?> view) {
        this.index = index;
        this.type = type;
        this.atMillis = atMillis;
        this.field = field;
        this.view = view;
    }

    public long index() {
        return index;
    }

    public String type() {
        return type;
    }

    public Instant at() {
        return Instant.ofEpochMilli(atMillis);
    }

    public String field() {
        return field;
    }

    public Object payload() {
        return view.get();
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
