package dev.canopy.core.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Deep, unmodifiable copies of the free-form {@code info} object, so a stored record can be shared by
 * every reader without anyone changing it underneath them. (Map.copyOf would refuse JSON nulls and lose
 * the order.) A map frozen once is not copied again.
 */
public final class Info {
    private Info() {
    }

    public static Map<String, Object> freeze(Map<String, ?> info) {
        if (info == null || info.isEmpty()) {
            return FrozenInfo.EMPTY;
        }
        if (FrozenInfo.isFrozen(info)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> frozen = (Map<String, Object>) info;
            return frozen;
        }
        Object[] keysAndValues = new Object[info.size() * 2];
        int i = 0;
        for (Map.Entry<String, ?> entry : info.entrySet()) {
            keysAndValues[i++] = Objects.requireNonNull(entry.getKey(), "info key");
            keysAndValues[i++] = freezeValue(entry.getValue());
        }
        return new FrozenInfo(keysAndValues);
    }

    /** The string under {@code key}, if it is one. */
    public static String text(Map<String, Object> info, String key) {
        return info.get(key) instanceof String text ? text : null;
    }

    @SuppressWarnings("unchecked")
    private static Object freezeValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return freeze((Map<String, ?>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(freezeValue(item)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
