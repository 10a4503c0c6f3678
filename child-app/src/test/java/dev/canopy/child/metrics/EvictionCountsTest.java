package dev.canopy.child.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.LoneChild;
import dev.canopy.core.testing.PrometheusText;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Services that stop renewing (1 s TTL) are counted as evictions, once each, not as deregistrations. */
@ExtendWith(DropwizardExtensionsSupport.class)
class EvictionCountsTest {
    static final DropwizardAppExtension<ChildConfiguration> CHILD = new LoneChild()
            .config("leases.ttl", "1s")
            .config("leases.reaperInterval", "100ms")
            .config("logging.level", "ERROR")
            .app();

    private final Client client = TestClients.raw().register(TestKeys.bearer(TestKeys.ADMIN));

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void eachLapsedServiceIsOneEviction() {
        for (String url : new String[] {"http://lapsing-1:1", "http://lapsing-2:1"}) {
            assertThat(client.target(base()).path("/services/$register").request()
                    .post(Entity.json("{\"url\":\"" + url + "\"}")).getStatus()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape().value("canopy_services")).hasValue(0.0));

        PrometheusText metrics = scrape();
        assertThat(metrics.value("canopy_lease_evictions_total", Map.of("kind", "service"))).hasValue(2.0);
        assertThat(metrics.value("canopy_service_registrations_total")).hasValue(2.0);
        assertThat(metrics.value("canopy_service_deregistrations_total")).hasValue(0.0);
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(client.target(base() + "/metrics").request("text/plain").get(String.class));
    }

    private static String base() {
        return "http://localhost:" + CHILD.getLocalPort();
    }
}
