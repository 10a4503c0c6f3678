package dev.canopy.parent.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.Problem;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.core.Ids;
import dev.canopy.core.auth.KeyKind;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.OperationProbes;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keys at the parent, over HTTP: who gets past each operation, what a refusal looks like, and which
 * orchestrators and services each child key may change. Reads are open (the default). The second
 * child key is configured as its SHA-256 hash, as an operator who keeps no key in a file would.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentAuthTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("auth.childKeys", TestKeys.CHILD + ",sha256:" + sha256(TestKeys.OTHER_CHILD)),
            ConfigOverride.config("auth.readKeys", TestKeys.READ),
            ConfigOverride.config("logging.level", "WARN"));

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract);
    private final Client raw = TestClients.raw();

    @BeforeEach
    void startEmpty() {
        for (String id : orchestratorIds()) {
            assertThat(send(TestKeys.ADMIN, "DELETE", "/api/v1/orchestrators/" + id, null).getStatus()).isEqualTo(200);
        }
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        client.close();
        raw.close();
    }

    static List<OperationProbes.Probe> operations() {
        return OperationProbes.of("parent");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void everyOperationIsGuardedExactlyAsTheDocumentDeclares(OperationProbes.Probe operation) {
        boolean takesAKey = !operation.requirement().open() && !operation.requirement().isRead();

        Response anonymous = operation.send(client, base(), null);
        if (takesAKey) {
            assertChallenge(anonymous, null);
        } else {
            assertThat(anonymous.getStatus()).as("open at this app").isNotIn(401, 403);
        }
        Response read = operation.send(client, base(), "Bearer " + TestKeys.READ);
        if (takesAKey) {
            assertProblem(read, 403, "urn:canopy:problem:forbidden");
        } else {
            assertThat(read.getStatus()).isNotIn(401, 403);
        }
        boolean childWork = operation.requirement().kinds().contains(KeyKind.CHILD) || !takesAKey;
        assertThat(operation.send(client, base(), "Bearer " + TestKeys.CHILD).getStatus())
                .as("a child key").matches(status -> childWork == (status != 401 && status != 403));
        assertThat(operation.send(client, base(), "Bearer " + TestKeys.ADMIN).getStatus())
                .as("an admin key").isNotIn(401, 403);
    }

    @Test
    void aMissingMalformedOrUnknownKeyIsAnsweredWithTheBearerChallengeAndChangesNothing() {
        String before = hierarchy();
        String body = "{\"url\":\"http://intruder:9001\",\"info\":{}}";

        assertChallenge(post(null, "/api/v1/orchestrators/$register", body), null);
        assertChallenge(post("Basic dXNlcjpwYXNz", "/api/v1/orchestrators/$register", body), "invalid_request");
        assertChallenge(post("Bearer", "/api/v1/orchestrators/$register", body), "invalid_request");
        assertChallenge(post("Bearer not-a-key-anyone-configured", "/api/v1/orchestrators/$register", body),
                "invalid_token");
        assertChallenge(post("Bearer sha256:" + sha256(TestKeys.OTHER_CHILD), "/api/v1/orchestrators/$register",
                body), "invalid_token");
        assertChallenge(post("Bearer " + TestKeys.CHILD.toUpperCase(), "/api/v1/orchestrators/$register", body),
                "invalid_token");
        // The key must be in the header: one in the query string would end up in every request log.
        assertChallenge(client.target(base()).path("/api/v1/orchestrators/$register")
                .queryParam("access_token", TestKeys.CHILD).request().post(Entity.json(body)), null);

        assertThat(hierarchy()).isEqualTo(before);
    }

    @Test
    void aKeyIsComparedExactlyAlsoOnAConnectionKeptAlive() throws Exception {
        String body = "{\"url\":\"http://keep-alive:9001\",\"info\":{}}";
        try (Socket socket = new Socket("localhost", APP.getLocalPort())) {
            assertThat(exchange(socket, "Bearer " + TestKeys.CHILD, body)).startsWith("HTTP/1.1 201");
            // The same connection, the same key but for case: a different key, not the one sent before.
            assertThat(exchange(socket, "Bearer " + TestKeys.CHILD.toUpperCase(), body)).startsWith("HTTP/1.1 401")
                    .contains("error=\"invalid_token\"");
        }
    }

    /** One request and its answer, on a connection that stays open. */
    private static String exchange(Socket socket, String authorization, String body) throws Exception {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST /api/v1/orchestrators/$register HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + authorization + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(content);
        socket.getOutputStream().flush();
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new AssertionError("The connection closed before a whole answer came: " + head);
            }
            head.append((char) next);
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?is).*content-length:\\s*(\\d+).*", "$1"));
        in.readNBytes(length);
        return head.toString();
    }

    @Test
    void aHashedKeyIsTakenLikeThePlainOne() {
        assertThat(register(TestKeys.OTHER_CHILD, null, "http://hashed:9002").getStatus()).isEqualTo(201);
    }

    @Test
    void aChildKeyChangesOnlyTheOrchestratorItRegisteredAndItsServices() {
        String mine = register(TestKeys.CHILD, null, "http://us:9001").readEntity(RegistrationResult.class).getId();
        String service = registerService(TestKeys.CHILD, mine, "http://pay:8001");
        String theirs = register(TestKeys.OTHER_CHILD, null, "http://eu:9002").readEntity(RegistrationResult.class)
                .getId();
        String before = hierarchy();

        String other = TestKeys.OTHER_CHILD;
        assertForbidden(register(other, mine, "http://eu-2:9002"), mine);
        assertForbidden(register(other, null, "http://us:9001"), mine);
        assertForbidden(register(other, theirs, "http://us:9001"), mine);
        assertForbidden(send(other, "PUT", "/api/v1/orchestrators/" + mine + "/$ping", "{}"), mine);
        assertForbidden(send(other, "PUT", "/api/v1/orchestrators/" + mine + "/services", "{\"services\":[]}"), mine);
        assertForbidden(send(other, "POST", "/api/v1/services/$register",
                "{\"url\":\"http://evil:1\",\"orchestrator_id\":\"" + mine + "\"}"), mine);
        assertForbidden(send(other, "POST", "/api/v1/services/$register",
                "{\"id\":\"" + service + "\",\"url\":\"http://evil:1\",\"orchestrator_id\":\"" + mine + "\"}"), mine);
        assertForbidden(send(other, "DELETE", "/api/v1/services/" + service, null), service);
        assertForbidden(send(other, "DELETE", "/api/v1/orchestrators/" + mine, null), mine);
        assertThat(hierarchy()).as("nothing changed").isEqualTo(before);

        assertThat(send(TestKeys.CHILD, "PUT", "/api/v1/orchestrators/" + mine + "/$ping", "{}").getStatus())
                .isEqualTo(200);
        assertThat(send(other, "PUT", "/api/v1/orchestrators/" + theirs + "/$ping", "{}").getStatus()).isEqualTo(200);
        assertThat(send(TestKeys.CHILD, "DELETE", "/api/v1/services/" + service, null).getStatus()).isEqualTo(200);
    }

    @Test
    void anAdminKeyMayChangeAnyOrchestratorAndWhatItCreatesIsNoChildsToChange() {
        String childs = register(TestKeys.CHILD, null, "http://us:9001").readEntity(RegistrationResult.class).getId();
        String service = registerService(TestKeys.ADMIN, childs, "http://pay:8001");

        assertThat(send(TestKeys.ADMIN, "PUT", "/api/v1/orchestrators/" + childs + "/$ping", "{}").getStatus())
                .isEqualTo(200);
        assertThat(send(TestKeys.ADMIN, "PUT", "/api/v1/orchestrators/" + childs + "/services",
                "{\"services\":[]}").getStatus()).isEqualTo(200);
        assertThat(send(TestKeys.ADMIN, "GET", "/api/v1/services/" + service, null).getStatus()).isEqualTo(404);
        assertThat(register(TestKeys.ADMIN, childs, "http://us:9001").getStatus()).as("updated, still the child's")
                .isEqualTo(200);
        assertThat(send(TestKeys.CHILD, "PUT", "/api/v1/orchestrators/" + childs + "/$ping", "{}").getStatus())
                .isEqualTo(200);
        assertThat(send(TestKeys.ADMIN, "DELETE", "/api/v1/orchestrators/" + childs, null).getStatus()).isEqualTo(200);

        String admins = register(TestKeys.ADMIN, null, "http://by-hand:9100").readEntity(RegistrationResult.class)
                .getId();
        assertForbidden(send(TestKeys.CHILD, "PUT", "/api/v1/orchestrators/" + admins + "/$ping", "{}"), admins);
    }

    @Test
    void theFirstKeyToRegisterAnIdOwnsItUntilItIsGone() {
        String id = Ids.next();
        assertThat(register(TestKeys.CHILD, id, "http://us:9001").getStatus()).isEqualTo(201);
        assertForbidden(register(TestKeys.OTHER_CHILD, id, "http://eu:9002"), id);

        // As after the parent restarted empty, or the orchestrator was evicted: the id is free again.
        assertThat(send(TestKeys.ADMIN, "DELETE", "/api/v1/orchestrators/" + id, null).getStatus()).isEqualTo(200);
        assertThat(register(TestKeys.OTHER_CHILD, id, "http://eu:9002").getStatus()).isEqualTo(201);
        assertForbidden(register(TestKeys.CHILD, id, "http://us:9001"), id);
    }

    @Test
    void healthTheDocumentAndSwaggerUiStayOpen() {
        assertThat(raw.target(base() + "/health").request().get().getStatus()).isEqualTo(200);
        assertThat(raw.target(base() + "/openapi/parent.yaml").request().get().getStatus()).isEqualTo(200);
        assertThat(raw.target(base() + "/swagger-ui/").request().get().getStatus()).isEqualTo(200);
    }

    @Test
    void theAdminPagesTakeAnAdminKey() {
        String tasks = base() + "/admin/tasks/gc";
        Response none = raw.target(base() + "/admin/healthcheck").request().get();
        assertThat(none.getStatus()).isEqualTo(401);
        assertThat(none.getMediaType()).hasToString("application/problem+json");
        assertThat(none.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"canopy\"");
        assertThat(raw.target(tasks).request().post(Entity.text("")).getStatus()).isEqualTo(401);
        assertThat(raw.target(base() + "/admin/healthcheck").request()
                .header(HttpHeaders.AUTHORIZATION, "Bearer wrong-key-0123456789abcdef").get()
                .getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).contains("error=\"invalid_token\"");
        Response child = raw.target(base() + "/admin/healthcheck").request()
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestKeys.CHILD).get();
        assertThat(child.getStatus()).isEqualTo(403);
        assertThat(child.readEntity(Problem.class).getType()).isEqualTo("urn:canopy:problem:forbidden");
        assertThat(raw.target(base() + "/admin/healthcheck").request()
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestKeys.ADMIN).get().getStatus()).isEqualTo(200);
        assertThat(raw.target(tasks).request().header(HttpHeaders.AUTHORIZATION, "Bearer " + TestKeys.ADMIN)
                .post(Entity.text("")).getStatus()).isEqualTo(200);
    }

    private Response register(String key, String id, String url) {
        return send(key, "POST", "/api/v1/orchestrators/$register",
                "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"url\":\"" + url + "\",\"info\":{}}");
    }

    private String registerService(String key, String orchestratorId, String url) {
        Response response = send(key, "POST", "/api/v1/services/$register",
                "{\"url\":\"" + url + "\",\"orchestrator_id\":\"" + orchestratorId + "\"}");
        assertThat(response.getStatus()).isEqualTo(201);
        return response.readEntity(RegistrationResult.class).getId();
    }

    private Response post(String authorization, String path, String body) {
        var request = client.target(base()).path(path).request();
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.post(Entity.json(body));
    }

    private Response send(String key, String method, String path, String body) {
        var request = client.target(base()).path(path).request().header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        return body == null ? request.method(method) : request.method(method, Entity.json(body));
    }

    private List<String> orchestratorIds() {
        return client.target(base() + "/api/v1/orchestrators").request()
                .get(dev.canopy.api.model.OrchestratorList.class).getOrchestrators().stream()
                .map(dev.canopy.api.model.OrchestratorDetail::getId).toList();
    }

    private String hierarchy() {
        return client.target(base() + "/api/v1/hierarchy").request().get(String.class);
    }

    private static String base() {
        return "http://localhost:" + APP.getLocalPort();
    }

    private static void assertChallenge(Response response, String error) {
        assertProblem(response, 401, "urn:canopy:problem:unauthorized");
        assertThat(response.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo(
                "Bearer realm=\"canopy\"" + (error == null ? "" : ", error=\"" + error + "\""));
    }

    private static void assertForbidden(Response response, String id) {
        Problem problem = assertProblem(response, 403, "urn:canopy:problem:forbidden");
        assertThat(problem.getDetail()).contains(id).contains("another key");
    }

    private static Problem assertProblem(Response response, int status, String type) {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType()).hasToString("application/problem+json");
        Problem problem = response.readEntity(Problem.class);
        assertThat(problem.getType()).isEqualTo(type);
        assertThat(problem.getDetail()).isNotBlank();
        return problem;
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
