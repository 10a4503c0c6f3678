package dev.canopy.child.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceList;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.ServiceList;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.ParentAndChild;
import dev.canopy.core.Ids;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.PrometheusText;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A child with 2,000 services and a parent whose copy went wrong, over real HTTP: the child reads the
 * copy in pages and sends only the differences, 50 changes a batch, so every call stays small. The
 * parent takes at most 64 KiB for a set or a batch, less than the 2,000 services in one body: the
 * complete set in one call is refused, and reconciliation still ends with both sides equal.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildReconcileInPagesTest {
    private static final int SERVICES = 2_000;
    private static final ParentAndChild APPS = new ParentAndChild()
            .parentConfig("leases.ttl", "1s")
            .parentConfig("leases.reaperInterval", "100ms")
            .parentConfig("limits.maxServiceSetBodySize", "64KiB")
            .parentConfig("limits.maxBatchChanges", "600")
            .childConfig("region", "us-east")
            .childConfig("forwardBatchSize", "50")
            // The test registers its services once and never renews them.
            .childConfig("leases.ttl", "1h")
            .childConfig("parent.retry.initialDelay", "20ms")
            .childConfig("parent.retry.maxDelay", "200ms")
            .childConfig("reconcileInterval", "1h")
            .logLevel("WARN");
    private static final int PARENT_PORT = APPS.parentPort();

    static final DropwizardAppExtension<ParentConfiguration> PARENT = APPS.parent();
    static final DropwizardAppExtension<ChildConfiguration> CHILD = APPS.child();

    private final ContractCheckingFilter childContract = new ContractCheckingFilter("child");
    private final ContractCheckingFilter parentContract = new ContractCheckingFilter("parent");
    private final Client child = TestClients.contractChecked(childContract).register(TestKeys.bearer(TestKeys.ADMIN));
    private final Client parent = TestClients.contractChecked(parentContract).register(TestKeys.bearer(TestKeys.ADMIN));

    @BeforeAll
    static void fiveThousandServicesForwarded() {
        try (Client client = TestClients.raw().register(TestKeys.bearer(TestKeys.SERVICE))) {
            IntStream.range(0, SERVICES).parallel().forEach(n -> assertThat(client.target(childBase())
                    .path("/services/$register").request()
                    .post(Entity.json("{\"url\":\"http://svc-" + n + ".example:8080\",\"info\":{\"n\":" + n + "}}"))
                    .getStatus()).isEqualTo(201));
        }
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(childContract.violations()).isEmpty();
        assertThat(parentContract.violations()).isEmpty();
        child.close();
        parent.close();
    }

    @Test
    void aCopyThatLostSomeChangedSomeAndGainedSomeGetsTwelveBatchesOfItsDifferences() {
        awaitInSync();
        Map<String, String> atChild = childServices();
        List<String> ids = new ArrayList<>(atChild.keySet());
        String orchestratorId = info().getOrchestratorId();

        // Behind the child's back, in one batch so no heartbeat sees half of it: 400 services lost,
        // 120 under another url, 80 the child never had.
        StringJoiner damage = new StringJoiner(",", "{\"changes\":[", "]}");
        for (int i = 0; i < 400; i++) {
            damage.add("{\"op\":\"remove\",\"id\":\"" + ids.get(i * 5) + "\"}");
        }
        for (int i = 0; i < 120; i++) {
            damage.add("{\"op\":\"upsert\",\"id\":\"" + ids.get(i * 5 + 1) + "\",\"url\":\"http://elsewhere-" + i + ":1\"}");
        }
        for (int i = 0; i < 80; i++) {
            damage.add("{\"op\":\"upsert\",\"id\":\"" + Ids.next() + "\",\"url\":\"http://stale-" + i + ":1\"}");
        }
        double batchesBefore = parentCalls("applyOrchestratorServiceChanges");
        assertThat(parent.target(parentBase()).path("/api/v1/orchestrators/" + orchestratorId + "/services/$batch")
                .request().post(Entity.json(damage.toString())).getStatus()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(parentServices()).isEqualTo(atChild));
        awaitInSync();
        // Ours, plus the 12 batches of 50 differences the child sent; nothing it already held equally.
        assertThat(parentCalls("applyOrchestratorServiceChanges") - batchesBefore).isEqualTo(1 + 12);
    }

    @Test
    void aCopyTheParentLostWholeComesBackInFortyBatchesThoughTheSetExceedsTheBodyLimit() {
        awaitInSync();
        Map<String, String> atChild = childServices();
        String orchestratorId = info().getOrchestratorId();
        StringJoiner set = new StringJoiner(",", "{\"services\":[", "]}");
        atChild.forEach((id, url) -> set.add("{\"id\":\"" + id + "\",\"url\":\"" + url + "\"}"));
        assertThat(parent.target(parentBase()).path("/api/v1/orchestrators/" + orchestratorId + "/services").request()
                .put(Entity.json(set.toString())).getStatus()).as("the complete set in one body").isEqualTo(413);
        double batchesBefore = parentCalls("applyOrchestratorServiceChanges");

        // The parent forgets the child and its services; the child registers again under its id.
        assertThat(parent.target(parentBase() + "/api/v1/orchestrators/" + orchestratorId).request().delete()
                .getStatus()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(parentServices()).isEqualTo(atChild));
        awaitInSync();
        assertThat(info().getOrchestratorId()).isEqualTo(orchestratorId);
        assertThat(parentCalls("applyOrchestratorServiceChanges") - batchesBefore).isEqualTo(40);
    }

    private void awaitInSync() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ChildOrchestratorInfo info = info();
            assertThat(info.getSync().getPendingForwards()).isZero();
            assertThat(info.getSync().getInSync()).isTrue();
        });
    }

    private ChildOrchestratorInfo info() {
        return child.target(childBase() + "/services/info/orchestrator").request().get(ChildOrchestratorInfo.class);
    }

    /** Every service at the child, id to url, read page by page. */
    private Map<String, String> childServices() {
        Map<String, String> services = new TreeMap<>();
        String next = "/services?limit=1000";
        while (next != null) {
            LocalServiceList page = child.target(childBase() + next).request().get(LocalServiceList.class);
            for (LocalService service : page.getServices()) {
                services.put(service.getId(), service.getUrl());
            }
            next = page.getNext();
        }
        assertThat(services).hasSize(SERVICES);
        return services;
    }

    /** Every service at the parent, id to url. */
    private Map<String, String> parentServices() {
        Map<String, String> services = new TreeMap<>();
        String next = "/api/v1/services?limit=1000";
        while (next != null) {
            ServiceList page = parent.target(parentBase() + next).request().get(ServiceList.class);
            for (ServiceDetail service : page.getServices()) {
                services.put(service.getId(), service.getUrl());
            }
            next = page.getNext();
        }
        return services;
    }

    /** How many calls of this operation the parent answered, by its request metrics. */
    private double parentCalls(String operation) {
        PrometheusText metrics = PrometheusText.parse(parent.target(parentBase() + "/metrics").request()
                .get(String.class));
        return metrics.samples("canopy_http_request_duration_seconds_count", Map.of("operation", operation))
                .stream().mapToDouble(PrometheusText.Sample::value).sum();
    }

    private static String childBase() {
        return "http://localhost:" + CHILD.getLocalPort();
    }

    private static String parentBase() {
        return "http://localhost:" + PARENT_PORT;
    }
}
