package dev.canopy.bench.propagation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tool's own log: one JSON object per line on stderr, with an event name; stdout keeps the result. */
final class Progress {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Progress() {
    }

    /** @param fields names and values, alternating */
    static void log(String event, Object... fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("event", event);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            line.put(String.valueOf(fields[i]), fields[i + 1]);
        }
        try {
            System.err.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            System.err.println("{\"event\":\"log_unwritable\"}");
        }
    }
}
