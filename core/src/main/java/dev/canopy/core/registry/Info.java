package dev.canopy.core.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, unmodifiable copies of the free-form {@code info} object, so a stored record can be shared by
 * every reader without anyone changing it underneath them. (Map.copyOf would refuse JSON nulls.)
 */
public final class Info {
    private Info() {
    }

    public static Map<String, Object> freeze(Map<String, ?> info) {
        if (info == null || info.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> copy = new LinkedHashMap<>(info.size() * 2);
        info.forEach((key, value) -> copy.put(key, freezeValue(value)));
        return Collections.unmodifiableMap(copy);
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
