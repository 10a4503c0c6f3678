package dev.canopy.parent.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.canopy.core.testing.OpenApiContract;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.core.testing.hostile.CommonRows;
import dev.canopy.core.testing.hostile.CredentialHeaders;
import dev.canopy.core.testing.hostile.HostileRequest;
import dev.canopy.core.testing.hostile.RawHttp;
import dev.canopy.core.testing.hostile.SuiteClient;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parent's limits as configured (small here): body sizes, the complete set's own, and the service cap. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentLimitsTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("auth.childKeys", TestKeys.CHILD + "," + TestKeys.OTHER_CHILD),
            ConfigOverride.config("limits.maxBodySize", "2KiB"),
            ConfigOverride.config("limits.maxServiceSetBodySize", "16KiB"),
            ConfigOverride.config("limits.maxServicesPerOrchestrator", "2"),
            ConfigOverride.config("logging.level", "WARN"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiContract CONTRACT = OpenApiContract.of("parent");
    private SuiteClient client;
    private String orchestrator;

    @BeforeEach
    void oneChild() throws Exception {
        client = new SuiteClient(APP.getLocalPort(), CredentialHeaders.TEST_KEYS);
        for (JsonNode existing : JSON.readTree(client.get("/api/v1/orchestrators").text()).path("orchestrators")) {
            client.send(HostileRequest.delete("/api/v1/orchestrators/" + existing.path("id").asText()));
        }
        RawHttp.Answer registered = client.sendJson("POST", "/api/v1/orchestrators/$register",
                "{\"url\":\"http://us:9001\"}");
        orchestrator = JSON.readTree(registered.body()).path("id").asText();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBodyOverTheConfiguredLimitIsRefusedWithAProblem(boolean chunked) {
        HostileRequest tooLarge = HostileRequest.post("/api/v1/orchestrators/$register")
                .body(CommonRows.jsonOfSize(2 * 1024 + 1), "application/json");
        RawHttp.Answer answer = client.send(chunked ? tooLarge.chunked() : tooLarge);

        assertProblem(answer, "POST", "/api/v1/orchestrators/$register", 413);
        assertThat(answer.text()).contains("Request body is too large");
        RawHttp.Answer justRight = client.send(HostileRequest.post("/api/v1/orchestrators/$register")
                .body(padded("{\"url\":\"http://eu:9002\"}", 2 * 1024), "application/json"));
        assertThat(justRight.status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aCompleteSetHasItsOwnLimit(boolean chunked) {
        String path = "/api/v1/orchestrators/" + orchestrator + "/services";
        HostileRequest withinItsLimit = HostileRequest.put(path).body(padded("{\"services\":[]}", 10 * 1024),
                "application/json");
        HostileRequest beyondIt = HostileRequest.put(path).body(CommonRows.jsonOfSize(16 * 1024 + 1),
                "application/json");

        assertThat(client.send(chunked ? withinItsLimit.chunked() : withinItsLimit).status()).isEqualTo(200);
        assertProblem(client.send(chunked ? beyondIt.chunked() : beyondIt), "PUT", path, 413);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBatchOfChangesSharesTheCompleteSetsLimit(boolean chunked) {
        String path = "/api/v1/orchestrators/" + orchestrator + "/services/$batch";
        HostileRequest withinItsLimit = HostileRequest.post(path).body(padded("{\"changes\":[]}", 10 * 1024),
                "application/json");
        HostileRequest beyondIt = HostileRequest.post(path).body(CommonRows.jsonOfSize(16 * 1024 + 1),
                "application/json");

        assertThat(client.send(chunked ? withinItsLimit.chunked() : withinItsLimit).status()).isEqualTo(200);
        assertProblem(client.send(chunked ? beyondIt.chunked() : beyondIt), "POST", path, 413);
    }

    @Test
    void onlyTheCompleteSetHasTheLargerLimit() {
        byte[] tenKilobytes = CommonRows.jsonOfSize(10 * 1024);
        // Another operation of the same orchestrator, and another method on the set's path.
        assertThat(client.send(HostileRequest.put("/api/v1/orchestrators/" + orchestrator + "/$ping")
                .body(tenKilobytes, "application/json")).status()).isEqualTo(413);
        assertThat(client.send(HostileRequest.post("/api/v1/orchestrators/" + orchestrator + "/services")
                .body(tenKilobytes, "application/json")).status()).isEqualTo(413);
        assertThat(client.send(HostileRequest.put("/api/v1/orchestrators/" + orchestrator + "/services/x")
                .body(tenKilobytes, "application/json")).status()).isEqualTo(413);
        assertThat(client.send(HostileRequest.put("/api/v1/orchestrators/" + orchestrator + "/services/$batch")
                .body(tenKilobytes, "application/json")).status()).isEqualTo(413);
    }

    @Test
    void theServiceCapRefusesANewServiceButNotAnUpdate() {
        String service = "{\"id\":\"%s\",\"url\":\"http://%s:1\",\"orchestrator_id\":\"" + orchestrator + "\"}";
        String first = "01JD5Z9A00000000000000000A";
        assertThat(client.sendJson("POST", "/api/v1/services/$register", String.format(service, first, "a")).status())
                .isEqualTo(201);
        assertThat(client.sendJson("POST", "/api/v1/services/$register",
                String.format(service, "01JD5Z9A00000000000000000B", "b")).status()).isEqualTo(201);

        RawHttp.Answer third = client.sendJson("POST", "/api/v1/services/$register",
                String.format(service, "01JD5Z9A00000000000000000C", "c"));
        RawHttp.Answer update = client.sendJson("POST", "/api/v1/services/$register", String.format(service, first,
                "a2"));

        assertProblem(third, "POST", "/api/v1/services/$register", 409);
        assertThat(third.text()).contains("service-limit-reached").contains("holds 2 services");
        assertThat(update.status()).isEqualTo(200);
        assertThat(client.send(HostileRequest.delete("/api/v1/services/" + first)).status()).isEqualTo(200);
        assertThat(client.sendJson("POST", "/api/v1/services/$register",
                String.format(service, "01JD5Z9A00000000000000000C", "c")).status()).isEqualTo(201);
    }

    @Test
    void aProblemNeverEchoesAHugeInputBack() throws Exception {
        RawHttp.Answer longName = client.sendJson("POST", "/api/v1/orchestrators/$register",
                "{\"url\":\"http://h:1\",\"" + "n".repeat(1_500) + "\":1}");
        RawHttp.Answer longToken = client.sendJson("POST", "/api/v1/orchestrators/$register",
                "{\"url\":" + "t".repeat(1_900) + "}");

        assertProblem(longName, "POST", "/api/v1/orchestrators/$register", 422);
        JsonNode named = JSON.readTree(longName.body());
        assertThat(named.path("invalid_params").get(0).path("name").asText()).hasSizeLessThanOrEqualTo(256)
                .endsWith("…");
        assertThat(named.path("detail").asText()).hasSizeLessThanOrEqualTo(512);
        assertProblem(longToken, "POST", "/api/v1/orchestrators/$register", 400);
        assertThat(JSON.readTree(longToken.body()).path("detail").asText()).hasSizeLessThanOrEqualTo(512);
        assertThat(longName.body().length + longToken.body().length).isLessThan(2_500);
    }

    private static void assertProblem(RawHttp.Answer answer, String method, String path, int status) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.mediaType()).isEqualTo("application/problem+json");
        assertThat(CONTRACT.violations(method, path, status, answer.header("content-type"), answer.text())).isEmpty();
    }

    /** {@code json} (an object) padded with spaces to exactly {@code size} bytes. */
    private static byte[] padded(String json, int size) {
        return (json.substring(0, json.length() - 1) + " ".repeat(size - json.length()) + "}")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
