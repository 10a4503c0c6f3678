package dev.canopy.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which key each operation takes, as the app's own OpenAPI document declares it: {@code security: []}
 * is open; {@code security: [canopyKey: []]} takes the kinds of key listed in {@code x-canopy-keys}
 * (and an admin key). The document is the bundled one the app serves (read in the JSON rendering the
 * build makes of it), so what is enforced and what is published come from one text. A document that
 * leaves an operation's security undeclared, or names a kind that does not exist, is refused:
 * undeclared must not mean open.
 */
public final class OperationSecurity {
    static final String SCHEME = "canopyKey";
    static final String KINDS = "x-canopy-keys";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /** What one operation asks for: nothing ({@code open}), or a key of one of {@code kinds}. */
    public record Requirement(String operationId, boolean open, Set<KeyKind> kinds) {
        public Requirement {
            kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        }

        /** Only a read key (or an admin key) does. */
        public boolean isRead() {
            return kinds.equals(Set.of(KeyKind.READ));
        }
    }

    private final String document;
    private final Map<String, Requirement> byOperationId;

    private OperationSecurity(String document, Map<String, Requirement> byOperationId) {
        this.document = document;
        this.byOperationId = Map.copyOf(byOperationId);
    }

    /**
     * Reads the JSON rendering of the app's bundled document, which api-spec's build writes beside the
     * YAML one from the same source: it parses in about a fifth of the time, at start-up
     * (docs/performance.md). {@code OperationSecurityTest} checks that both give the same requirements.
     *
     * @param document the app's document name in api-spec, e.g. {@code parent}
     */
    public static OperationSecurity of(String document) {
        String resource = "/openapi/" + document + ".json";
        try (InputStream in = OperationSecurity.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            return of(document, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
    }

    static OperationSecurity of(String document, JsonNode root) {
        Map<String, Requirement> requirements = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String where = document + ": " + op.getKey().toUpperCase() + " " + path.getKey();
                String operationId = op.getValue().path("operationId").asText(null);
                if (operationId == null) {
                    throw new IllegalStateException(where + " has no operationId");
                }
                requirements.put(operationId, requirementOf(where, operationId, op.getValue()));
            }
        }
        return new OperationSecurity(document, requirements);
    }

    private static Requirement requirementOf(String where, String operationId, JsonNode operation) {
        JsonNode security = operation.get("security");
        if (security == null || !security.isArray()) {
            throw new IllegalStateException(where + " does not declare its security (security: [] if it is open)");
        }
        if (security.isEmpty()) {
            return new Requirement(operationId, true, Set.of());
        }
        if (security.size() != 1 || security.get(0).size() != 1 || !security.get(0).has(SCHEME)) {
            throw new IllegalStateException(where + " must declare security: [" + SCHEME + ": []] or []");
        }
        JsonNode kinds = operation.path(KINDS);
        if (!kinds.isArray() || kinds.isEmpty()) {
            throw new IllegalStateException(where + " takes a key but does not say which kind (" + KINDS + ")");
        }
        Set<KeyKind> taken = EnumSet.noneOf(KeyKind.class);
        for (JsonNode kind : kinds) {
            try {
                taken.add(KeyKind.ofSpecName(kind.asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ": " + KINDS + " names an " + e.getMessage(), e);
            }
        }
        return new Requirement(operationId, false, taken);
    }

    /** The operation's requirement, by its operationId (which the generated interface's method is named after). */
    public Optional<Requirement> find(String operationId) {
        return Optional.ofNullable(byOperationId.get(operationId));
    }

    public Map<String, Requirement> all() {
        return byOperationId;
    }

    public String document() {
        return document;
    }
}
