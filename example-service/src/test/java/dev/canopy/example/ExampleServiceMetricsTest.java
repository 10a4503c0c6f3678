package dev.canopy.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.PrometheusText;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example service's {@code GET /metrics}: the JVM's and HTTP figures in the text format, and a
 * read that takes a key once the service runs with {@code CANOPY_READ_ACCESS=key}. No child answers
 * here; the metrics do not need one.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ExampleServiceMetricsTest {
    static final DropwizardAppExtension<ExampleServiceConfiguration> APP = new DropwizardAppExtension<>(
            ExampleServiceApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("orchestrator.key", TestKeys.SERVICE),
            ConfigOverride.config("orchestrator.url", "http://localhost:1"),
            ConfigOverride.config("orchestrator.registrationDelay", "1h"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("auth.readAccess", "key"),
            ConfigOverride.config("auth.readKeys", TestKeys.READ),
            ConfigOverride.config("logging.level", "ERROR"));

    private final ContractCheckingFilter contract = new ContractCheckingFilter("example-service");
    private final Client client = TestClients.contractChecked(contract);

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        assertThat(contract.checked()).isPositive();
        client.close();
    }

    @Test
    void showsTheJvmAndEachOperationToAReadKey() {
        assertThat(get("/", TestKeys.READ).getStatus()).isEqualTo(200);
        Response response = get("/metrics", TestKeys.READ);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText metrics = PrometheusText.parse(response.readEntity(String.class));

        assertThat(metrics.types()).containsEntry("jvm_memory_used_bytes", "gauge")
                .containsEntry("jvm_gc_collection_seconds", "summary")
                .containsEntry("jvm_threads_current", "gauge")
                .containsEntry("io_dropwizard_jetty_MutableServletContextHandler_requests", "summary");
        assertThat(metrics.value("canopy_http_request_duration_seconds_count", Map.of("operation", "getIdentity",
                "method", "GET", "route", "/", "status_class", "2xx"))).hasValue(1.0);
    }

    @Test
    void refusesAScrapeWithoutAKeyWhenReadsTakeOne() {
        Response refused = get("/metrics", null);
        assertThat(refused.getStatus()).isEqualTo(401);
        assertThat(refused.getMediaType()).hasToString("application/problem+json");
        assertThat(refused.getHeaderString("WWW-Authenticate")).startsWith("Bearer realm=\"canopy\"");
        assertThat(get("/metrics", "not-a-key-of-this-service-at-all").getStatus()).isEqualTo(401);
    }

    private Response get(String path, String key) {
        var request = client.target("http://localhost:" + APP.getLocalPort() + path).request("text/plain",
                "application/json");
        return key == null ? request.get() : request.header("Authorization", "Bearer " + key).get();
    }
}
