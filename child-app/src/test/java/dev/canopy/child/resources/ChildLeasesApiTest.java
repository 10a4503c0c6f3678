package dev.canopy.child.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.Lease;
import dev.canopy.api.model.LeaseStatus;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceList;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.RegistrationStatus;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.ServiceList;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.ParentAndChild;
import dev.canopy.core.Ids;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Service leases at a child (1 s TTL), with a real parent: renewal, eviction here and above, return under the same id. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildLeasesApiTest {
    private static final ParentAndChild APPS = new ParentAndChild()
            .childConfig("region", "us-east")
            .childConfig("parent.retry.initialDelay", "20ms")
            .childConfig("parent.retry.maxDelay", "200ms")
            .childConfig("leases.ttl", "1s")
            .childConfig("leases.reaperInterval", "100ms")
            .logLevel("WARN");
    private static final int PARENT_PORT = APPS.parentPort();

    static final DropwizardAppExtension<ParentConfiguration> PARENT = APPS.parent();
    static final DropwizardAppExtension<ChildConfiguration> CHILD = APPS.child();

    private final ContractCheckingFilter childContract = new ContractCheckingFilter("child");
    private final ContractCheckingFilter parentContract = new ContractCheckingFilter("parent");
    private final Client child = TestClients.contractChecked(childContract)
            .register(TestKeys.bearer(TestKeys.ADMIN));
    private final Client parent = TestClients.contractChecked(parentContract)
            .register(TestKeys.bearer(TestKeys.ADMIN));

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(childContract.violations()).isEmpty();
        assertThat(parentContract.violations()).isEmpty();
        child.close();
        parent.close();
    }

    @Test
    void aRegistrationSaysHowLongItLivesAndAPingRenewsIt() {
        RegistrationResult registered = register("{\"url\":\"http://renewed:1\"}").readEntity(RegistrationResult.class);

        assertThat(registered.getTtlSeconds()).isEqualTo(1);
        assertThat(registered.getPingUrl()).isEqualTo("/services/" + registered.getId() + "/$ping");
        Response ping = child.target(childBase()).path(registered.getPingUrl()).request().put(Entity.json(""));
        assertThat(ping.getStatus()).isEqualTo(200);
        Lease lease = ping.readEntity(Lease.class);
        assertThat(lease.getId()).isEqualTo(registered.getId());
        assertThat(lease.getStatus()).isEqualTo(LeaseStatus.ALIVE);
        assertThat(Duration.between(lease.getLastPingAt(), lease.getExpiresAt())).isEqualTo(Duration.ofSeconds(1));

        LocalService shown = child.target(childBase() + "/services/" + registered.getId()).request()
                .get(LocalService.class);
        assertThat(shown.getExpiresAt()).isEqualTo(lease.getExpiresAt());
        assertThat(shown.getLastUpdated()).as("a ping is not an update").isBefore(lease.getLastPingAt());

        Response unknown = child.target(childBase()).path("/services/" + Ids.next() + "/$ping").request()
                .put(Entity.json(""));
        assertThat(unknown.getStatus()).isEqualTo(404);
    }

    @Test
    void aServiceThatStopsRenewingIsEvictedHereAndAtTheParentWhileOneThatRenewsStays() throws Exception {
        String lapsing = register("{\"url\":\"http://lapsing:1\"}").readEntity(RegistrationResult.class).getId();
        String renewing = register("{\"url\":\"http://renewing:1\"}").readEntity(RegistrationResult.class).getId();
        await().atMost(Duration.ofSeconds(10)).until(() -> parentIds().containsAll(List.of(lapsing, renewing)));
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        heartbeat.scheduleWithFixedDelay(() -> child.target(childBase()).path("/services/" + renewing + "/$ping")
                .request().put(Entity.json("")).close(), 0, 200, TimeUnit.MILLISECONDS);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> !childIds().contains(lapsing));
            await().atMost(Duration.ofSeconds(5)).until(() -> !parentIds().contains(lapsing));
            Thread.sleep(1_500);
            assertThat(childIds()).contains(renewing);
            assertThat(parentIds()).contains(renewing);
        } finally {
            heartbeat.shutdownNow();
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anEvictedServiceComesBackUnderItsOwnId() {
        String id = register("{\"url\":\"http://returning:1\"}").readEntity(RegistrationResult.class).getId();
        await().atMost(Duration.ofSeconds(5)).until(() -> !childIds().contains(id));

        Response back = register("{\"id\":\"" + id + "\",\"url\":\"http://returning:1\"}");

        assertThat(back.getStatus()).isEqualTo(201);
        RegistrationResult result = back.readEntity(RegistrationResult.class);
        assertThat(result.getId()).isEqualTo(id);
        assertThat(result.getStatus()).isEqualTo(RegistrationStatus.REGISTERED);
        await().atMost(Duration.ofSeconds(10)).until(() -> parentIds().contains(id));
    }

    private Response register(String json) {
        return child.target(childBase()).path("/services/$register").request()
                .post(Entity.entity(json, "application/json"));
    }

    private List<String> childIds() {
        return child.target(childBase() + "/services").request().get(LocalServiceList.class).getServices().stream()
                .map(LocalService::getId).toList();
    }

    private List<String> parentIds() {
        return parent.target("http://localhost:" + PARENT_PORT + "/api/v1/services").request().get(ServiceList.class)
                .getServices().stream().map(ServiceDetail::getId).toList();
    }

    private static String childBase() {
        return "http://localhost:" + CHILD.getLocalPort();
    }
}
