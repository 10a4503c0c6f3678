package dev.canopy.core.logging;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Structured log events: an {@code event} name and ids as separate JSON fields (the JSON layout
 * flattens the MDC into the line), instead of values spliced into the message text.
 *
 * <pre>Events.info(log, "service_registered").with("service_id", id).log("Service registered");</pre>
 */
public final class Events {
    private final Logger logger;
    private final Level level;
    private final List<String> keys = new ArrayList<>(6);
    private final List<String> values = new ArrayList<>(6);
    private Throwable error;

    private Events(Logger logger, Level level, String event) {
        this.logger = logger;
        this.level = level;
        with("event", event);
    }

    public static Events info(Logger logger, String event) {
        return new Events(logger, Level.INFO, event);
    }

    public static Events warn(Logger logger, String event) {
        return new Events(logger, Level.WARN, event);
    }

    public static Events error(Logger logger, String event) {
        return new Events(logger, Level.ERROR, event);
    }

    public static Events debug(Logger logger, String event) {
        return new Events(logger, Level.DEBUG, event);
    }

    public Events with(String key, Object value) {
        keys.add(key);
        values.add(value == null ? null : String.valueOf(value));
        return this;
    }

    public Events cause(Throwable throwable) {
        this.error = throwable;
        return this;
    }

    public void log(String message) {
        if (!logger.isEnabledForLevel(level)) {
            return;
        }
        String[] previous = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            previous[i] = MDC.get(keys.get(i));
            if (values.get(i) != null) {
                MDC.put(keys.get(i), values.get(i));
            }
        }
        try {
            logger.atLevel(level).setCause(error).log(message);
        } finally {
            for (int i = 0; i < keys.size(); i++) {
                if (previous[i] == null) {
                    MDC.remove(keys.get(i));
                } else {
                    MDC.put(keys.get(i), previous[i]);
                }
            }
        }
    }
}
