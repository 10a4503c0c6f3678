package dev.canopy.core.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One app's OpenAPI document as a test oracle: does this response (status, content type, body) match
 * what the document promises for this method and path?
 *
 * <p>The document is tightened first: every object schema that does not say otherwise gets
 * {@code additionalProperties: false}, so a field the code serves but the document does not
 * mention fails the test. (Clients generated from the shipped document stay tolerant.)
 */
public final class OpenApiContract {
    private static final Map<String, OpenApiContract> CACHE = new ConcurrentHashMap<>();

    private final String document;
    private final OpenApiInteractionValidator validator;

    private OpenApiContract(String document) {
        this.document = document;
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(tightened(document)).build();
    }

    /** @param document the app's document name: {@code parent}, {@code child} or {@code example-service} */
    public static OpenApiContract of(String document) {
        return CACHE.computeIfAbsent(document, OpenApiContract::new);
    }

    /** The ways this response breaks the contract; empty if it keeps it. */
    public List<String> violations(String method, String path, int status, String contentType, String body) {
        return violations(method, path, status, contentType, body, Map.of());
    }

    /**
     * The same, with the response's headers: one the document marks {@code required} (such as a 401's
     * {@code WWW-Authenticate}) must be there.
     */
    public List<String> violations(String method, String path, int status, String contentType, String body,
                                   Map<String, List<String>> headers) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                response.withHeader(name, values);
            }
        });
        if (contentType != null) {
            response.withContentType(contentType);
        }
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), response.build());
        return report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                .map(message -> document + ": " + method + " " + path + " -> " + status + ": " + message.getMessage())
                .toList();
    }

    private static String tightened(String document) {
        YAMLMapper yaml = new YAMLMapper();
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi/" + document + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("/openapi/" + document + ".yaml is not on the test classpath");
            }
            JsonNode root = yaml.readTree(in);
            root.path("components").path("schemas").forEach(OpenApiContract::closeObjects);
            return yaml.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeObjects(JsonNode schema) {
        if (!(schema instanceof ObjectNode object)) {
            return;
        }
        if (object.has("properties") && !object.has("additionalProperties")) {
            object.put("additionalProperties", false);
        }
        object.path("properties").forEach(OpenApiContract::closeObjects);
        closeObjects(object.get("items"));
    }
}
