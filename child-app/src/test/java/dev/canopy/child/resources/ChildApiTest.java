package dev.canopy.child.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.canopy.api.model.ChildOrchestratorInfo;
import dev.canopy.api.model.LocalService;
import dev.canopy.api.model.LocalServiceDeregistration;
import dev.canopy.api.model.LocalServiceList;
import dev.canopy.api.model.OrchestratorList;
import dev.canopy.api.model.Problem;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The child's endpoints over HTTP, with a real parent in the same JVM: what it answers, and what
 * reaches the parent. Every response from either app is checked against its contract.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ChildApiTest {
    private static final ParentAndChild APPS = new ParentAndChild()
            .parentUrlPath("/api/v1")
            .childConfig("region", "us-east")
            .childConfig("parent.retry.initialDelay", "20ms")
            .childConfig("parent.retry.maxDelay", "200ms")
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

    @BeforeEach
    void startLinkedAndEmpty() {
        await().atMost(Duration.ofSeconds(20)).until(() -> info().getOrchestratorId() != null);
        for (LocalService service : childGet("/services").readEntity(LocalServiceList.class).getServices()) {
            childDelete("/services/" + service.getId());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> parentServiceIds().isEmpty());
    }

    @AfterEach
    void everyResponseKeptTheContract() {
        assertThat(childContract.violations()).isEmpty();
        assertThat(parentContract.violations()).isEmpty();
        child.close();
        parent.close();
    }

    @Test
    void answersAtOnceAndForwardsTheServiceWithTheSameId() {
        Response response = register("{\"url\":\"http://pay:8001\",\"info\":{\"display_name\":\"US Payment\",\"version\":\"1.0.0\"}}");

        assertThat(response.getStatus()).isEqualTo(201);
        RegistrationResult result = response.readEntity(RegistrationResult.class);
        assertThat(result.getStatus()).isEqualTo(RegistrationStatus.REGISTERED);
        assertThat(result.getMessage()).isEqualTo("Service registered with us-east orchestrator");
        assertThat(response.getLocation()).hasToString(childBase() + "/services/" + result.getId());

        ServiceDetail atParent = await().atMost(Duration.ofSeconds(10))
                .until(() -> parentService(result.getId()), detail -> detail != null);
        assertThat(atParent.getUrl()).isEqualTo("http://pay:8001");
        assertThat(atParent.getInfo()).containsEntry("display_name", "US Payment").containsEntry("version", "1.0.0");
        assertThat(atParent.getOrchestratorId()).isEqualTo(info().getOrchestratorId());
    }

    @Test
    void aServiceRegisteringAgainKeepsItsIdHereAndAtTheParent() {
        String id = register("{\"url\":\"http://pay:8001\",\"info\":{\"version\":\"1\"}}").readEntity(RegistrationResult.class).getId();

        Response again = register("{\"url\":\"http://pay:8001\",\"info\":{\"version\":\"2\"}}");

        assertThat(again.getStatus()).isEqualTo(200);
        RegistrationResult result = again.readEntity(RegistrationResult.class);
        assertThat(result.getId()).isEqualTo(id);
        assertThat(result.getStatus()).isEqualTo(RegistrationStatus.UPDATED);
        assertThat(childGet("/services").readEntity(LocalServiceList.class).getCount()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            ServiceDetail detail = parentService(id);
            return detail != null && "2".equals(detail.getInfo().get("version"));
        });
        assertThat(parentServiceIds()).containsExactly(id);
    }

    @Test
    void listsAndShowsItsServices() {
        String pay = register("{\"url\":\"http://pay:8001\",\"info\":{}}").readEntity(RegistrationResult.class).getId();
        String inv = register("{\"url\":\"http://inv:8002\"}").readEntity(RegistrationResult.class).getId();

        LocalServiceList list = childGet("/services").readEntity(LocalServiceList.class);
        assertThat(list.getCount()).isEqualTo(2);
        assertThat(list.getServices()).extracting(LocalService::getId).containsExactly(pay, inv);

        LocalService one = childGet("/services/" + inv).readEntity(LocalService.class);
        assertThat(one.getUrl()).isEqualTo("http://inv:8002");
        assertThat(one.getInfo()).isEmpty();
        JsonNode raw = childGet("/services/" + inv).readEntity(JsonNode.class);
        assertThat(raw.has("orchestrator_id")).isFalse();
        assertThat(raw.get("registered_at").asText()).endsWith("Z");
    }

    @Test
    void deregistrationReachesTheParent() {
        String id = register("{\"url\":\"http://pay:8001\"}").readEntity(RegistrationResult.class).getId();
        await().atMost(Duration.ofSeconds(10)).until(() -> parentServiceIds().contains(id));

        Response response = childDelete("/services/" + id);

        assertThat(response.getStatus()).isEqualTo(200);
        LocalServiceDeregistration body = response.readEntity(LocalServiceDeregistration.class);
        assertThat(body.getService().getId()).isEqualTo(id);
        assertProblem(childGet("/services/" + id), 404, "urn:canopy:problem:not-found");
        assertProblem(childDelete("/services/" + id), 404, "urn:canopy:problem:not-found");
        await().atMost(Duration.ofSeconds(10)).until(() -> !parentServiceIds().contains(id));
    }

    /** Registrations and deregistrations in quick succession: a removal is never overtaken by its registration. */
    @Test
    void theParentEndsWithExactlyTheChildsServices() {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = register("{\"url\":\"http://svc-" + i + ":80\"}").readEntity(RegistrationResult.class).getId();
            if (i % 3 == 0) {
                assertThat(childDelete("/services/" + id).getStatus()).isEqualTo(200);
            } else {
                kept.add(id);
            }
        }
        assertThat(childServiceIds()).containsExactlyInAnyOrderElementsOf(kept);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertThat(parentServiceIds()).containsExactlyInAnyOrderElementsOf(kept));
    }

    @Test
    void describesItselfAndItsLinkToTheParent() {
        register("{\"url\":\"http://pay:8001\"}");
        ChildOrchestratorInfo info = info();
        OrchestratorList atParent = parentGet("/api/v1/orchestrators").readEntity(OrchestratorList.class);

        assertThat(atParent.getOrchestrators()).singleElement().satisfies(orchestrator -> {
            assertThat(orchestrator.getId()).isEqualTo(info.getOrchestratorId());
            assertThat(orchestrator.getRegion()).isEqualTo("us-east");
            assertThat(orchestrator.getInfo()).containsEntry("display_name", "Child Orchestrator - us-east")
                    .containsEntry("level", "regional").containsKey("version");
        });
        assertThat(info.getParentUrl()).isEqualTo("http://localhost:" + PARENT_PORT);
        assertThat(info.getRegion()).isEqualTo("us-east");
        assertThat(info.getDomain()).isNull();
        assertThat(info.getServiceCount()).isEqualTo(1);

        JsonNode health = childGet("/health").readEntity(JsonNode.class);
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        assertThat(health.get("checks").get("parent").get("message").asText()).contains(info.getOrchestratorId());
    }

    /** The parent restarted empty, or an operator removed this child: the next forward finds out and re-links. */
    @Test
    void registersAgainAndResendsEverythingWhenTheParentForgetsIt() {
        String pay = register("{\"url\":\"http://pay:8001\"}").readEntity(RegistrationResult.class).getId();
        String inv = register("{\"url\":\"http://inv:8002\"}").readEntity(RegistrationResult.class).getId();
        await().atMost(Duration.ofSeconds(10)).until(() -> parentServiceIds().size() == 2);
        String forgotten = info().getOrchestratorId();

        assertThat(parentDelete("/api/v1/orchestrators/" + forgotten).getStatus()).isEqualTo(200);
        assertThat(parentServiceIds()).isEmpty();
        String gdpr = register("{\"url\":\"http://gdpr:8003\"}").readEntity(RegistrationResult.class).getId();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertThat(parentServiceIds()).containsExactlyInAnyOrder(pay, inv, gdpr));
        String relinked = info().getOrchestratorId();
        assertThat(relinked).isNotNull();
        assertThat(parentGet("/api/v1/services?orchestrator_id=" + relinked).readEntity(ServiceList.class).getCount())
                .isEqualTo(3);
    }

    static Stream<Arguments> badRegistrations() {
        return Stream.of(
                Arguments.of("{\"url\":", 400, "urn:canopy:problem:malformed-json"),
                Arguments.of("", 422, "urn:canopy:problem:invalid-body"),
                Arguments.of("{}", 422, "urn:canopy:problem:invalid-body"),
                Arguments.of("{\"url\":\"ftp://x:1\"}", 422, "urn:canopy:problem:invalid-body"),
                Arguments.of("{\"url\":\"http://a:b@x:1\"}", 422, "urn:canopy:problem:invalid-body"),
                Arguments.of("{\"url\":\"http://x:1\",\"info\":7}", 422, "urn:canopy:problem:invalid-body"),
                Arguments.of("{\"url\":\"http://x:1\",\"orchestrator_id\":\"" + Ids.next() + "\"}", 422,
                        "urn:canopy:problem:invalid-body"),
                Arguments.of("{\"url\":[\"http://x:1\"]}", 422, "urn:canopy:problem:invalid-body"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badRegistrations")
    void badBodiesGetAProblemAndChangeNothingHereOrAbove(String body, int status, String type) {
        String id = register("{\"url\":\"http://pay:8001\"}").readEntity(RegistrationResult.class).getId();
        await().atMost(Duration.ofSeconds(10)).until(() -> parentServiceIds().contains(id));
        String before = childGet("/services").readEntity(String.class);

        assertProblem(register(body), status, type);

        assertThat(childGet("/services").readEntity(String.class)).isEqualTo(before);
        assertThat(parentServiceIds()).containsExactly(id);
    }

    @Test
    void refusesOtherMediaTypesAndIdsThatCannotExist() {
        Response textBody = child.target(childBase()).path("/services/$register").request()
                .post(Entity.entity("http://x:1", "text/plain"));
        assertProblem(textBody, 415, "about:blank");
        assertProblem(child.target(childBase() + "/services").request("application/xml").get(), 406, "about:blank");
        assertProblem(childGet("/services/not-an-id"), 404, "urn:canopy:problem:not-found");
        assertProblem(childDelete("/services/" + Ids.next()), 404, "urn:canopy:problem:not-found");
        assertThat(childServiceIds()).isEmpty();
    }

    // --- helpers ---------------------------------------------------------------------------

    private static String childBase() {
        return "http://localhost:" + CHILD.getLocalPort();
    }

    private static String parentBase() {
        return "http://localhost:" + PARENT_PORT;
    }

    private Response register(String json) {
        return child.target(childBase()).path("/services/$register").request()
                .post(Entity.entity(json, "application/json"));
    }

    private Response childGet(String path) {
        return child.target(childBase() + path).request().get();
    }

    private Response childDelete(String path) {
        return child.target(childBase() + path).request().delete();
    }

    private Response parentGet(String path) {
        return parent.target(parentBase() + path).request().get();
    }

    private Response parentDelete(String path) {
        return parent.target(parentBase() + path).request().delete();
    }

    private ChildOrchestratorInfo info() {
        return childGet("/services/info/orchestrator").readEntity(ChildOrchestratorInfo.class);
    }

    private ServiceDetail parentService(String id) {
        Response response = parentGet("/api/v1/services/" + id);
        return response.getStatus() == 200 ? response.readEntity(ServiceDetail.class) : null;
    }

    private Set<String> parentServiceIds() {
        return parentGet("/api/v1/services").readEntity(ServiceList.class).getServices().stream()
                .map(ServiceDetail::getId).collect(Collectors.toSet());
    }

    private List<String> childServiceIds() {
        return childGet("/services").readEntity(LocalServiceList.class).getServices().stream()
                .map(LocalService::getId).toList();
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getMediaType()).hasToString("application/problem+json");
        Problem problem = response.readEntity(Problem.class);
        assertThat(problem.getStatus()).isEqualTo(status);
        assertThat(problem.getType()).isEqualTo(type);
        assertThat(problem.getDetail()).isNotBlank();
    }
}
