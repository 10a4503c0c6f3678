package dev.canopy.child.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.OrchestratorDetail;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.ServiceList;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.ParentAndChild;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drift between a child and its parent is found by the next heartbeat (every third of the parent's
 * 1 s TTL here) and repaired by a reconciliation (the copy read in pages, the differences sent), with
 * nothing registered at the child.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildAntiEntropyTest {
    private static final ParentAndChild APPS = new ParentAndChild()
            .parentConfig("leases.ttl", "1s")
            .parentConfig("leases.reaperInterval", "100ms")
            .childConfig("domain", "machine-learning")
            .childConfig("parent.retry.initialDelay", "20ms")
            .childConfig("parent.retry.maxDelay", "200ms")
            .childConfig("reconcileInterval", "1h")
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
    void aServiceTheParentLostIsPutBackByTheNextHeartbeat() {
        String id = register("http://drifting:1");
        String other = register("http://steady:1");
        await().atMost(Duration.ofSeconds(10)).until(() -> parentIds().containsAll(Set.of(id, other)));

        // Behind the child's back: the parent's copy now lacks a service the child holds.
        assertThat(parent.target(parentBase() + "/api/v1/services/" + id).request().delete().getStatus()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> parentIds().contains(id));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            ChildOrchestratorInfo info = info();
            OrchestratorDetail atParent = parent.target(parentBase() + "/api/v1/orchestrators/"
                    + info.getOrchestratorId()).request().get(OrchestratorDetail.class);
            assertThat(atParent.getSync().getServicesDigest()).isEqualTo(info.getSync().getServicesDigest());
            assertThat(info.getSync().getInSync()).isTrue();
            assertThat(info.getSync().getPendingForwards()).isZero();
            assertThat(info.getSync().getLastSyncAt()).isNotNull();
        });
    }

    @Test
    void aChildTheParentForgotRegistersAgainUnderItsIdAndResendsEverything() {
        String first = register("http://kept-1:1");
        String second = register("http://kept-2:1");
        await().atMost(Duration.ofSeconds(10)).until(() -> parentIds().containsAll(Set.of(first, second)));
        String orchestratorId = info().getOrchestratorId();
        Set<String> atChild = childIds();

        assertThat(parent.target(parentBase() + "/api/v1/orchestrators/" + orchestratorId).request().delete()
                .getStatus()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(parent.target(parentBase() + "/api/v1/orchestrators/" + orchestratorId).request().get()
                    .getStatus()).isEqualTo(200);
            assertThat(parentIds()).isEqualTo(atChild);
        });
        assertThat(info().getOrchestratorId()).isEqualTo(orchestratorId);
    }

    private String register(String url) {
        return child.target(childBase()).path("/services/$register").request()
                .post(Entity.json("{\"url\":\"" + url + "\"}")).readEntity(RegistrationResult.class).getId();
    }

    private ChildOrchestratorInfo info() {
        return child.target(childBase() + "/services/info/orchestrator").request().get(ChildOrchestratorInfo.class);
    }

    private Set<String> childIds() {
        return child.target(childBase() + "/services").request().get(dev.canopy.api.model.LocalServiceList.class)
                .getServices().stream().map(dev.canopy.api.model.LocalService::getId).collect(Collectors.toSet());
    }

    private Set<String> parentIds() {
        return parent.target(parentBase() + "/api/v1/services").request().get(ServiceList.class).getServices()
                .stream().map(ServiceDetail::getId).collect(Collectors.toSet());
    }

    private static String childBase() {
        return "http://localhost:" + CHILD.getLocalPort();
    }

    private static String parentBase() {
        return "http://localhost:" + PARENT_PORT;
    }
}
