package dev.canopy.bench.propagation;

import java.util.Optional;

/**
 * Turns the lines of a {@code text/event-stream} into events, as the HTML standard's "interpreting an
 * event stream" says: a blank line dispatches what the fields before it built, {@code data} lines are
 * joined with newlines, a line starting with a colon is a comment (the parent's keep-alive), one space
 * after a field's colon is dropped, and the last {@code id} carries over to later events. Fed one line
 * at a time (without its terminator) by one reader thread.
 */
final class SseParser {
    /** One dispatched event: its type ({@code message} when none was named), data and last event id. */
    record Event(String type, String data, String lastEventId) {
    }

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type;
    private String lastEventId;
    private long retryMillis = -1;
    private boolean first = true;

    /** The event this line completes, if it is the blank line that ends one with data. */
    Optional<Event> line(String line) {
        if (first) {
            first = false;
            // A byte order mark may open the stream; it is not part of the first field's name.
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> type = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // Unknown fields are ignored, by the standard.
            }
        }
        return Optional.empty();
    }

    /** The last {@code id} the stream named, for {@code Last-Event-ID} on a reconnect; null before one. */
    String lastEventId() {
        return lastEventId;
    }

    /** The stream's {@code retry} in milliseconds; -1 until it sends one. */
    long retryMillis() {
        return retryMillis;
    }

    private Optional<Event> dispatch() {
        // A blank line after no data (e.g. after "retry: 1000") dispatches nothing and forgets the type.
        Optional<Event> event = hasData
                ? Optional.of(new Event(type == null || type.isEmpty() ? "message" : type, data.toString(), lastEventId))
                : Optional.empty();
        data.setLength(0);
        hasData = false;
        type = null;
        return event;
    }
}
