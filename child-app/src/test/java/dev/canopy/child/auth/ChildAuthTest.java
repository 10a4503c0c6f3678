package dev.canopy.child.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceList;
import dev.canopy.api.model.Problem;
import dev.canopy.api.model.RegistrationResult;
import dev.canopy.api.model.ServiceDetail;
import dev.canopy.api.model.ServiceList;
import dev.canopy.child.ChildConfiguration;
import dev.canopy.child.testing.ParentAndChild;
import dev.canopy.core.auth.KeyKind;
import dev.canopy.core.testing.ContractCheckingFilter;
import dev.canopy.core.testing.OperationProbes;
import dev.canopy.core.testing.TestClients;
import dev.canopy.core.testing.TestKeys;
import dev.canopy.parent.ParentConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keys at a child: services register with a service key and change only what they registered; the
 * child forwards to its parent with its own child key.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildAuthTest {
    private static final ParentAndChild APPS = new ParentAndChild()
            .parentConfig("auth.childKeys", TestKeys.CHILD + "," + TestKeys.OTHER_CHILD)
            .childConfig("auth.serviceKeys", TestKeys.SERVICE + "," + TestKeys.OTHER_SERVICE)
            .childConfig("auth.readKeys", TestKeys.READ)
            .childConfig("region", "us-east")
            .childConfig("parent.retry.initialDelay", "20ms")
            .childConfig("parent.retry.maxDelay", "200ms")
            .logLevel("WARN");
    private static final int PARENT_PORT = APPS.parentPort();

    static final DropwizardAppExtension<ParentConfiguration> PARENT = APPS.parent();
    static final DropwizardAppExtension<ChildConfiguration> CHILD = APPS.child();

    private final ContractCheckingFilter childContract = new ContractCheckingFilter("child");
    private final ContractCheckingFilter parentContract = new ContractCheckingFilter("parent");
    private final Client child = TestClients.contractChecked(childContract);
    private final Client parent = TestClients.contractChecked(parentContract);

    @BeforeEach
    void linkedAndEmpty() {
        await().atMost(Duration.ofSeconds(20)).until(() -> info().getOrchestratorId() != null);
        for (LocalService service : child.target(childBase() + "/services").request().get(LocalServiceList.class)
                .getServices()) {
            assertThat(send(TestKeys.ADMIN, "DELETE", "/services/" + service.getId(), null).getStatus())
                    .isEqualTo(200);
        }
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(childContract.violations()).isEmpty();
        assertThat(parentContract.violations()).isEmpty();
        child.close();
        parent.close();
    }

    static List<OperationProbes.Probe> operations() {
        return OperationProbes.of("child");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void everyOperationIsGuardedExactlyAsTheDocumentDeclares(OperationProbes.Probe operation) {
        boolean takesAKey = !operation.requirement().open() && !operation.requirement().isRead();

        Response anonymous = operation.send(child, childBase(), null);
        if (takesAKey) {
            assertThat(anonymous.getStatus()).isEqualTo(401);
            assertThat(anonymous.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"canopy\"");
        } else {
            assertThat(anonymous.getStatus()).as("open at this app").isNotIn(401, 403);
        }
        int read = operation.send(child, childBase(), "Bearer " + TestKeys.READ).getStatus();
        if (takesAKey) {
            assertThat(read).as("a read key").isEqualTo(403);
        } else {
            assertThat(read).as("a read key").isNotIn(401, 403);
        }
        boolean serviceWork = operation.requirement().kinds().contains(KeyKind.SERVICE) || !takesAKey;
        assertThat(operation.send(child, childBase(), "Bearer " + TestKeys.SERVICE).getStatus())
                .as("a service key").matches(status -> serviceWork == (status != 401 && status != 403));
        int childKey = operation.send(child, childBase(), "Bearer " + TestKeys.CHILD).getStatus();
        if (takesAKey) {
            assertThat(childKey).as("a child key is not a key this child knows").isEqualTo(401);
        }
    }

    @Test
    void aServiceKeyChangesOnlyTheServicesItRegistered() {
        String mine = register(TestKeys.SERVICE, null, "http://pay:8001");
        String before = child.target(childBase() + "/services").request().get(String.class);

        String other = TestKeys.OTHER_SERVICE;
        assertForbidden(send(other, "DELETE", "/services/" + mine, null), mine);
        assertForbidden(send(other, "PUT", "/services/" + mine + "/$ping", null), mine);
        assertForbidden(send(other, "POST", "/services/$register", "{\"url\":\"http://pay:8001\"}"), mine);
        assertForbidden(send(other, "POST", "/services/$register",
                "{\"id\":\"" + mine + "\",\"url\":\"http://evil:8009\"}"), mine);
        String theirs = register(other, null, "http://inventory:8002");
        assertForbidden(send(other, "POST", "/services/$register",
                "{\"id\":\"" + theirs + "\",\"url\":\"http://pay:8001\"}"), mine);
        assertThat(send(TestKeys.ADMIN, "DELETE", "/services/" + theirs, null).getStatus()).isEqualTo(200);
        assertThat(child.target(childBase() + "/services").request().get(String.class)).as("nothing changed")
                .isEqualTo(before);

        assertThat(send(TestKeys.SERVICE, "PUT", "/services/" + mine + "/$ping", null).getStatus()).isEqualTo(200);
        assertThat(send(TestKeys.SERVICE, "POST", "/services/$register", "{\"url\":\"http://pay:8001\"}").getStatus())
                .as("registering again, as the same key").isEqualTo(200);
        assertThat(send(TestKeys.ADMIN, "DELETE", "/services/" + mine, null).getStatus()).as("an admin key may")
                .isEqualTo(200);
    }

    @Test
    void theChildForwardsWithItsOwnKeyAndTheParentTiesItsServicesToIt() {
        String id = register(TestKeys.SERVICE, null, "http://pay:8001");
        await().atMost(Duration.ofSeconds(10)).until(() -> parent.target(parentBase() + "/api/v1/services")
                .request().get(ServiceList.class).getServices().stream().map(ServiceDetail::getId)
                .anyMatch(id::equals));
        // Read once the service reached the parent: the child has its id only after registering there.
        String orchestratorId = info().getOrchestratorId();

        // The orchestrator belongs to the key the child sent: that key may renew it, another child's may not.
        assertThat(ping(orchestratorId, TestKeys.CHILD).getStatus()).isEqualTo(200);
        Response otherChild = ping(orchestratorId, TestKeys.OTHER_CHILD);
        assertThat(otherChild.getStatus()).isEqualTo(403);
        assertThat(otherChild.readEntity(Problem.class).getDetail()).contains(orchestratorId);
    }

    private Response ping(String orchestratorId, String key) {
        return parent.target(parentBase()).path("/api/v1/orchestrators/" + orchestratorId + "/$ping").request()
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).put(Entity.json("{}"));
    }

    private String register(String key, String id, String url) {
        Response response = send(key, "POST", "/services/$register",
                "{" + (id == null ? "" : "\"id\":\"" + id + "\",") + "\"url\":\"" + url + "\"}");
        assertThat(response.getStatus()).isIn(200, 201);
        return response.readEntity(RegistrationResult.class).getId();
    }

    private Response send(String key, String method, String path, String body) {
        var request = child.target(childBase()).path(path).request()
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        return body == null
                ? ("PUT".equals(method) ? request.put(Entity.json("")) : request.method(method))
                : request.method(method, Entity.json(body));
    }

    private ChildOrchestratorInfo info() {
        return child.target(childBase() + "/services/info/orchestrator").request().get(ChildOrchestratorInfo.class);
    }

    private static void assertForbidden(Response response, String id) {
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getMediaType()).hasToString("application/problem+json");
        Problem problem = response.readEntity(Problem.class);
        assertThat(problem.getType()).isEqualTo("urn:canopy:problem:forbidden");
        assertThat(problem.getDetail()).contains(id).contains("another key");
    }

    private static String childBase() {
        return "http://localhost:" + CHILD.getLocalPort();
    }

    private static String parentBase() {
        return "http://localhost:" + PARENT_PORT;
    }
}
