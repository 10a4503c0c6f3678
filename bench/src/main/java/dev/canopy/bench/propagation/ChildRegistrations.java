package dev.canopy.bench.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Sends each registration to the child without waiting for the one before ({@code sendAsync}), with the
 * service key, and a url no run has used ({@code http://prop-<label>-<n>.bench.example:8080/}) so that
 * each creates a service (201). Records each outcome in the ledger when its answer has been read.
 *
 * <p>At most {@code connections} registrations are in flight, as wrk keeps {@code -c} connections: the
 * HTTP/1.1 client opens one connection per request in flight, and an unbounded number would have the
 * child accepting thousands of connections after a stall, measuring connection set-up instead of
 * registration. A request that waits for a free connection is late, and its figures say so.
 */
final class ChildRegistrations implements OpenModelSchedule.Sender {
    private final HttpClient client;
    private final URI register;
    private final String authorization;
    private final String label;
    private final Duration timeout;
    private final ObjectMapper json;
    private final PropagationLedger ledger;
    private final Semaphore connections;

    ChildRegistrations(HttpClient client, URI childBase, String serviceKey, String label, Duration timeout,
                       int connections, ObjectMapper json, PropagationLedger ledger) {
        this.connections = new Semaphore(connections);
        this.client = client;
        this.register = childBase.resolve("/services/$register");
        this.authorization = "Bearer " + serviceKey;
        this.label = label;
        this.timeout = timeout;
        this.json = json;
        this.ledger = ledger;
    }

    /** The url registration {@code n} of the run labelled {@code label} registers. */
    static String urlOf(String label, long n) {
        return "http://prop-" + label + "-" + n + ".bench.example:8080/";
    }

    /** What every url of the run labelled {@code label} contains, and no other run's. */
    static String marker(String label) {
        return "http://prop-" + label + "-";
    }

    @Override
    public void send(long n, long intended) throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", urlOf(label, n));
        body.put("info", Map.of("display_name", "Propagation Bench", "version", "1.0.0"));
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(register)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Authorization", authorization)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException("A registration body could not be encoded", e);
        }
        connections.acquire();
        long sent = System.nanoTime();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            long answered = System.nanoTime();
            connections.release();
            if (failure != null) {
                ledger.ended(new Attempt(n, intended, sent, answered, 0, null, failure.toString()));
                return;
            }
            ledger.ended(new Attempt(n, intended, sent, answered, response.statusCode(),
                    response.statusCode() == 201 ? idOf(response.body()) : null, null));
        });
    }

    private String idOf(String body) {
        try {
            JsonNode id = json.readTree(body).path("id");
            return id.isTextual() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
