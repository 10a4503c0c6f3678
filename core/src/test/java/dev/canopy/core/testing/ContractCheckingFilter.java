package dev.canopy.core.testing;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client filter for tests: every response the test receives is checked against the app's OpenAPI
 * document (status, content type, body, and the headers it requires), and a response the document
 * does not describe fails the test. Violations are thrown at
 * once and also kept, so a test can assert none were swallowed by code under test.
 */
public final class ContractCheckingFilter implements ClientResponseFilter {
    private final OpenApiContract contract;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile int checked;

    public ContractCheckingFilter(String document) {
        this.contract = OpenApiContract.of(document);
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        String body = null;
        if (response.hasEntity()) {
            byte[] bytes;
            try (InputStream in = response.getEntityStream()) {
                bytes = in.readAllBytes();
            }
            body = new String(bytes, StandardCharsets.UTF_8);
            response.setEntityStream(new ByteArrayInputStream(bytes));
        }
        String contentType = response.getHeaderString("Content-Type");
        List<String> found = contract.violations(request.getMethod(), request.getUri().getPath(),
                response.getStatus(), contentType, body, response.getHeaders());
        checked++;
        if (!found.isEmpty()) {
            violations.addAll(found);
            throw new AssertionError("Response breaks the OpenAPI contract:\n  " + String.join("\n  ", found)
                    + "\n  body: " + body);
        }
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** How many responses were checked: a test can assert the filter really saw its traffic. */
    public int checked() {
        return checked;
    }
}
