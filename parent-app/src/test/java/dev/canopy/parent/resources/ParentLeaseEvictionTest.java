package dev.canopy.parent.resources;

import static dev.canopy.parent.resources.ParentHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.HierarchySummary;
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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Eviction at the parent, with a 2 s TTL: a child that stops renewing goes, with its services. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ParentLeaseEvictionTest {
    static final DropwizardAppExtension<ParentConfiguration> APP = new DropwizardAppExtension<>(
            ParentApplication.class, "config.yml",
            ConfigOverride.config("server.connector.port", "0"),
            ConfigOverride.config("auth.adminKeys", TestKeys.ADMIN),
            ConfigOverride.config("leases.ttl", "2s"),
            ConfigOverride.config("leases.reaperInterval", "100ms"),
            ConfigOverride.config("logging.level", "WARN"));

    private final ContractCheckingFilter contract = new ContractCheckingFilter("parent");
    private final Client client = TestClients.contractChecked(contract)
            .register(TestKeys.bearer(TestKeys.ADMIN));
    private ParentHttp http;

    @BeforeEach
    void connect() {
        http = new ParentHttp(client, APP.getLocalPort());
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(contract.violations()).isEmpty();
        client.close();
    }

    @Test
    void aChildThatStopsRenewingIsEvictedWithItsServicesAndOneThatRenewsStays() throws Exception {
        ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(2);
        try {
            // Both renew while the test sets them up, however slow the machine; then one stops.
            String lapsing = http.registerOrchestrator("http://lapsing:9001", "us-east", null).getId();
            ScheduledFuture<?> lapsingHeartbeat = renewEvery200ms(heartbeats, lapsing);
            String renewing = http.registerOrchestrator("http://renewing:9002", "eu-west", null).getId();
            renewEvery200ms(heartbeats, renewing);
            String lapsingService = http.registerService(Ids.next(), "http://a:1", lapsing);
            String renewingService = http.registerService(Ids.next(), "http://b:1", renewing);
            lapsingHeartbeat.cancel(false);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertProblem(http.get("/api/v1/orchestrators/" + lapsing), 404, "urn:canopy:problem:not-found"));
            assertProblem(http.get("/api/v1/services/" + lapsingService), 404, "urn:canopy:problem:not-found");
            assertProblem(http.put("/api/v1/orchestrators/" + lapsing + "/$ping", "{}"), 404,
                    "urn:canopy:problem:not-found");

            Thread.sleep(2_500);
            assertThat(http.get("/api/v1/orchestrators/" + renewing).getStatus()).isEqualTo(200);
            assertThat(http.get("/api/v1/services/" + renewingService).getStatus()).isEqualTo(200);
            HierarchySummary summary = http.get("/api/v1/hierarchy/summary").readEntity(HierarchySummary.class);
            assertThat(summary.getOrchestrators()).as("the evicted child is gone from the summary, with its count")
                    .extracting(entry -> entry.getOrchestrator().getId()).containsExactly(renewing);
            assertThat(summary.getOrchestrators().get(0).getOrchestrator().getServiceCount()).isEqualTo(1);
            assertThat(summary.getTotalServices()).isEqualTo(1);

            // Counted once, by the reaper that evicted it, with its service.
            PrometheusText metrics = PrometheusText.parse(client.target(http.base() + "/metrics")
                    .request("text/plain").get(String.class));
            assertThat(metrics.value("canopy_lease_evictions_total", Map.of("kind", "orchestrator"))).hasValue(1.0);
            assertThat(metrics.value("canopy_service_deregistrations_total", Map.of("via", "orchestrator_removed")))
                    .hasValue(1.0);
            assertThat(metrics.value("canopy_orchestrators")).hasValue(1.0);
        } finally {
            heartbeats.shutdownNow();
            heartbeats.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private ScheduledFuture<?> renewEvery200ms(ScheduledExecutorService heartbeats, String id) {
        return heartbeats.scheduleWithFixedDelay(
                () -> http.put("/api/v1/orchestrators/" + id + "/$ping", "{}").close(), 0, 200, TimeUnit.MILLISECONDS);
    }
}
