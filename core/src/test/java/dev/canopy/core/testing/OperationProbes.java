package dev.canopy.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.canopy.core.Ids;
import dev.canopy.core.auth.OperationSecurity;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request for each operation in an app's document, to hold what the app enforces against what the
 * document declares: a test sends each with no key, a read key, a write key, and compares the answer
 * with the operation's {@link OperationSecurity.Requirement}. Ids in paths are fresh ULIDs, bodies
 * {@code {}}: the point is who gets past the door, not what happens inside. An event stream is asked
 * to resume after an index that is none, so that past the door it answers 400 instead of staying open.
 */
public final class OperationProbes {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete");

    /** One operation, ready to be sent. */
    public record Probe(String operationId, String method, String path, String query,
                        OperationSecurity.Requirement requirement) {
        public Response send(Client client, String base, String authorization) {
            WebTarget target = client.target(base).path(path);
            if (query != null) {
                target = target.queryParam(query.substring(0, query.indexOf('=')),
                        query.substring(query.indexOf('=') + 1));
            }
            Invocation.Builder request = target.request();
            if (authorization != null) {
                request.header(HttpHeaders.AUTHORIZATION, authorization);
            }
            return "GET".equals(method) || "DELETE".equals(method)
                    ? request.method(method)
                    : request.method(method, Entity.json("{}"));
        }

        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query) + " (" + operationId + ")";
        }
    }

    private OperationProbes() {
    }

    /** @param document the app's document name, e.g. {@code parent} */
    public static List<Probe> of(String document) {
        OperationSecurity security = OperationSecurity.of(document);
        List<Probe> probes = new ArrayList<>();
        JsonNode root = read(document);
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            String concrete = path.getKey().replaceAll("\\{[^}]+}", Ids.next());
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    String operationId = op.getValue().path("operationId").asText();
                    boolean stream = op.getValue().path("responses").path("200").path("content")
                            .has("text/event-stream");
                    probes.add(new Probe(operationId, op.getKey().toUpperCase(), concrete,
                            stream ? "last_event_id=not-an-index" : null, security.find(operationId).orElseThrow()));
                }
            }
        }
        return probes;
    }

    private static JsonNode read(String document) {
        try (InputStream in = OperationProbes.class.getResourceAsStream("/openapi/" + document + ".yaml")) {
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
