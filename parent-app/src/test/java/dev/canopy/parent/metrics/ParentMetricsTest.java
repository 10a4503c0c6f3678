package dev.canopy.parent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.canopy.api.model.RegistrationResult;
import dev.canopy.core.Ids;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.PrometheusText;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentApplication;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The parent's {@code GET /metrics} over HTTP: the format, the JVM and HTTP series, and exact registry counts. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentMetricsTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("logging.level", "WARN"));
    /** Prometheus' own Accept header (2.x and later): OpenMetrics first, the classic text format as a fallback. */
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract).register(TestKeys.bearer(TestKeys.ADMIN));

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        assertThat(contract.checked()).isPositive();
        client.close();
    }

    @Test
    void answersInTheTextFormatWithJvmAndHttpSeries() {
        assertThat(target("/health").request().get().getStatus()).isEqualTo(200);
        Response response = target("/metrics").request("text/plain").get();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText metrics = PrometheusText.parse(response.readEntity(String.class));
        assertThat(metrics.types()).containsEntry("jvm_memory_used_bytes", "gauge")
                .containsEntry("jvm_threads_current", "gauge")
                .containsEntry("io_dropwizard_jetty_MutableServletContextHandler_requests", "summary")
                .containsEntry("canopy_http_request_duration_seconds", "histogram")
                .containsEntry("canopy_orchestrators", "gauge")
                .containsEntry("canopy_orchestrator_registrations_total", "counter");
        assertThat(metrics.samples("jvm_memory_used_bytes", Map.of("area", "heap"))).singleElement()
                .satisfies(sample -> assertThat(sample.value()).isPositive());
        assertThat(metrics.help("canopy_orchestrators")).isNotBlank();
        assertThat(metrics.value("canopy_http_request_duration_seconds_count", Map.of("operation", "getHealth",
                "method", "GET", "route", "/health", "status_class", "2xx"))).hasValue(1.0);
    }

    @Test
    void givesOpenMetricsToPrometheus() {
        Response response = target("/metrics").request().header("Accept", PROMETHEUS_ACCEPT).get();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("Content-Type"))
                .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(response.readEntity(String.class)).contains("# TYPE canopy_orchestrators gauge").endsWith("# EOF\n");
    }

    @Test
    void timesEachOperationByItsPathTemplateNeverByItsIds() {
        String id = Ids.next();
        assertThat(target("/api/v1/services/" + id).request().get().getStatus()).isEqualTo(404);
        assertThat(target("/api/v1/orchestrators/" + id).request().get().getStatus()).isEqualTo(404);
        assertThat(target("/api/v1/hierarchy").request().get().getStatus()).isEqualTo(200);

        PrometheusText metrics = scrape();
        assertThat(metrics.value("canopy_http_request_duration_seconds_count", Map.of("operation", "getService",
                "method", "GET", "route", "/api/v1/services/{id}", "status_class", "4xx"))).isPresent()
                .satisfies(count -> assertThat(count.getAsDouble()).isGreaterThanOrEqualTo(1));
        assertThat(metrics.value("canopy_http_request_duration_seconds_count", Map.of("operation", "getOrchestrator",
                "method", "GET", "route", "/api/v1/orchestrators/{id}", "status_class", "4xx"))).isPresent();
        assertThat(metrics.value("canopy_http_request_duration_seconds_count", Map.of("operation", "getHierarchy",
                "method", "GET", "route", "/api/v1/hierarchy", "status_class", "2xx"))).isPresent();
        assertThat(metrics.samples("canopy_http_request_duration_seconds_count", Map.of()))
                .allSatisfy(sample -> assertThat(sample.labels().values()).noneMatch(v -> ULID.matcher(v).find()));
    }

    @Test
    void countsEachRegistrationAndDeregistrationOnce() {
        String url = "http://metrics-child:9001";
        String register = "{\"url\":\"" + url + "\",\"region\":\"us-east\",\"info\":{}}";
        Response first = post("/api/v1/orchestrators/$register", register);
        assertThat(first.getStatus()).isEqualTo(201);
        String orchestrator = first.readEntity(RegistrationResult.class).getId();
        // The same registration again (a retry whose answer was lost) updates: not one more registration.
        assertThat(post("/api/v1/orchestrators/$register", register).getStatus()).isEqualTo(200);

        String a = Ids.next();
        String b = Ids.next();
        String c = Ids.next();
        for (String id : new String[] {a, b, c}) {
            assertThat(post("/api/v1/services/$register", service(id, orchestrator)).getStatus()).isEqualTo(201);
        }
        assertThat(post("/api/v1/services/$register", service(a, orchestrator)).getStatus()).isEqualTo(200);
        assertThat(target("/api/v1/services/" + a).request().delete().getStatus()).isEqualTo(200);
        assertThat(target("/api/v1/services/" + b).request().delete().getStatus()).isEqualTo(200);
        assertThat(target("/api/v1/services/" + a).request().delete().getStatus()).isEqualTo(404);

        PrometheusText metrics = scrape();
        assertThat(metrics.value("canopy_orchestrator_registrations_total")).hasValue(1.0);
        assertThat(metrics.value("canopy_service_registrations_total", Map.of("via", "request"))).hasValue(3.0);
        assertThat(metrics.value("canopy_service_deregistrations_total", Map.of("via", "request"))).hasValue(2.0);
        assertThat(metrics.value("canopy_orchestrators")).hasValue(1.0);
        assertThat(metrics.value("canopy_services", Map.of("orchestrator_id", orchestrator, "region", "us-east",
                "domain", ""))).hasValue(1.0);

        // A complete set without c and with d: one more in, one more out, by reconciliation.
        String d = Ids.next();
        Response set = target("/api/v1/orchestrators/" + orchestrator + "/services").request()
                .put(Entity.json("{\"services\":[{\"id\":\"" + d + "\",\"url\":\"http://d:1\",\"info\":{}}]}"));
        assertThat(set.getStatus()).isEqualTo(200);
        assertThat(target("/api/v1/orchestrators/" + orchestrator).request().delete().getStatus()).isEqualTo(200);

        metrics = scrape();
        assertThat(metrics.value("canopy_reconciliations_total")).hasValue(1.0);
        assertThat(metrics.value("canopy_service_registrations_total", Map.of("via", "reconcile"))).hasValue(1.0);
        assertThat(metrics.value("canopy_service_deregistrations_total", Map.of("via", "reconcile"))).hasValue(1.0);
        assertThat(metrics.value("canopy_orchestrator_deregistrations_total")).hasValue(1.0);
        assertThat(metrics.value("canopy_service_deregistrations_total", Map.of("via", "orchestrator_removed")))
                .hasValue(1.0);
        assertThat(metrics.value("canopy_lease_evictions_total", Map.of("kind", "orchestrator"))).hasValue(0.0);
        assertThat(metrics.value("canopy_orchestrators")).hasValue(0.0);
        assertThat(metrics.samples("canopy_services", Map.of())).isEmpty();
    }

    private PrometheusText scrape() {
        Response response = target("/metrics").request("text/plain").get();
        assertThat(response.getStatus()).isEqualTo(200);
        return PrometheusText.parse(response.readEntity(String.class));
    }

    private static String service(String id, String orchestrator) {
        return "{\"id\":\"" + id + "\",\"url\":\"http://svc-" + id.toLowerCase() + ":1\",\"info\":{},"
                + "\"orchestrator_id\":\"" + orchestrator + "\"}";
    }

    private Response post(String path, String json) {
        return target(path).request().post(Entity.json(json));
    }

    private jakarta.ws.rs.client.WebTarget target(String path) {
        return client.target("http://localhost:" + APP.getLocalPort()).path(path);
    }
}
