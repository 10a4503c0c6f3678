package dev.canopy.child.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.ParentAndChild;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.PrometheusText;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real child and its parent: the child counts its own registrations exactly once, shows them at
 * its {@code /metrics}, and sends them with its heartbeat, so the parent's {@code /metrics} shows the
 * same figures under the child's id, region and domain, without the parent ever calling the child.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildMetricsRollupTest {
    private static final ParentAndChild APPS = new ParentAndChild()
            .parentConfig("leases.ttl", "1s")
            .parentConfig("leases.reaperInterval", "100ms")
            .childConfig("region", "eu-west")
            .childConfig("domain", "payments")
            .childConfig("parent.retry.initialDelay", "20ms")
            .childConfig("parent.retry.maxDelay", "200ms")
            .childConfig("reconcileInterval", "1h")
            .logLevel("WARN");
    private static final int PARENT_PORT = APPS.parentPort();
    private static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

    static final DropwizardAppExtension<ParentConfiguration> PARENT = APPS.parent();
    static final DropwizardAppExtension<ChildConfiguration> CHILD = APPS.child();

    private final ContractCheckingFilter childContract = new ContractCheckingFilter("child");
    private final ContractCheckingFilter parentContract = new ContractCheckingFilter("parent");
    private final Client child = TestClients.contractChecked(childContract).register(TestKeys.bearer(TestKeys.SERVICE));
    private final Client parent = TestClients.contractChecked(parentContract).register(TestKeys.bearer(TestKeys.ADMIN));

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(childContract.violations()).isEmpty();
        assertThat(parentContract.violations()).isEmpty();
        child.close();
        parent.close();
    }

    @Test
    void theParentShowsWhatTheChildCounted() {
        String a = register("http://rollup-a:1");
        register("http://rollup-b:1");
        register("http://rollup-c:1");
        // The same url again (a service retrying a registration whose answer it lost): an update.
        Response again = child.target(childBase()).path("/services/$register").request()
                .post(Entity.json("{\"url\":\"http://rollup-a:1\",\"info\":{}}"));
        assertThat(again.getStatus()).isEqualTo(200);
        assertThat(child.target(childBase() + "/services/" + a).request().delete().getStatus()).isEqualTo(200);

        PrometheusText own = scrape(child, childBase());
        assertThat(own.value("canopy_service_registrations_total")).hasValue(3.0);
        assertThat(own.value("canopy_service_deregistrations_total")).hasValue(1.0);
        assertThat(own.value("canopy_services")).hasValue(2.0);
        assertThat(own.value("canopy_lease_evictions_total", Map.of("kind", "service"))).hasValue(0.0);
        assertThat(own.value("canopy_forwards_failed_total")).isPresent();
        assertThat(own.value("canopy_forwards_pending")).isPresent();
        assertThat(own.value("canopy_http_request_duration_seconds_count", Map.of("operation", "deregisterService",
                "method", "DELETE", "route", "/services/{id}", "status_class", "2xx"))).hasValue(1.0);
        assertThat(own.samples("canopy_http_request_duration_seconds_count", Map.of()))
                .allSatisfy(sample -> assertThat(sample.labels().values()).noneMatch(v -> ULID.matcher(v).find()));

        // The child has an id once its registration with the parent went through, which may come after its
        // first services on a busy machine.
        String id = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(
                () -> child.target(childBase() + "/services/info/orchestrator").request()
                        .get(ChildOrchestratorInfo.class).getOrchestratorId(), Objects::nonNull);
        Map<String, String> labels = Map.of("orchestrator_id", id, "region", "eu-west", "domain", "payments");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            PrometheusText rollup = scrape(parent, parentBase());
            assertThat(rollup.value("canopy_child_services", labels)).hasValue(2.0);
            assertThat(rollup.value("canopy_child_registrations_total", labels)).hasValue(3.0);
            assertThat(rollup.value("canopy_child_deregistrations_total", labels)).hasValue(1.0);
            assertThat(rollup.value("canopy_child_forwards_pending", labels)).hasValue(0.0);
            assertThat(rollup.value("canopy_child_reconciliations_total", labels)).isPresent();
            assertThat(rollup.value("canopy_child_last_report_age_seconds", labels)).isPresent();
            // The parent's own view of the same child agrees.
            assertThat(rollup.value("canopy_services", labels)).hasValue(2.0);
        });
        assertThat(scrape(child, childBase()).value("canopy_reconciliations_total").orElse(0)).isGreaterThanOrEqualTo(1);
    }

    private String register(String url) {
        Response response = child.target(childBase()).path("/services/$register").request()
                .post(Entity.json("{\"url\":\"" + url + "\",\"info\":{}}"));
        assertThat(response.getStatus()).isEqualTo(201);
        return response.readEntity(RegistrationResult.class).getId();
    }

    private static PrometheusText scrape(Client client, String base) {
        Response response = client.target(base + "/metrics").request("text/plain").get();
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaderString("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusText.parse(response.readEntity(String.class));
    }

    private static String childBase() {
        return "http://localhost:" + CHILD.getLocalPort();
    }

    private static String parentBase() {
        return "http://localhost:" + PARENT_PORT;
    }
}
